/**
 * Storage as seen by one served version: objects are stored in the group's storage version (the hub) and
 * converted on the way in and out, with the served version's defaults applied on the way out, as upstream's
 * storage codec does. The hub version itself needs no conversion and gets the store unchanged.
 */
import { goShapes } from '../machinery/goshape.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { ObjectStorage, StoredObject } from '../storage/store.ts';

export function versionedStorage(inner: ObjectStorage, kind: KindRegistration, hub: KindRegistration): ObjectStorage {
  if (kind === hub) return inner;
  const decode = (stored: StoredObject): StoredObject => {
    if (!stored.apiVersion) return stored; // bookmarks and Status objects carry no apiVersion of the kind
    const obj = kind.fromHub(stored) as StoredObject;
    kind.default(obj);
    // Converted, the object has the served version's Go shape, as Go's encoding of that version's type.
    goShapes.writeObject(obj);
    return obj;
  };
  const encode = (obj: StoredObject): StoredObject => kind.toHub(obj) as StoredObject;
  return {
    create: async (key, obj, opts) => decode(await inner.create(key, encode(obj), opts)),
    get: async (key, opts) => decode(await inner.get(key, opts)),
    list: async (prefix, opts) => {
      const res = await inner.list(prefix, opts);
      return { ...res, items: res.items.map(decode) };
    },
    guaranteedUpdate: async (key, tryUpdate, opts) => decode(await inner.guaranteedUpdate(key, async (current) => encode(await tryUpdate(decode(current))), opts)),
    delete: async (key, opts) => decode(await inner.delete(key, opts)),
    watch: (prefix, opts, sink) =>
      inner.watch(prefix, opts, {
        onEvent: (ev) => sink.onEvent(ev.type === 'ERROR' || ev.type === 'BOOKMARK' ? ev : { ...ev, object: decode(ev.object) }),
        onError: (err) => sink.onError(err),
      }),
    currentRevision: () => inner.currentRevision(),
  };
}
