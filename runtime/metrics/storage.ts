/**
 * Storage metrics: the latency of every call to the store (etcd_request_duration_seconds, under that name for the
 * SQLite store too, so dashboards work with either) and the number of stored objects per resource
 * (apiserver_storage_objects), read from the watch caches when scraped.
 */
import { gauge, histogram, requestLatencyBuckets } from './registry.ts';

const etcdRequestDuration = histogram(
  'etcd_request_duration_seconds',
  'Etcd request latency in seconds for each operation and object type.',
  ['operation', 'type'],
  requestLatencyBuckets,
);

export type StorageOperation = 'get' | 'list' | 'create' | 'update' | 'delete';

const children = new Map<string, ReturnType<typeof etcdRequestDuration.labels>>();

/** Records one store call of `operation` on `type` (upstream's group-resource string: `configmaps`, `deployments.apps`). */
export function observeStorageRequest(operation: StorageOperation, type: string, seconds: number): void {
  const key = `${operation}\u0000${type}`;
  let h = children.get(key);
  if (!h) {
    h = etcdRequestDuration.labels({ operation, type });
    children.set(key, h);
  }
  h.observe(seconds);
}

/** Where object counts come from: each source lists `[resource, count]` pairs when asked (count undefined: unknown yet). */
export type ObjectCountSource = () => Iterable<readonly [string, number | undefined]>;

const objectCountSources: ObjectCountSource[] = [];

/** Adds a source of apiserver_storage_objects, read at scrape time (a later pair for the same resource wins). */
export function addObjectCountSource(source: ObjectCountSource): void {
  objectCountSources.push(source);
}

gauge('apiserver_storage_objects', 'Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.', ['resource'], {
  collect() {
    this.reset();
    for (const source of objectCountSources) {
      for (const [resource, n] of source()) if (n !== undefined) this.set({ resource }, n);
    }
  },
});
