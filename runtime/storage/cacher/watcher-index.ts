/**
 * The watchers of one watch cache, kept where a change can find the few that may select it (upstream's
 * storage/cacher `indexedWatchers`: watchers by namespace/name scope, and by the value of a trigger field such as a
 * pod's spec.nodeName). A thousand kubelets each watching the pods of its own node cost a pod's change one or two
 * lookups, not a thousand predicate tests.
 *
 * Each watcher has exactly one place, so a change visits it at most once:
 *  - by a field value it requires exactly (`spec.nodeName=n1`, any selectable field but the name and namespace, by
 *    the first such field of its selector), under the function that makes the kind's selectable fields: a change
 *    visits the watchers of its object's value and, for an update, of the old object's value, so the watcher of
 *    the node a pod leaves sees it leave;
 *  - else by scope: the namespace its prefix (or a `metadata.namespace=` selector) names and the name a
 *    `metadata.name=` selector names, each possibly empty (any); a change visits the four scopes of its key's
 *    namespace and name (a name and namespace never change, so the old object's are the same);
 *  - a watcher whose prefix is no namespace (a deeper or unusual one) or whose predicate tells nothing is scoped to
 *    everything.
 * The index only narrows who is asked: each visited watcher's own predicate still decides what it is sent.
 */
import type { Predicate, StoredObject } from '../store.ts';

/** A kind's selectable fields of an object (Predicate.selection.fields.of: one function for the life of a store). */
export type FieldsOf = (obj: StoredObject) => Record<string, string>;

export interface IndexedWatcher {
  readonly prefix: string;
  readonly predicate: Predicate;
  /** Where the index keeps it (set by add, read by delete). */
  place?: { bucket: Set<IndexedWatcher>; drop(): void };
}

/**
 * The selectable fields of `change`'s object (a deleted object's last state) and, for an update whose old object
 * is known, of the old object, as `of` makes them.
 */
export type ChangeFields<C> = (change: C, of: FieldsOf) => readonly [now: Readonly<Record<string, string>>, before?: Readonly<Record<string, string>>];

/** Calls `visit(w, change)` for each watcher of `bucket`. */
function visitEach<W, C>(bucket: ReadonlySet<W> | undefined, change: C, visit: (w: W, change: C) => void): void {
  if (bucket) for (const w of bucket) visit(w, change);
}

export class WatcherIndex<W extends IndexedWatcher> {
  /** Every watcher, in the order they came (bookmarks, ending them all). */
  readonly all = new Set<W>();
  /** By scope: per namespace, per name, either possibly empty (any). */
  private readonly scoped = new Map<string, Map<string, Set<W>>>();
  /** By one field value: per fields function, per field, per value. */
  private readonly byField = new Map<FieldsOf, Map<string, Map<string, Set<W>>>>();

  /** `prefix`: the cache's resource prefix (with its trailing '/'), every watcher's prefix starts with it. */
  constructor(private readonly prefix: string) {}

  add(w: W): void {
    if (this.all.has(w)) return;
    this.all.add(w);
    const fields = w.predicate.selection?.fields;
    const exact = fields?.exact;
    const field = exact && Object.keys(exact).find((f) => f !== 'metadata.name' && f !== 'metadata.namespace');
    if (field !== undefined) {
      let fieldsOf = this.byField.get(fields!.of);
      if (!fieldsOf) this.byField.set(fields!.of, (fieldsOf = new Map()));
      let values = fieldsOf.get(field);
      if (!values) fieldsOf.set(field, (values = new Map()));
      return this.put(w, values, exact![field], () => {
        if (values.size === 0) fieldsOf.delete(field);
        if (fieldsOf.size === 0) this.byField.delete(fields!.of);
      });
    }
    const rest = w.prefix.slice(this.prefix.length);
    const namespaced = rest === '' || rest.indexOf('/') === rest.length - 1;
    const namespace = namespaced ? rest.slice(0, -1) || exact?.['metadata.namespace'] || '' : '';
    let names = this.scoped.get(namespace);
    if (!names) this.scoped.set(namespace, (names = new Map()));
    this.put(w, names, namespaced ? (exact?.['metadata.name'] ?? '') : '', () => names.size === 0 && this.scoped.delete(namespace));
  }

  delete(w: W): void {
    if (!this.all.delete(w)) return;
    w.place?.bucket.delete(w);
    if (w.place?.bucket.size === 0) w.place.drop();
    w.place = undefined;
  }

  /** Calls `visit(w, change)` for every watcher. */
  forEach<C>(change: C, visit: (w: W, change: C) => void): void {
    visitEach(this.all, change, visit);
  }

  /**
   * Calls `visit(w, change)` once for each watcher that may select `change` of `key` (see the module comment);
   * `fields` gives the change's selectable fields, asked only when some watcher is placed by a field. A key that is
   * no `namespace/name` or `name` under the prefix visits every watcher. The change is handed through rather than
   * closed over, so a caller makes its two functions once, not per change.
   */
  forEachCandidate<C>(key: string, change: C, fields: ChangeFields<C>, visit: (w: W, change: C) => void): void {
    const rest = key.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    const namespace = slash < 0 ? '' : rest.slice(0, slash);
    const name = slash < 0 ? rest : rest.slice(slash + 1);
    if (name === '' || name.includes('/') || !key.startsWith(this.prefix)) return this.forEach(change, visit);
    const inNamespace = namespace ? this.scoped.get(namespace) : undefined;
    if (inNamespace) {
      visitEach(inNamespace.get(name), change, visit);
      visitEach(inNamespace.get(''), change, visit);
    }
    const anywhere = this.scoped.get('');
    if (anywhere) {
      visitEach(anywhere.get(name), change, visit);
      visitEach(anywhere.get(''), change, visit);
    }
    for (const [of, byName] of this.byField) {
      const [now, before] = fields(change, of);
      for (const [field, values] of byName) {
        const value = now[field] ?? '';
        visitEach(values.get(value), change, visit);
        // A watcher of the old value only: the object left its selection (or changed within it, for other fields).
        const old = before && (before[field] ?? '');
        if (old !== undefined && old !== value) visitEach(values.get(old), change, visit);
      }
    }
  }

  private put(w: W, buckets: Map<string, Set<W>>, key: string, dropped?: () => void): void {
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new Set()));
    w.place = {
      bucket: bucket as Set<IndexedWatcher>,
      drop: () => {
        buckets.delete(key);
        dropped?.();
      },
    };
    bucket.add(w);
  }
}
