/**
 * managedFields and admission: a mutating webhook that leaves the entries unreadable does not corrupt the stored
 * object; the entries recorded before admission are kept and the client is warned, as upstream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.ts';
import { install, webhook } from '../admission/webhook-support.ts';

describe('managedFields after mutating admission', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  before(async () => {
    server = await startServer();
    hooks = await startWebhookServer((path) => {
      if (path !== '/break') return { response: { allowed: true } };
      const ops = [{ op: 'replace', path: '/metadata/managedFields/0/operation', value: 'Bogus' }];
      return { response: { allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') } };
    });
    await install(server, hooks, 'mutating', 'breaks-managed-fields', [webhook(hooks, 'break.test.io', '/break', { objectSelector: { matchLabels: { breakme: 'yes' } } })]);
  });
  after(async () => {
    await server.stop();
    await hooks.close();
  });

  it('keeps the recorded entries and warns when a webhook makes them invalid', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps?fieldManager=writer', { metadata: { name: 'adm1', labels: { breakme: 'yes' } }, data: { a: '1' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      res.json.metadata.managedFields.map((e: { manager: string; operation: string }) => [e.manager, e.operation]),
      [['writer', 'Update']],
    );
    const warning = String(res.headers.warning ?? '');
    assert.match(warning, /\.metadata\.managedFields was in an invalid state after admission; this could be caused by an outdated mutating admission controller; please fix your requests: operation must be `Apply` or `Update`/);
    const stored = (await server.request('GET', '/api/v1/namespaces/default/configmaps/adm1')).json;
    assert.equal(stored.metadata.managedFields[0].operation, 'Update');
  });
});
