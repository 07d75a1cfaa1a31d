/**
 * The values a CRD's schemas hold as free JSON (`default`, `example` and each `enum` value), as upstream leaves them:
 * its v1 -> internal conversion decodes them into untyped Go values and the way back encodes them again, so every
 * write answers and stores them with object keys sorted (a Go map's order). Numbers need nothing here: JSON.parse
 * and Go's float encoding already agree on `1.0` -> `1`, `1e3` -> `1000`, `1e21` -> `1e+21`.
 */
import { goOrdered, isJsonObject } from '../../../machinery/json-value.ts';
import type { StoredObject } from '../../../storage/store.ts';

/** Members whose value is a map of schemas, and those that hold one schema or a list of them (else a bool or strings). */
const schemaMaps = ['properties', 'patternProperties', 'definitions', 'dependencies'];
const schemaSlots = ['items', 'additionalProperties', 'additionalItems', 'not', 'allOf', 'anyOf', 'oneOf'];

function normalizeSchema(node: unknown): void {
  if (!isJsonObject<unknown>(node)) return;
  if (Object.hasOwn(node, 'default')) node.default = goOrdered(node.default);
  if (Object.hasOwn(node, 'example')) node.example = goOrdered(node.example);
  if (Array.isArray(node.enum)) node.enum = node.enum.map(goOrdered);
  for (const key of schemaMaps) {
    const children = node[key];
    if (isJsonObject<unknown>(children)) for (const name of Object.keys(children)) normalizeSchema(children[name]);
  }
  for (const key of schemaSlots) {
    const slot = node[key];
    if (Array.isArray(slot)) slot.forEach(normalizeSchema);
    else normalizeSchema(slot);
  }
}

/** Re-encodes the free JSON values of every version's schema as upstream's conversion does. Mutates `crd`. */
export function normalizeSchemaJsonValues(crd: StoredObject): void {
  const versions: unknown[] = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  for (const v of versions) if (isJsonObject<StoredObject>(v)) normalizeSchema(v.schema?.openAPIV3Schema);
}
