/**
 * A pod template stored with an annotation that is invalid now (a deletion cost that is no 32-bit integer, which
 * servers before v1.21 stored freely) must not block updates of its owner: upstream's strategies pass the stored
 * template to ValidatePodTemplateSpec (pod.GetValidationOptionsFromPodTemplate sets AllowInvalidPodDeletionCost),
 * for every kind that embeds one. Through the API such an object cannot be made, so the test stores a valid cost,
 * stops the server, rewrites the stored bytes in place (same length, so protobuf lengths hold) and starts it again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const validCost = '31337';
const invalidCost = '3.337';
const podTemplate = (app: string, restartPolicy: string) => ({
  metadata: { labels: { app }, annotations: { 'controller.kubernetes.io/pod-deletion-cost': validCost } },
  spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] },
});

/** Each kind: where it lives, the object, and its storage key. */
const kinds = [
  {
    name: 'ReplicationController',
    path: '/api/v1/namespaces/default/replicationcontrollers',
    key: '/registry/controllers/default/rc',
    body: { metadata: { name: 'rc' }, spec: { selector: { app: 'rc' }, template: podTemplate('rc', 'Always') } },
  },
  {
    name: 'Job',
    path: '/apis/batch/v1/namespaces/default/jobs',
    key: '/registry/jobs/default/job',
    body: { metadata: { name: 'job' }, spec: { suspend: true, template: podTemplate('job', 'Never') } },
  },
  {
    name: 'CronJob',
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    key: '/registry/cronjobs/default/cron',
    body: { metadata: { name: 'cron' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: podTemplate('cron', 'Never') } } } },
  },
  {
    name: 'Deployment',
    path: '/apis/apps/v1/namespaces/default/deployments',
    key: '/registry/deployments/default/deploy',
    body: { metadata: { name: 'deploy' }, spec: { selector: { matchLabels: { app: 'deploy' } }, template: podTemplate('deploy', 'Always') } },
  },
  {
    name: 'StatefulSet',
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    key: '/registry/statefulsets/default/sts',
    body: { metadata: { name: 'sts' }, spec: { selector: { matchLabels: { app: 'sts' } }, template: podTemplate('sts', 'Always') } },
  },
];

/** Replaces the stored deletion cost by the invalid one, in every revision of `key` (the server is stopped). */
function storeInvalidCost(dataDir: string, key: string): void {
  const db = new Database(join(dataDir, 'kube-ts.db'));
  try {
    // `latest` has one row per key; `history` one per revision (rev is its key).
    for (const [table, id] of [['latest', 'key'], ['history', 'rev']]) {
      const rows = db.prepare(`SELECT ${id} AS id, value FROM ${table} WHERE key = ?`).all(key) as { id: string | number; value: Buffer }[];
      assert.ok(rows.length, `${key} is stored in ${table}`);
      for (const row of rows) {
        const at = row.value.indexOf(validCost);
        assert.ok(at >= 0, `${key} holds the deletion cost`);
        const value = Buffer.from(row.value);
        value.write(invalidCost, at);
        db.prepare(`UPDATE ${table} SET value = ? WHERE ${id} = ?`).run(value, row.id);
      }
    }
  } finally {
    db.close();
  }
}

describe('a stored pod template whose deletion cost is invalid now', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-stored-cost-'));
    server = await startServer({ dataDir });
    for (const k of kinds) {
      const r = await server.request('POST', k.path, k.body);
      assert.equal(r.status, 201, r.text);
    }
    await server.stop();
    for (const k of kinds) storeInvalidCost(dataDir, k.key);
    server = await startServer({ dataDir });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const k of kinds) {
    it(`does not block an update of its ${k.name}`, async () => {
      const r = await server.request('PATCH', `${k.path}/${k.body.metadata.name}`, { metadata: { labels: { touched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.metadata.labels.touched, 'yes');
    });
  }

  it('is still refused in a new object', async () => {
    const template = podTemplate('rc', 'Always');
    template.metadata.annotations['controller.kubernetes.io/pod-deletion-cost'] = invalidCost;
    const body = { metadata: { name: 'fresh' }, spec: { selector: { app: 'rc' }, template } };
    const r = await server.request('POST', kinds[0].path, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(
      r.json.message,
      'ReplicationController "fresh" is invalid: spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "3.337": must be a 32bit integer',
    );
  });
});
