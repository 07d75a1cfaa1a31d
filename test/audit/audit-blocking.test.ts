/**
 * `--audit-log-mode`: blocking modes write each event before the request goes on (RequestReceived) and before the
 * response (ResponseComplete); blocking-strict fails a request whose RequestReceived event cannot be written, with
 * upstream's 500; blocking serves it anyway. /dev/full is a log that every write fails on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../support/server.ts';
import type { Teardown } from '../support/teardown.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-audit-blocking-'));
const policy = join(tmp, 'policy.yaml');
// Resource requests only: the health checks the test harness polls stay unaudited (a strict, broken log would fail them).
writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  nonResourceURLs: ["*"]\n- level: Metadata\n');

describe('--audit-log-mode', () => {
  /** A server for the test `t`, stopped after it. */
  const start = (t: Teardown, mode: string, path: string) => startServer({ args: ['--audit-policy-file', policy, '--audit-log-path', path, '--audit-log-mode', mode], t });

  test('blocking: every stage of a request is in the file when its response arrives', async (t) => {
    const log = join(tmp, 'blocking.log');
    const server = await start(t, 'blocking', log);
    for (let i = 0; i < 25; i++) {
      const res = await server.request(i % 2 ? 'GET' : 'POST', '/api/v1/namespaces/default/configmaps', i % 2 ? undefined : { metadata: { name: `c${i}` } });
      assert.ok(res.status < 300, res.text);
      const id = String(res.headers['audit-id']);
      const stages = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.auditID === id).map((e) => e.stage);
      assert.deepEqual(stages, ['RequestReceived', 'ResponseComplete'], `request ${i}`);
    }
  });

  test('blocking-strict: a request whose event cannot be written fails', async (t) => {
    const server = await start(t, 'blocking-strict', '/dev/full');
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(res.status, 500);
    assert.deepEqual(
      { kind: res.json.kind, status: res.json.status, reason: res.json.reason, message: res.json.message, code: res.json.code },
      { kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'Internal error occurred: failed to store audit event', code: 500 },
    );
    const created = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'not-stored' } });
    assert.equal(created.status, 500);
    assert.match(server.logs(), /Error in audit plugin 'log'/);
  });

  test('blocking: a failing log does not fail requests (errors are only logged)', async (t) => {
    const server = await start(t, 'blocking', '/dev/full');
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'stored' } });
    assert.equal(res.status, 201, res.text);
  });
});
