/**
 * Property tests over every generated kind with random valid objects (fast-check):
 * - conversion: version -> hub -> version is lossless for every served version;
 * - protobuf: encode -> decode keeps every value, except zero values a Go client cannot tell from absent.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { addToScheme, groupVersions } from '../../generated/index.ts';
import { readRawForms } from '../../runtime/machinery/raw-json.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { arbitraryObject } from '../support/arbitrary.ts';

const scheme = new Scheme();
addToScheme(scheme);
const kinds = groupVersions.flatMap((gv) => gv.kinds);
const runs = Number(process.env.ROUNDTRIP_RUNS ?? 40);

/** Whether `v` is what a protobuf decoder may leave out: a zero scalar or an empty list or map. */
function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(isZero));
}

/** `got` equals `want` except that zero values of `want` may be missing from `got`. */
function assertEqualUpToZeros(got: unknown, want: unknown, path = ''): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    assert.ok(got !== null && typeof got === 'object', `${path}: expected an object, got ${JSON.stringify(got)}`);
    const g = got as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) {
      // A kind nested in another (a StatefulSet's volumeClaimTemplates) has no apiVersion/kind on the wire, as upstream.
      if (!(k in g) && path !== '' && (k === 'apiVersion' || k === 'kind')) continue;
      if (!(k in g)) assert.ok(isZero(v), `${path}.${k}: ${JSON.stringify(v)} was lost`);
      else assertEqualUpToZeros(g[k], v, `${path}.${k}`);
    }
    // Decoding writes Go's shape: a field Go always writes comes back as its zero (null, '', 0, {}) when unset.
    for (const k of Object.keys(g)) assert.ok(k in want || g[k] === null || isZero(g[k]), `${path}.${k}: ${JSON.stringify(g[k])} appeared from nowhere`);
    return;
  }
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) && got.length === want.length, `${path}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    want.forEach((v, i) => assertEqualUpToZeros((got as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  // A MicroTime comes back with its six fractional digits: the same instant, upstream's canonical text.
  if (typeof got === 'string' && typeof want === 'string' && rfc3339.test(got) && rfc3339.test(want)) {
    assert.equal(Date.parse(got), Date.parse(want), path);
    return;
  }
  assert.deepEqual(got, want, path);
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('conversion round trips through the hub', () => {
  for (const kind of kinds) {
    it(`${kind.group || 'core'}/${kind.version} ${kind.kind}`, () => {
      fc.assert(
        fc.property(arbitraryObject(kind), (obj) => {
          kind.default(obj);
          const back = kind.fromHub(kind.toHub(structuredClone(obj)));
          kind.default(back);
          assert.deepEqual(back, obj);
        }),
        { numRuns: runs },
      );
    });
  }
});

describe('protobuf round trips', () => {
  for (const kind of kinds.filter((k) => k.protobuf)) {
    it(`${kind.group || 'core'}/${kind.version} ${kind.kind}`, () => {
      fc.assert(
        fc.property(arbitraryObject(kind), (obj) => {
          kind.default(obj);
          const decoded = scheme.protobuf.decodeObject(scheme.protobuf.encodeObject(obj));
          // RawExtension fields come back as the texts they hold (machinery/raw-json.ts), compared here as values.
          assertEqualUpToZeros(readRawForms(decoded), obj);
          // Decoding is stable: a second trip changes nothing.
          assert.deepEqual(scheme.protobuf.decodeObject(scheme.protobuf.encodeObject(decoded)), decoded);
        }),
        { numRuns: runs },
      );
    });
  }

  it('encodes a list of a kind as its List message', () => {
    const list = { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'a' }, data: { k: 'v' } }] };
    assert.deepEqual(scheme.protobuf.decodeObject(scheme.protobuf.encodeObject(list)), list);
  });
});
