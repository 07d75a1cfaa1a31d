/**
 * Warnings of a resource served without storage reach the client once: a TokenRequest asking for more than
 * --service-account-max-token-expiration is shortened, with one `Warning` saying so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

describe('TokenRequest warnings', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--service-account-max-token-expiration', '1h'] });
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'robot' } })).status, 201);
  });
  after(async () => {
    await server.stop();
  });

  it('a token asked for longer than the maximum is shortened, with exactly one warning', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds: 7200 },
    });
    assert.equal(res.status, 201, res.text);
    const warnings = ([] as string[]).concat(res.headers.warning ?? []).flatMap((w) => w.split(/,(?=\s*299 )/));
    assert.deepEqual(warnings.map((w) => w.trim()), ['299 - "requested expiration of 7200 seconds shortened to 3600 seconds"']);
    const exp = Date.parse(res.json.status.expirationTimestamp) - Date.now();
    assert.ok(exp > 3500_000 && exp <= 3600_000, `expires in ${exp} ms`);
  });
});
