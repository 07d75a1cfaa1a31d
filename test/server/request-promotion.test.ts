// What a GET leaves behind for the garbage collector (issue 11): a resource GET must not keep its objects alive past
// the request. The server runs with --trace-gc-nvp, whose scavenge lines count the bytes promoted to old space; those
// counts do not depend on how busy the machine is. A RestRequest built as an object literal with a getter promoted
// ~4-10 KB per GET (every request's objects outlived scavenges until the next full GC); what a request legitimately
// leaves (the few in flight at a scavenge) is a few hundred bytes per request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../support/server.ts';

/** Bytes promoted by the scavenges in `log` (--trace-gc-nvp's `gc=s` lines). */
const promotedBy = (log: string) => [...log.matchAll(/gc=s .*?promoted=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);

describe('what a resource GET promotes to old space', () => {
  it('stays far below the size of a request graph per GET', async (t) => {
    const before = process.env.KUBE_TS_SERVER_NODE_ARGS;
    process.env.KUBE_TS_SERVER_NODE_ARGS = `${before ?? ''} --trace-gc-nvp`;
    const server = await startServer({ t }).finally(() => (process.env.KUBE_TS_SERVER_NODE_ARGS = before));
    const path = '/api/v1/namespaces/default/configmaps';
    assert.equal((await server.request('POST', path, { metadata: { name: 'c' }, data: { k: 'v' } })).status, 201);
    const gets = async (n: number) => {
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next++ < n) assert.equal((await server.request('GET', `${path}/c`)).status, 200);
      }));
    };
    await gets(1000); // the first requests compile the request path, and what they compile is kept
    const from = server.logs().length;
    await gets(3000);
    const log = server.logs().slice(from);
    assert.ok((log.match(/gc=s /g) ?? []).length >= 3, 'the GETs ran through several scavenges');
    const perGet = promotedBy(log) / 3000;
    assert.ok(perGet < 1500, `${perGet.toFixed(0)} bytes promoted per GET`);
  });
});
