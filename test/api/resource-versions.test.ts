/**
 * resourceVersion semantics over HTTP, on both backends, with history compacted every second: paged lists
 * keep reading at the first page's revision and answer 410 Expired once it is compacted (with a token for the
 * rest); a watch from a compacted revision is an ERROR event with a 410 Status; watch-list streams the current
 * state and an initial-events-end bookmark; exact reads see the past.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

for (const backend of ['sqlite', 'etcd'] as const) {
  describe(`resourceVersions (${backend})`, () => {
    let etcd: EtcdServer | undefined;
    let server: TestServer;
    const path = '/api/v1/namespaces/default/configmaps';

    before(async () => {
      // A small watch cache, so that old revisions fall out of its window as they fall out of the store's history.
      // No root CA publisher: the pages below count exactly the ConfigMaps the test writes.
      const args = ['--etcd-compaction-interval', '1s', '--default-watch-cache-size', '5', '--controllers', '*,-root-ca-cert-publisher'];
      if (backend === 'etcd') {
        etcd = await startEtcd();
        args.push('--etcd-servers', etcd.endpoint);
      }
      server = await startServer({ args });
      for (let i = 0; i < 5; i++) assert.equal((await server.request('POST', path, { metadata: { name: `p${i}` }, data: { i: String(i) } })).status, 201);
    });
    after(async () => {
      await server?.stop();
      await etcd?.stop();
    });

    it('pages with limit and continue at one revision, with remainingItemCount', async () => {
      const first = await server.request('GET', `${path}?limit=2`);
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p0', 'p1']);
      assert.equal(first.json.metadata.remainingItemCount, 3);
      const rv = first.json.metadata.resourceVersion;
      // A write between pages is not seen by the rest of the list.
      await server.request('POST', path, { metadata: { name: 'p2a' } });
      const second = await server.request('GET', `${path}?limit=10&continue=${encodeURIComponent(first.json.metadata.continue)}`);
      assert.equal(second.status, 200);
      assert.deepEqual(second.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p2', 'p3', 'p4']);
      assert.equal(second.json.metadata.resourceVersion, rv);
      assert.equal(second.json.metadata.continue, undefined);
    });

    it('an exact read sees the past', async () => {
      const created = await server.request('POST', path, { metadata: { name: 'past' }, data: { v: '1' } });
      const rv = created.json.metadata.resourceVersion;
      await server.request('PATCH', `${path}/past`, { data: { v: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
      const list = await server.request('GET', `${path}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'past').data, { v: '1' });
    });

    it('watch-list streams the current state, then an initial-events-end bookmark', async () => {
      const w = await server.watch(`${path}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
      try {
        const names: string[] = [];
        for (;;) {
          const ev = await w.next();
          if (ev.type === 'BOOKMARK') {
            assert.equal(ev.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
            assert.equal(ev.object.kind, 'ConfigMap');
            break;
          }
          assert.equal(ev.type, 'ADDED');
          names.push(ev.object.metadata.name);
        }
        assert.ok(['p0', 'p1', 'p2', 'p3', 'p4'].every((n) => names.includes(n)));
      } finally {
        w.close();
      }
    });

    it('repeated lists of unchanged objects answer the same items at the current resourceVersion; the list after a change holds it', async () => {
      const items = (r: { json: { items: unknown[] } }) => JSON.stringify(r.json.items);
      // The watch cache hands identical lists one page, and the server writes its items' JSON once for all of them.
      const lists = [];
      for (const q of ['limit=3', 'limit=3&resourceVersion=0', 'limit=3', 'limit=3&resourceVersion=0', 'limit=3']) lists.push(await server.request('GET', `${path}?${q}`));
      for (const l of lists) {
        assert.equal(l.status, 200);
        assert.equal(l.json.kind, 'ConfigMapList');
        assert.equal(items(l), items(lists[0]));
        assert.equal(l.json.items[0].kind, undefined, 'items of a built-in list carry no type meta');
        assert.equal(l.json.metadata.remainingItemCount, lists[0].json.metadata.remainingItemCount);
      }
      // Another resource's write moves the revision but no ConfigMap: the next consistent list is at that revision or
      // later, and its continue token reads on at its own revision.
      const secret = await server.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { generateName: 'rv-' } });
      const moved = await server.request('GET', `${path}?limit=3`);
      assert.ok(Number(moved.json.metadata.resourceVersion) >= Number(secret.json.metadata.resourceVersion));
      assert.equal(items(moved), items(lists[0]));
      const next = await server.request('GET', `${path}?limit=3&continue=${encodeURIComponent(moved.json.metadata.continue)}`);
      assert.equal(next.status, 200, next.text);
      assert.equal(next.json.metadata.resourceVersion, moved.json.metadata.resourceVersion);
      // The page's answer is kept whole with the head it was made with: lists at the moved revision are sent it made
      // again with theirs (the second on), and a list after the next move carries that revision, never a kept head.
      for (const write of [undefined, 'rv2-', undefined, 'rv3-']) {
        const rv = write ? Number((await server.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { generateName: write } })).json.metadata.resourceVersion) : 0;
        for (let i = 0; i < 2; i++) {
          const again = await server.request('GET', `${path}?limit=3`);
          assert.ok(Number(again.json.metadata.resourceVersion) >= Math.max(rv, Number(moved.json.metadata.resourceVersion)), `${again.json.metadata.resourceVersion} after ${rv}`);
          assert.equal(items(again), items(lists[0]));
          assert.equal(again.text, JSON.stringify(again.json), 'one head, then the items');
        }
      }
      // A change to one of the page's objects: the next list holds it.
      const name = lists[0].json.items[1].metadata.name;
      const patched = await server.request('PATCH', `${path}/${name}`, { data: { changed: 'yes' } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(patched.status, 200, patched.text);
      const changed = await server.request('GET', `${path}?limit=3`);
      assert.equal(changed.json.items[1].data.changed, 'yes');
      assert.equal(changed.json.items[1].metadata.resourceVersion, patched.json.metadata.resourceVersion);
      await eventually(async () => items(await server.request('GET', `${path}?limit=3&resourceVersion=0`)) === items(changed), 'an rv=0 list to hold the change');
    });

    it('after compaction: a watch from a compacted revision is a 410 ERROR event, an old continue token 410 Expired', async () => {
      const first = await server.request('GET', `${path}?limit=1`);
      const token = first.json.metadata.continue;
      // Writes move the revision on; the compactor (every 1 s) then drops the history behind them.
      await eventually(
        async () => {
          await server.request('POST', path, { metadata: { generateName: 'tick-' } });
          const res = await server.request('GET', `${path}?limit=1&continue=${encodeURIComponent(token)}`);
          return res.status === 410;
        },
        'the first page revision to be compacted',
        30_000,
      );
      const expired = await server.request('GET', `${path}?limit=1&continue=${encodeURIComponent(token)}`);
      assert.equal(expired.json.reason, 'Expired');
      assert.equal(expired.json.code, 410);
      assert.match(expired.json.message, /^The provided continue parameter is too old/);
      assert.ok(expired.json.metadata.continue, 'a token for the rest of the list');
      const rest = await server.request('GET', `${path}?limit=100&continue=${encodeURIComponent(expired.json.metadata.continue)}`);
      assert.equal(rest.status, 200);

      // Revision 1 is older than both the store's history and the watch cache's window.
      const w = await server.watch(`${path}?watch=1&resourceVersion=1`);
      try {
        assert.equal(w.status, 200);
        const ev = await w.next();
        assert.equal(ev.type, 'ERROR');
        assert.equal(ev.object.kind, 'Status');
        assert.equal(ev.object.code, 410);
        assert.equal(ev.object.reason, 'Expired');
      } finally {
        w.close();
      }
    });
  });
}
