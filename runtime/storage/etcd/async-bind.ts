/**
 * A cheaper `AsyncResource.prototype.bind`, for the etcd client's HTTP/2 requests.
 *
 * Node's HTTP/2 client binds each request's connect callback to an AsyncResource (`ClientHttp2Session.request`).
 * In Node 20, `bind` gives the bound function an `asyncResource` accessor wrapped twice in `util.deprecate`
 * (DEP0172), and each wrapper sets a function's prototype: per etcd call that cost more CPU than the rest of the
 * call's JavaScript (a write's client side went from ~190 to ~120 µs without it, scripts/cpu-perf.ts --etcd showing
 * `deprecate` and `bind` on top).
 *
 * This bind does what Node's does (runs `fn` in the resource's async scope, with `this` as called or `thisArg`) and
 * keeps `asyncResource` as a plain property, so nothing that reads it breaks; it drops the deprecation warning on
 * reading it and the bound function's `length`. Installed once, by the first etcd channel (unary-channel.ts): a
 * server on SQLite keeps Node's own. Range, Txn and Watch now go over our own HTTP/2 client, which binds nothing;
 * grpc-js (leases, compaction, status) and Node's client behind ETCD_UNARY_TRANSPORT=node-http2 still bind per call.
 */
import { AsyncResource } from 'node:async_hooks';

let installed = false;

export function installCheapAsyncBind(): void {
  if (installed) return;
  installed = true;
  AsyncResource.prototype.bind = function bind<Func extends (...args: any[]) => any>(this: AsyncResource, fn: Func, thisArg?: unknown) {
    if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
    const resource = this; // eslint-disable-line @typescript-eslint/no-this-alias
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : (resource.runInAsyncScope.bind(resource, fn, thisArg) as (...args: unknown[]) => unknown);
    (bound as { asyncResource?: AsyncResource }).asyncResource = resource;
    return bound as unknown as Func & { asyncResource: AsyncResource };
  };
}
