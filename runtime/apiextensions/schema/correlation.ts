/**
 * The old value that goes with each part of a custom resource's new value on update, and whether that part is
 * unchanged: what ratcheting decides by (upstream's CorrelatedObject and MapList, apiserver v0.32.0
 * pkg/cel/common/equality.go and maplist.go). Object fields correlate by name; items of an
 * `x-kubernetes-list-type: map` list by their `x-kubernetes-list-map-keys`, wherever they moved; items of any other
 * list do not correlate at all, so such a list is unchanged only as a whole, in order.
 *
 * "Unchanged" is upstream's CachedDeepEqual, which differs from plain deep equality in two ways a client can see:
 * a map list that was only reordered is unchanged, and an object holding a field its schema does not describe
 * (kept by `x-kubernetes-preserve-unknown-fields`) is never unchanged.
 */
import { additionalOf, deepEqualJSON, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

/** A lookup of a map list's items by their keys: the first item with the keys of the given one. */
export type MapList = (item: unknown) => Record<string, unknown> | undefined;

const noMapList: MapList = () => undefined;

/**
 * The key an item of a map list is found by, or undefined when it has none: every key field must be present and a
 * scalar (upstream's key strategies; numbers compare as numbers).
 */
function compositeKey(item: Record<string, unknown>, keys: readonly string[]): string | undefined {
  let out = '';
  for (const k of keys) {
    const v = item[k];
    const t = typeof v;
    if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'bigint') return undefined;
    out += `\0${t === 'string' ? JSON.stringify(v) : `${t[0]}${String(v)}`}`;
  }
  return out;
}

/** The items of `old`, a list with schema `s`, by their map keys; finds nothing unless `s` is a keyed map list. */
export function makeMapList(s: JSONSchemaProps | undefined, old: unknown): MapList {
  const keys = s?.['x-kubernetes-list-map-keys'];
  if (s?.type !== 'array' || s['x-kubernetes-list-type'] !== 'map' || !keys?.length || !Array.isArray(old) || old.length === 0) return noMapList;
  let byKey: Map<string, Record<string, unknown>> | undefined;
  return (item) => {
    if (!isObject(item)) return undefined;
    const key = compositeKey(item, keys);
    if (key === undefined) return undefined;
    if (!byKey) {
      byKey = new Map();
      for (const o of old) {
        if (!isObject(o)) continue;
        const k = compositeKey(o, keys);
        if (k !== undefined && !byKey.has(k)) byKey.set(k, o);
      }
    }
    return byKey.get(key);
  };
}

/** One part of the new value with its old value; children are made on demand and kept. */
export class Correlation {
  private children?: Map<string | number, Correlation | undefined>;
  private mapList?: MapList;
  private equal?: boolean;

  constructor(
    readonly value: unknown,
    readonly old: unknown,
    readonly schema: JSONSchemaProps | undefined,
  ) {}

  /** The correlation of field `name`, undefined when either side lacks it or the schema does not describe it. */
  key(name: string): Correlation | undefined {
    const cached = this.children?.get(name);
    if (cached !== undefined || this.children?.has(name)) return cached;
    let child: Correlation | undefined;
    const s = this.schema;
    if (s && isObject(this.value) && isObject(this.old) && Object.hasOwn(this.value, name) && Object.hasOwn(this.old, name)) {
      const childSchema = s.properties && Object.hasOwn(s.properties, name) ? s.properties[name] : additionalOf(s);
      if (childSchema) child = new Correlation(this.value[name], this.old[name], childSchema);
    }
    (this.children ??= new Map()).set(name, child);
    return child;
  }

  /** The correlation of item `i`: only a map list's items have one, the old item with the same keys. */
  index(i: number): Correlation | undefined {
    const cached = this.children?.get(i);
    if (cached !== undefined || this.children?.has(i)) return cached;
    let child: Correlation | undefined;
    const s = this.schema;
    if (s && Array.isArray(this.value) && Array.isArray(this.old) && i < this.value.length && s['x-kubernetes-list-type'] === 'map') {
      this.mapList ??= makeMapList(s, this.old);
      const old = this.mapList(this.value[i]);
      const items = itemsOf(s);
      if (old !== undefined && items) child = new Correlation(this.value[i], old, items);
    }
    (this.children ??= new Map()).set(i, child);
    return child;
  }

  /** Whether this part is unchanged from its old value, as ratcheting means it (see the file comment); cached. */
  unchanged(): boolean {
    return (this.equal ??= this.compare());
  }

  private compare(): boolean {
    const v = this.value;
    const o = this.old;
    if (v === null || v === undefined || o === null || o === undefined) return (v ?? null) === (o ?? null);
    if (Array.isArray(v) || Array.isArray(o)) {
      if (!Array.isArray(v) || !Array.isArray(o) || v.length !== o.length) return false;
      if (this.schema?.['x-kubernetes-list-type'] !== 'map') return deepEqualJSON(v, o);
      for (let i = 0; i < v.length; i++) if (!this.index(i)?.unchanged()) return false;
      return true;
    }
    if (isObject(v) || isObject(o)) {
      if (!isObject(v) || !isObject(o)) return false;
      const keys = Object.keys(v);
      if (keys.length !== Object.keys(o).length) return false;
      return keys.every((k) => this.key(k)?.unchanged() === true);
    }
    return v === o;
  }
}
