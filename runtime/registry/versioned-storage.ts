/**
 * Storage as seen by one served version: objects are stored in the storage version of their resource and converted
 * on the way in and out, with the served version's defaults applied on the way out, as upstream's storage codec
 * does. Reads accept an object stored in any version the scheme knows (written by another server, or before the
 * storage version changed): it is defaulted in its own version and converted to the storage version first.
 *
 * A resource that cohabits with another (events.k8s.io events, stored as core/v1 Events under `events`) converts
 * between its own storage version and the other group's with the conversion registered below.
 */
import { goShapes } from '../machinery/goshape.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { parseApiVersion, type Scheme } from '../machinery/scheme.ts';
import { storageResource } from '../storage/resource-prefixes.ts';
import { allOfApiVersion, lazyWatchEvent, type EncodedItem, type GetOptions, type ObjectStorage, type StoredObject, type WatchEvent } from '../storage/store.ts';

/** Between a group's storage version and the form another group's resource stores it in. */
interface CohabitingConversion {
  toStored(obj: StoredObject): StoredObject;
  fromStored(obj: StoredObject): StoredObject;
}

const defined = (obj: StoredObject): StoredObject => {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
};

/**
 * Go drops these members when empty (omitempty on events.k8s.io/v1's strings and count), where core/v1 always writes
 * reportingComponent and reportingInstance.
 */
const omitEmpty = (v: unknown) => (v === '' || v === 0 ? undefined : v);

/**
 * events.k8s.io/v1 Event <-> core/v1 Event, field for field as upstream's conversions through the internal core
 * Event (`pkg/apis/events/v1/conversion.go`).
 */
const eventsV1: CohabitingConversion = {
  toStored: (e) =>
    defined({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: e.metadata,
      involvedObject: e.regarding,
      reason: e.reason,
      message: e.note,
      source: e.deprecatedSource,
      firstTimestamp: e.deprecatedFirstTimestamp,
      lastTimestamp: e.deprecatedLastTimestamp,
      count: e.deprecatedCount,
      type: e.type,
      eventTime: e.eventTime,
      series: e.series,
      action: e.action,
      related: e.related,
      reportingComponent: e.reportingController,
      reportingInstance: e.reportingInstance,
    }),
  fromStored: (e) =>
    defined({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: e.metadata,
      eventTime: e.eventTime,
      series: e.series,
      reportingController: omitEmpty(e.reportingComponent),
      reportingInstance: omitEmpty(e.reportingInstance),
      action: omitEmpty(e.action),
      reason: omitEmpty(e.reason),
      regarding: e.involvedObject,
      related: e.related,
      note: omitEmpty(e.message),
      type: omitEmpty(e.type),
      deprecatedSource: e.source,
      deprecatedFirstTimestamp: e.firstTimestamp,
      deprecatedLastTimestamp: e.lastTimestamp,
      deprecatedCount: omitEmpty(e.count),
    }),
};

const cohabiting: Readonly<Record<string, CohabitingConversion>> = { 'events.k8s.io/Event': eventsV1 };

/**
 * A form objects of a kind are stored in that is not a served version (upstream keeps CustomResourceDefinitions in
 * apiextensions.k8s.io/v1beta1): written in it, and read back from it, or from any served version.
 */
export interface StoredForm {
  apiVersion: string;
  /** The group's storage version -> the stored form. */
  toStored(obj: StoredObject): StoredObject;
  /** The stored form -> the group's storage version. */
  fromStored(obj: StoredObject): StoredObject;
}

const storedForms = new Map<string, StoredForm>();

/** Declares the stored form of a kind (`group`, `kind`); registered at import, before stores are built. */
export function registerStoredForm(group: string, kind: string, form: StoredForm): void {
  storedForms.set(`${group}/${kind}`, form);
}

/**
 * The registration whose form this kind's objects are stored in: the group's storage version of the kind, or for a
 * cohabiting resource the storage version of the resource it lives with (what discovery's storageVersionHash names).
 */
export function storageKindOf(scheme: Scheme, kind: KindRegistration): KindRegistration {
  const target = storageResource(kind.group, kind.resource);
  if (target.group === kind.group) return scheme.storageKindFor(kind);
  const storageVersion = scheme.versionsOf(target.group)[0]?.storageVersion;
  const gv = storageVersion === undefined ? undefined : scheme.groupVersion(target.group, storageVersion);
  return gv?.kinds.find((k) => k.resource === target.resource) ?? scheme.storageKindFor(kind);
}

/** The group, version and kind objects of this kind are stored as (discovery's storageVersionHash names them). */
export function storedGroupVersionKind(scheme: Scheme, kind: KindRegistration): { group: string; version: string; kind: string } {
  const stored = storageKindOf(scheme, kind);
  const form = storedForms.get(`${stored.group}/${stored.kind}`);
  if (!form) return { group: stored.group, version: stored.version, kind: stored.kind };
  return { ...parseApiVersion(form.apiVersion), kind: stored.kind };
}

const apiVersionOf = (k: KindRegistration) => (k.group ? `${k.group}/${k.version}` : k.version);

export function versionedStorage(inner: ObjectStorage, kind: KindRegistration, scheme: Scheme): ObjectStorage {
  const hub = scheme.storageKindFor(kind); // this group's storage version
  const stored = storageKindOf(scheme, kind); // the form in the store
  const storedAPIVersion = apiVersionOf(stored);
  const across = stored.group !== kind.group ? cohabiting[`${kind.group}/${kind.kind}`] : undefined;
  if (stored.group !== kind.group && !across) throw new Error(`${kind.group}/${kind.kind} is stored as ${storedAPIVersion} ${stored.kind} with no conversion between them`);

  const form = storedForms.get(`${stored.group}/${stored.kind}`);

  /** A stored object, of any version of the stored kind or in its stored form, in the stored version. */
  const normalize = (obj: StoredObject): StoredObject => {
    if (obj.apiVersion === storedAPIVersion || typeof obj.apiVersion !== 'string') return obj;
    if (form && obj.apiVersion === form.apiVersion) return form.fromStored(obj);
    const gv = parseApiVersion(obj.apiVersion);
    const other = gv.group === stored.group ? scheme.kindFor(gv.group, gv.version, typeof obj.kind === 'string' ? obj.kind : stored.kind) : undefined;
    if (!other || other === stored) return obj;
    const copy = structuredClone(obj); // the watch cache shares what it holds
    other.default(copy);
    return stored.fromHub(other.toHub(copy)) as StoredObject;
  };
  const toForm = form ? (obj: StoredObject) => form.toStored(obj) : (obj: StoredObject) => obj;
  // The hub is what is stored: only objects written in other versions need converting.
  if (kind === hub && !across) return mapStorage(inner, toForm, normalize, form ? undefined : storedAPIVersion);
  const decode = (obj: StoredObject): StoredObject => {
    const inGroup = across ? across.fromStored(normalize(obj)) : normalize(obj);
    const out = kind === hub ? inGroup : (kind.fromHub(inGroup) as StoredObject);
    if (kind !== hub) kind.default(out);
    // Converted, the object has the served version's Go shape, as Go's encoding of that version's type.
    goShapes.writeObject(out);
    return out;
  };
  const encode = (obj: StoredObject): StoredObject => {
    const inGroup = kind === hub ? obj : (kind.toHub(obj) as StoredObject);
    return toForm(across ? across.toStored(inGroup) : inGroup);
  };
  return mapStorage(inner, encode, decode);
}

/**
 * The store with objects converted by `encode` on the way in and `decode` on the way out. `servedAsStored`: the
 * apiVersion of objects that `decode` leaves as they are, so a list of only those keeps its encoded items.
 */
function mapStorage(inner: ObjectStorage, encode: (o: StoredObject) => StoredObject, decodeObject: (o: StoredObject) => StoredObject, servedAsStored?: string): ObjectStorage {
  const decode = (stored: StoredObject): StoredObject => (stored.apiVersion ? decodeObject(stored) : stored); // bookmarks and Status objects carry no apiVersion of the kind
  const decodeEvent = (ev: WatchEvent): StoredObject => decode(ev.object);
  /** An event's object already in the served version, which decode hands on as it is: shared, not copied. */
  const peekEvent = servedAsStored
    ? (ev: WatchEvent): StoredObject | undefined => {
        const obj = ev.peek?.();
        return obj?.apiVersion === servedAsStored ? obj : undefined;
      }
    : undefined;
  const servedOnly = (e: EncodedItem | undefined) => (e?.apiVersion === servedAsStored ? e : undefined);
  /** An event's cached text, where its object is in the served version (decode then hands it on as it is). */
  const encodedEvent = servedAsStored ? (ev: WatchEvent): EncodedItem | undefined => servedOnly(ev.encoded?.()) : undefined;
  return {
    create: async (key, obj, opts) => decode(await inner.create(key, encode(obj), opts)),
    get: async (key, opts) => decode(await inner.get(key, opts)),
    ...(servedAsStored && inner.getEncoded
      ? {
          // A promise chain, not an async function: the commonest read (a consistent GET) pays no frame for it.
          getEncoded: (key: string, opts?: GetOptions) => inner.getEncoded!(key, opts).then(servedOnly),
        }
      : {}),
    list: async (prefix, opts) => {
      const res = await inner.list(prefix, opts);
      if (servedAsStored && res.encoded && allOfApiVersion(res.encoded, servedAsStored)) return res;
      return { ...res, items: res.items.map(decode) };
    },
    guaranteedUpdate: async (key, tryUpdate, opts) => decode(await inner.guaranteedUpdate(key, async (current) => encode(await tryUpdate(decode(current))), opts)),
    delete: async (key, opts) => decode(await inner.delete(key, opts)),
    watch: (prefix, opts, sink) =>
      inner.watch(prefix, opts, {
        onEvent: (ev) => {
          if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return sink.onEvent(ev);
          // A shared event stays lazy: a watcher that finds its encoding already made never converts the object.
          if (ev.shared) return sink.onEvent(lazyWatchEvent(ev.type, ev, decodeEvent, ev.shared, peekEvent, encodedEvent));
          const object = decode(ev.object);
          sink.onEvent(object === ev.object ? ev : { ...ev, object });
        },
        onError: (err) => sink.onError(err),
      }),
    currentRevision: () => inner.currentRevision(),
  };
}
