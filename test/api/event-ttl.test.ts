/**
 * Events expire after --event-ttl on both backends (etcd leases, the embedded store's expiry sweep), and watchers
 * see them go; other kinds never expire. `kubectl describe` finds events by involvedObject field selectors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const event = (name: string) => ({
  metadata: { name },
  involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'target', uid: 'u-1' },
  reason: 'Tested',
  message: 'a short-lived event',
  type: 'Normal',
});

for (const backend of ['sqlite', 'etcd'] as const) {
  describe(`event TTL (${backend})`, () => {
    let etcd: EtcdServer | undefined;
    let server: TestServer;
    before(async () => {
      const args = ['--event-ttl', '3s'];
      if (backend === 'etcd') {
        etcd = await startEtcd();
        args.push('--etcd-servers', etcd.endpoint);
      }
      server = await startServer({ args });
    });
    after(async () => {
      await server?.stop();
      await etcd?.stop();
    });

    it('an Event disappears after the TTL, a watcher sees DELETED, a ConfigMap stays', async () => {
      const created = await server.request('POST', '/api/v1/namespaces/default/events', event('e1'));
      assert.equal(created.status, 201, created.text);
      await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'stays' } });
      const selected = await server.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DConfigMap,involvedObject.uid%3Du-1');
      assert.deepEqual(selected.json.items.map((e: { metadata: { name: string } }) => e.metadata.name), ['e1']);

      const w = await server.watch(`/api/v1/namespaces/default/events?watch=1&resourceVersion=${created.json.metadata.resourceVersion}`);
      try {
        const ev = await w.next(30_000);
        assert.equal(ev.type, 'DELETED');
        assert.equal(ev.object.metadata.name, 'e1');
      } finally {
        w.close();
      }
      await eventually(async () => (await server.request('GET', '/api/v1/namespaces/default/events/e1')).status === 404, 'the event to expire');
      assert.equal((await server.request('GET', '/api/v1/namespaces/default/configmaps/stays')).status, 200);
    });
  });
}
