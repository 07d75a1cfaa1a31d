/**
 * Storage of custom resources as one served version sees it (upstream's CRD storage codec): objects are stored in
 * the CRD's storage version and converted on the way in and out by the CRD's converter, which may be asynchronous
 * (a webhook). On the way out, objects also get the served version's defaults and lose fields its schema does not
 * declare, as upstream's decoder does for objects read from etcd. Every version of a CRD shares the one watch cache
 * of its key prefix.
 */
import { goOrdered } from '../../machinery/json-value.ts';
import type { ObjectStorage, Predicate, StoredObject, WatchEvent } from '../../storage/store.ts';
import { CancellationSource, type Cancellation } from '../../machinery/cancellation.ts';
import type { Converter } from './conversion.ts';
import type { VersionSchema } from './schema.ts';

export interface CustomResourceStorageOptions {
  /** The shared storage of the CRD's key prefix (its watch cache). */
  inner: ObjectStorage;
  /** `<group>/<version>` this storage serves. */
  apiVersion: string;
  /** `<group>/<storage version>` objects are written in. */
  storageAPIVersion: string;
  convert: Converter;
  /** True when conversion only rewrites apiVersion, so it can run synchronously. */
  syncConversion: boolean;
  /** The served version's schema: defaults and pruning on read. */
  schema: VersionSchema;
  /**
   * Set when field selectors can use version-specific fields (`selectableFields`): predicates then see objects as
   * the served version has them. With asynchronous conversion they see the stored object as it is.
   */
  selectsBeyondMetadata: boolean;
}

export function customResourceStorage(o: CustomResourceStorageOptions): ObjectStorage {
  const { inner, apiVersion, storageAPIVersion, convert, syncConversion, schema } = o;

  /**
   * The finishing steps of a decode: defaults, then pruning (both mutate `obj`), then every object's keys in Go's
   * order for a map, as upstream's unstructured encoder writes a custom resource, whatever order it was sent in.
   */
  const finish = (obj: StoredObject): StoredObject => {
    schema.applyDefaults(obj);
    schema.prune(obj);
    return goOrdered(obj);
  };
  /** Decodes without awaiting when no asynchronous conversion is needed; undefined otherwise. */
  const decodeNow = (stored: StoredObject): StoredObject | undefined => {
    if (!stored.apiVersion) return stored; // bookmarks and Status objects carry no apiVersion of the kind
    if (stored.apiVersion === apiVersion) return finish(stored);
    if (syncConversion) return finish({ ...stored, apiVersion });
    return undefined;
  };
  // `cancellation`: the request's, so that a conversion webhook's call ends with it. Upstream's converter calls with
  // context.TODO() (webhook_converter.go), so there the call outlives the request, but its etcd write takes the
  // request's context and is not made after the deadline; ending the call here keeps that: no write follows the 504.
  const decodeAll = async (items: StoredObject[], cancellation?: Cancellation): Promise<StoredObject[]> => {
    const out = items.map(decodeNow);
    const pending = out.flatMap((v, i) => (v === undefined ? [i] : []));
    if (pending.length) {
      const converted = await convert(pending.map((i) => items[i]), apiVersion, { cancellation });
      pending.forEach((i, n) => (out[i] = finish(converted[n])));
    }
    return out as StoredObject[];
  };
  const decode = async (stored: StoredObject, cancellation?: Cancellation): Promise<StoredObject> => decodeNow(stored) ?? (await decodeAll([stored], cancellation))[0];
  /** The object in the storage version, stored as upstream stores it: keys in Go's order for a map. */
  const encode = async (obj: StoredObject, cancellation?: Cancellation): Promise<StoredObject> => {
    if (obj.apiVersion === storageAPIVersion) return goOrdered(obj);
    if (syncConversion) return goOrdered({ ...obj, apiVersion: storageAPIVersion });
    return goOrdered((await convert([obj], storageAPIVersion, { cancellation }))[0]);
  };

  /** Field selectors over version-specific fields look at the object as served (a copy; the cache's stays as is). */
  const servedPredicate = (p: Predicate | undefined): Predicate | undefined => {
    if (!p || p.everything || !o.selectsBeyondMetadata) return p;
    return {
      everything: false,
      matches: (stored) => p.matches(decodeNow(structuredClone(stored)) ?? stored),
    };
  };

  return {
    create: async (key, obj, opts) => decode(await inner.create(key, await encode(obj, opts?.cancellation), opts), opts?.cancellation),
    get: async (key, opts) => decode(await inner.get(key, opts), opts?.cancellation),
    list: async (prefix, opts) => {
      const res = await inner.list(prefix, opts && { ...opts, predicate: servedPredicate(opts.predicate) });
      return { ...res, items: await decodeAll(res.items, opts?.cancellation) };
    },
    guaranteedUpdate: async (key, tryUpdate, opts) => {
      const cancellation = opts?.cancellation;
      return decode(await inner.guaranteedUpdate(key, async (current) => encode(await tryUpdate(await decode(current, cancellation)), cancellation), opts), cancellation);
    },
    delete: async (key, opts) => decode(await inner.delete(key, opts), opts?.cancellation),
    watch: (prefix, opts, sink) => {
      // Events go out in order: while one waits for an asynchronous conversion, later ones queue behind it. Stopping
      // the watch (its client went away, or its time is up) ends the conversion under way and any queued after it.
      let queue: Promise<void> | undefined;
      let failed = false;
      const stopped = new CancellationSource();
      const deliver = (ev: WatchEvent) => {
        if (failed || stopped.err) return;
        if (!queue) {
          const now = ev.type === 'ERROR' || ev.type === 'BOOKMARK' ? ev.object : decodeNow(ev.object);
          // Not shared: a custom resource's encoding follows its CRD, which may change while events are buffered.
          if (now) return sink.onEvent({ type: ev.type, object: now });
        }
        const next: Promise<void> = (queue ?? Promise.resolve())
          .then(async () => {
            if (failed || stopped.err) return;
            sink.onEvent(ev.type === 'ERROR' || ev.type === 'BOOKMARK' ? ev : { type: ev.type, object: await decode(ev.object, stopped) });
          })
          .catch((err: Error) => {
            if (failed || stopped.err) return;
            failed = true;
            watch.stop();
            sink.onError(err);
          })
          .finally(() => {
            if (queue === next) queue = undefined;
          });
        queue = next;
      };
      const watch = inner.watch(prefix, { ...opts, predicate: servedPredicate(opts.predicate) }, {
        onEvent: deliver,
        onError: (err) => {
          const end = () => {
            if (!failed && !stopped.err) sink.onError(err);
          };
          if (queue) void queue.then(end);
          else end();
        },
      });
      return {
        stop: () => {
          stopped.cancel();
          watch.stop();
        },
      };
    },
    currentRevision: () => inner.currentRevision(),
  };
}
