/**
 * The etcd client's bind (runtime/storage/etcd/async-bind.ts): once an etcd channel exists, AsyncResource.bind
 * behaves as Node's (async context, `this`, arguments, result, `asyncResource`) without Node 20's deprecation
 * wrappers, which cost each etcd call more CPU than the rest of its JavaScript. The wrappers show as the DEP0172
 * warning on reading `asyncResource`.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { test } from 'node:test';
import { NodeHttp2Channel } from '../../runtime/storage/etcd/node-http2-channel.ts';

test('after an etcd channel is made, a bound function runs as Node binds it, without the deprecated accessor', async () => {
  const channel = new NodeHttp2Channel('http://127.0.0.1:1', { pingTimeoutMs: 100 });
  channel.close();
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? w.message);
  process.on('warning', onWarning);
  try {
    const als = new AsyncLocalStorage<string>();
    const resource = als.run('bound', () => new AsyncResource('test'));
    const self = { name: 'caller' };
    const seen = als.run('caller', () => {
      const bound = resource.bind(function (this: unknown, a: number, b: number) {
        return { store: als.getStore(), self: this, sum: a + b };
      });
      return { called: bound.call(self, 1, 2), resource: (bound as unknown as { asyncResource: AsyncResource }).asyncResource };
    });
    assert.deepEqual(seen.called, { store: 'bound', self, sum: 3 });
    assert.equal(seen.resource, resource);
    // Node's types leave out bind's thisArg, which Node takes.
    const bindWithThis = resource.bind as unknown as (fn: () => unknown, thisArg: unknown) => () => unknown;
    const withThis = bindWithThis.call(resource, function (this: unknown) {
      return this;
    }, self);
    assert.equal(withThis(), self);
    assert.throws(() => resource.bind(undefined as unknown as () => void), TypeError);
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});
