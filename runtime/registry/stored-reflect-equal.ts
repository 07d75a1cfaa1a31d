/**
 * Upstream strategies that count generations with reflect.DeepEqual (webhook configurations, NetworkPolicies)
 * instead of apiequality.Semantic. The old object of an update comes from storage, where protobuf keeps no empty
 * list or map (they read back as nil); the new one is decoded from the request, where `[]` and `{}` are empty but
 * not nil. So reflect.DeepEqual tells them apart from the semantic comparison exactly when the new value holds an
 * empty list or map somewhere: `webhooks: []` bumps the generation on every write that sends it.
 */
import { semanticEqual } from '../machinery/semantic-equal.ts';

type Schema = { type?: string; properties?: Record<string, Schema>; patternProperties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; anyOf?: Schema[] };

/** The schema of a Go map[string]string (a ConfigMap's data, a StorageClass's parameters), for storedReflectEqual. */
export const stringMapSchema = { type: 'object', additionalProperties: { type: 'string' } };

/** reflect.DeepEqual of `value` (from the request) and `old` (from storage), `schema` saying which objects are maps. */
export function storedReflectEqual(value: unknown, old: unknown, schema: unknown): boolean {
  return semanticEqual(value, old) && !holdsEmptyCollection(value, schema as Schema | undefined);
}

function mapValues(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  if (s.patternProperties) return Object.values(s.patternProperties)[0] ?? {};
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return s.additionalProperties;
  return undefined;
}

/** Whether `v` is or holds a list or map that is empty (a struct with no fields set is neither). */
function holdsEmptyCollection(v: unknown, s: Schema | undefined): boolean {
  if (Array.isArray(v)) return v.length === 0 || v.some((item) => holdsEmptyCollection(item, s?.items));
  if (v === null || typeof v !== 'object') return false;
  const entries = Object.entries(v as Record<string, unknown>);
  const values = mapValues(s);
  if (values && !s?.properties) return entries.length === 0 || entries.some(([, x]) => holdsEmptyCollection(x, values));
  return entries.some(([k, x]) => holdsEmptyCollection(x, s?.properties?.[k]));
}
