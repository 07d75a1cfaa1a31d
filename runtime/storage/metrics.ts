/**
 * A KV that times every read and write it passes to the backend (etcd_request_duration_seconds, operations `get`,
 * `list`, `create`, `update`, `delete`), labelled with the resource the key belongs to. It sits directly on the
 * backend, under encryption at rest, so the figure is the store's own latency, as upstream measures etcd calls.
 */
import { specialResourceOfKey } from './resource-prefixes.ts';
import { performance } from 'node:perf_hooks';
import type { KV } from './kv.ts';
import { observeStorageRequest, type StorageOperation } from '../metrics/storage.ts';

/** Maps a key (or range prefix) to the resource label: `configmaps`, `deployments.apps`. */
export type ResourceOfKey = (key: string) => string;

export function instrumentedKV(kv: KV, resourceOf: ResourceOfKey): KV {
  // Not an async wrapper with try/finally around the call: its extra promise and frame cost about 5 µs per write.
  // The call's own promise is returned, with the observation hung on it for either outcome, which stays the caller's.
  const timed = <T>(op: StorageOperation, key: string, started: number, p: Promise<T>): Promise<T> => {
    const observe = () => observeStorageRequest(op, resourceOf(key), (performance.now() - started) / 1000);
    p.then(observe, observe);
    return p;
  };
  return {
    get: (key, opts) => timed('get', key, performance.now(), kv.get(key, opts)),
    range: (prefix, opts) => timed('list', prefix, performance.now(), kv.range(prefix, opts)),
    create: (key, value, opts) => timed('create', key, performance.now(), kv.create(key, value, opts)),
    update: (key, value, rev, opts) => timed('update', key, performance.now(), kv.update(key, value, rev, opts)),
    delete: (key, rev) => timed('delete', key, performance.now(), kv.delete(key, rev)),
    watch: (prefix, after, handlers) => kv.watch(prefix, after, handlers),
    currentRevision: () => kv.currentRevision(),
    revisionNow: kv.revisionNow && (() => kv.revisionNow!()),
    compact: (rev) => kv.compact(rev),
    compactedRevision: () => kv.compactedRevision(),
    progressRequestsSupported: () => kv.progressRequestsSupported(),
    changesSince: kv.changesSince && ((prefix, rev) => timed('list', prefix, performance.now(), kv.changesSince!(prefix, rev))),
    ping: () => kv.ping(),
    close: () => kv.close(),
  };
}

/**
 * The resource label of keys under `etcdPrefix`: `<prefix>/<resource>/...` is `<resource>` qualified by the group
 * that serves it (core first), `<prefix>/<group>/<resource>/...` (a name two groups share) is `<resource>.<group>`.
 * `groupsOf(resource)` lists the groups serving a resource. Answers are cached per first key segment.
 */
export function resourceOfKey(etcdPrefix: string, groupsOf: (resource: string) => string[]): ResourceOfKey {
  const base = etcdPrefix.endsWith('/') ? etcdPrefix : etcdPrefix + '/';
  const cache = new Map<string, string>();
  return (key) => {
    if (!key.startsWith(base)) return '';
    const special = specialResourceOfKey(key.slice(base.length)); // minions, services/specs, ... (upstream's names)
    if (special) return special.group ? `${special.resource}.${special.group}` : special.resource;
    const parts = key.slice(base.length).split('/', 2);
    const first = parts[0];
    const cached = cache.get(first) ?? cache.get(`${first}/${parts[1]}`);
    if (cached !== undefined) return cached;
    const groups = groupsOf(first);
    if (!groups.length && parts[1]) {
      // A group-qualified prefix (`<prefix>/events.k8s.io/events`): the resource is the next segment.
      const label = `${parts[1]}.${first}`;
      cache.set(`${first}/${parts[1]}`, label);
      return label;
    }
    const group = groups.includes('') ? '' : (groups[0] ?? '');
    const label = group ? `${first}.${group}` : first;
    // A resource no group serves yet (a CustomResourceDefinition being established) is asked about again later.
    if (groups.length) cache.set(first, label);
    return label;
  };
}
