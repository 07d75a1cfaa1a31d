/**
 * The values a CRD's schemas hold as free JSON (`default`, `example` and each `enum` value), as upstream leaves them:
 * its v1 -> internal conversion decodes them into untyped Go values (apimachinery's util/json: integers int64, other
 * numbers float64) and the way back encodes them again, so every write answers and stores them with object keys
 * sorted (a Go map's order) and their int64s past 2^53 exact. Numbers need nothing more: JSON.parse and Go's float
 * encoding already agree on `1.0` -> `1`, `1e3` -> `1000`, `1e21` -> `1e+21`.
 *
 * A CRD is therefore decoded with exact int64s wherever a custom resource is (machinery/json-int64.ts); its form
 * turns the bounds back into numbers, float64s in Go (`maximum`, `minimum`, `multipleOf`) or int64s that schema
 * checks and CEL cost estimates compare and count with (`maxLength`, ...; past 2^53 they only lose digits no
 * request can reach).
 */
import { asFloat64, registerInt64Form } from '../../../machinery/json-int64.ts';
import { goOrdered, isJsonObject } from '../../../machinery/json-value.ts';
import type { StoredObject } from '../../../storage/store.ts';

type Node = Record<string, unknown>;

/** Members whose value is a map of schemas, and those that hold one schema or a list of them (else a bool or strings). */
const schemaMaps = ['properties', 'patternProperties', 'definitions', 'dependencies'];
const schemaSlots = ['items', 'additionalProperties', 'additionalItems', 'not', 'allOf', 'anyOf', 'oneOf'];

/** A schema node's numeric bounds. */
const bounds = ['maximum', 'minimum', 'multipleOf', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'];

/** Calls `visit` on `node` and every schema below it. */
function eachSchema(node: unknown, visit: (s: Node) => void): void {
  if (!isJsonObject<unknown>(node)) return;
  visit(node);
  for (const key of schemaMaps) {
    const children = node[key];
    if (isJsonObject<unknown>(children)) for (const name of Object.keys(children)) eachSchema(children[name], visit);
  }
  for (const key of schemaSlots) {
    const slot = node[key];
    if (Array.isArray(slot)) for (const s of slot) eachSchema(s, visit);
    else eachSchema(slot, visit);
  }
}

/** Calls `visit` on every schema node of a CRD: each version's, and v1beta1's (the stored form) CRD-wide one. */
function eachCRDSchema(crd: Node, visit: (s: Node) => void): void {
  const spec = crd.spec as Node | undefined;
  if (!isJsonObject<unknown>(spec)) return;
  const versions: unknown[] = Array.isArray(spec.versions) ? spec.versions : [];
  for (const v of versions) if (isJsonObject<StoredObject>(v)) eachSchema(v.schema?.openAPIV3Schema, visit);
  if (isJsonObject<StoredObject>(spec.validation)) eachSchema(spec.validation.openAPIV3Schema, visit);
}

function boundsAsNumbers(s: Node): void {
  for (const b of bounds) if (typeof s[b] === 'bigint') s[b] = asFloat64(s[b]);
}

for (const apiVersion of ['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']) {
  registerInt64Form(apiVersion, 'CustomResourceDefinition', (crd) => eachCRDSchema(crd, boundsAsNumbers));
}

/** Re-encodes the free JSON values of every version's schema as upstream's conversion does. Mutates `crd`. */
export function normalizeSchemaJsonValues(crd: StoredObject): void {
  eachCRDSchema(crd, (node) => {
    if (Object.hasOwn(node, 'default')) node.default = goOrdered(node.default);
    if (Object.hasOwn(node, 'example')) node.example = goOrdered(node.example);
    if (Array.isArray(node.enum)) node.enum = node.enum.map(goOrdered);
    // A patch's exact values (a JSON patch setting a bound past 2^53) end as the decoder leaves them.
    boundsAsNumbers(node);
  });
}
