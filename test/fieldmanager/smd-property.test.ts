/**
 * The property test of issue 9: for every generated kind, random objects built from the kind's own schema obey
 * apply's laws: applying the same configuration twice changes nothing (object and managers), and a merged object
 * is exactly what extracting its own field set gives back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupVersions } from '../../generated/index.ts';
import { apply, equalValues, keyElement, typed, valueElement, type Atom, type JSONValue, type ManagedFields } from '../../runtime/fieldmanager/smd/index.ts';
import { builtinConverter } from './smd-support.ts';

/** A small seeded generator (mulberry32): the same seed gives the same objects on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}
type Random = ReturnType<typeof random>;

// Small pools, so two random objects often name the same keys and list items and their merge has work to do.
const strings = ['a', 'b', 'x-1', 'nginx'];

function scalar(atom: Atom, r: Random): JSONValue {
  switch (atom.scalar) {
    case 'numeric':
      return r.int(4);
    case 'boolean':
      return r.chance(0.5);
    case 'string':
      return r.pick(strings);
    default:
      return r.chance(0.5) ? r.pick(strings) : r.int(4);
  }
}

const maxDepth = 7;

/** A valid-ish value of the atom, or undefined (leave the field out). */
function generate(atom: Atom, r: Random, depth: number): JSONValue | undefined {
  const untyped = !!atom.scalar && !!atom.map && !!atom.list;
  if (atom.scalar && (!atom.map || (untyped && r.chance(0.7)))) return scalar(atom, r);
  if (atom.map && !(atom.list && r.chance(0.1))) {
    const map = atom.map;
    const out: Record<string, JSONValue> = {};
    if (depth > maxDepth) return map.fields.size ? undefined : {};
    const p = depth < 4 ? 0.6 : 0.3;
    for (const [name, field] of map.fields) {
      if (!r.chance(p)) continue;
      const v = generate(field.type.atom, r, depth + 1);
      if (v !== undefined) out[name] = v;
    }
    if (map.elementType && (map.fields.size === 0 || r.chance(0.2))) {
      for (let i = 0, n = 1 + r.int(2); i < n; i++) {
        const v = generate(map.elementType.atom, r, depth + 1);
        if (v !== undefined) out[r.pick(['k0', 'k1', 'k2'])] = v;
      }
    }
    return out;
  }
  if (atom.list) {
    if (depth > maxDepth) return undefined;
    const list = atom.list;
    const element = list.elementType.atom;
    const items: JSONValue[] = [];
    const seen = new Set<string>();
    for (let i = 0, n = 1 + r.int(3); i < n; i++) {
      let item = generate(element, r, depth + 1);
      if (item === undefined) continue;
      if (list.relationship === 'associative') {
        let id: string;
        if (list.keys.length) {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
          item = { ...item };
          for (const k of list.keys) item[k] = scalar(element.map?.fields.get(k)?.type.atom ?? { scalar: 'string' }, r);
          id = keyElement(list.keys.map((k) => [k, (item as Record<string, JSONValue>)[k]] as const)).id;
        } else {
          if (typeof item === 'object' && item !== null) return undefined;
          id = valueElement(item).id;
        }
        if (seen.has(id)) continue;
        seen.add(id);
      }
      items.push(item);
    }
    return items.length ? items : undefined;
  }
  return undefined;
}

function sameManagers(a: ManagedFields, b: ManagedFields): boolean {
  if (a.size !== b.size) return false;
  for (const [m, vs] of a) {
    const other = b.get(m);
    if (!other || other.applied !== vs.applied || other.apiVersion !== vs.apiVersion || !other.set.equals(vs.set)) return false;
  }
  return true;
}

const kinds = groupVersions.flatMap((gv) => gv.kinds.map((k) => ({ gv, k })));
const seeds = 12;

describe('smd properties over every generated kind', () => {
  it(`hold for ${kinds.length} kinds, ${seeds} seeds each`, () => {
    assert.ok(kinds.length > 50, 'every registration is iterated');
    const tc = builtinConverter();
    let merges = 0;
    for (const { gv, k } of kinds) {
      const type = tc.type(k.openapiName);
      assert.ok(type, `${k.openapiName} has a type`);
      const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
      for (let seed = 1; seed <= seeds; seed++) {
        const where = `${apiVersion} ${k.kind} seed ${seed}`;
        const r = random(seed * 7919 + k.kind.length);
        const object = (): Record<string, JSONValue> => {
          const o = (generate(type.atom, r, 0) ?? {}) as Record<string, JSONValue>;
          return { ...o, apiVersion, kind: k.kind, metadata: { ...((o.metadata as object) ?? {}), name: 'x' } };
        };
        const one = typed(object(), type);
        const two = typed(object(), type);
        assert.deepEqual(one.validate(), [], where);
        assert.deepEqual(two.validate(), [], where);

        const first = apply(typed(null, type), one, apiVersion, new Map(), 'one', false);
        const again = apply(first.object, one, apiVersion, first.managers, 'one', false);
        assert.ok(equalValues(again.object.value, first.object.value), `${where}: applying twice changed the object`);
        assert.ok(!again.changed, where);
        assert.ok(sameManagers(again.managers, first.managers), `${where}: applying twice changed the managers`);

        const second = apply(first.object, two, apiVersion, first.managers, 'two', true);
        const secondAgain = apply(second.object, two, apiVersion, second.managers, 'two', false);
        assert.ok(equalValues(secondAgain.object.value, second.object.value), `${where}: a second applier is not idempotent`);
        assert.ok(sameManagers(secondAgain.managers, second.managers), `${where}: a second applier's managers moved`);

        const merged = one.merge(two);
        assert.deepEqual(merged.extractItems(merged.toFieldSet()).value, merged.value, `${where}: merge then extract does not round-trip`);
        merges++;
      }
    }
    assert.equal(merges, kinds.length * seeds);
  });
});
