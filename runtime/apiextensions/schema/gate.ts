/**
 * The fast path of OpenAPI validation: the schema translated once into plain JSON Schema and compiled by TypeBox
 * into generated code. A valid object (the common case) is accepted by that code alone; only an object it refuses
 * goes through the kube-openapi-faithful validator (./validation.ts), which finds and words the errors.
 *
 * The translation is never more lenient than kube-openapi: where the two could disagree (a `multipleOf` on a
 * number, where upstream truncates factors and tolerates rounding differently) the fast path refuses and leaves
 * the verdict to the faithful validator.
 */
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import { compileGoRegexp } from '../../machinery/go-regexp.ts';
import { formatCheck } from './formats.ts';
import { additionalOf, itemsOf, type JSONSchemaProps } from './structural.ts';

/** Format names in TypeBox's global registry, prefixed so they never clash with the generated kinds' formats. */
function registerFormat(format: string): string {
  const name = `k8s.crd.${format}`;
  if (!Format.Has(name)) {
    const check = formatCheck(format)!;
    Format.Set(name, (v: string) => check(v));
  }
  return name;
}

const never = { not: {} };

/**
 * A Go pattern as TypeBox takes one: a RegExp, whose `test` it calls. Its `test` is Go's linear-time matcher, not
 * JavaScript's backtracking engine, so a pattern from a CRD cannot hold the server. Throws Go's error.
 */
function goPattern(pattern: string): RegExp {
  const go = compileGoRegexp(pattern);
  return Object.assign(new RegExp(''), { test: (text: string) => go.test(text) });
}
/** A float64 past 2^53 is no integer to kube-openapi; a whole number past it is a BigInt, which the gate refuses. */
const jsonIntegerBound = Number.MAX_SAFE_INTEGER;

function translate(s: JSONSchemaProps): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const types = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type ? [s.type] : [];
  if (types.length > 0) {
    if (s.nullable) types.push('null');
    out.type = types.length === 1 ? types[0] : types;
  }
  if (formatCheck(s.format)) out.format = registerFormat(s.format!);
  if (s.enum && s.enum.length > 0) out.enum = s.enum;
  if (s.maximum !== undefined) out[s.exclusiveMaximum ? 'exclusiveMaximum' : 'maximum'] = s.maximum;
  if (s.minimum !== undefined) out[s.exclusiveMinimum ? 'exclusiveMinimum' : 'minimum'] = s.minimum;
  if (s.maxLength !== undefined) out.maxLength = s.maxLength;
  if (s.minLength !== undefined) out.minLength = s.minLength;
  if (s.pattern !== undefined) {
    try {
      out.pattern = goPattern(s.pattern); // Go's meaning, as the faithful validator: never more lenient
    } catch {
      return never; // upstream reports the broken pattern for every value; let the faithful validator say so
    }
  }
  if (s.maxItems !== undefined) out.maxItems = s.maxItems;
  if (s.minItems !== undefined) out.minItems = s.minItems;
  if (s.uniqueItems) out.uniqueItems = true;
  if (s.maxProperties !== undefined) out.maxProperties = s.maxProperties;
  if (s.minProperties !== undefined) out.minProperties = s.minProperties;
  if (s.required && s.required.length > 0) out.required = s.required;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, translate(p)]));
  if (s.additionalProperties === false) out.additionalProperties = false;
  else if (additionalOf(s)) out.additionalProperties = translate(additionalOf(s)!);
  const items = itemsOf(s);
  if (items) out.items = translate(items);
  const allOf: unknown[] = (s.allOf ?? []).map(translate);
  if (s.anyOf) out.anyOf = s.anyOf.map(translate);
  if (s.oneOf) out.oneOf = s.oneOf.map(translate);
  if (s.not) out.not = translate(s.not);
  // Upstream truncates multipleOf and fractional bounds to int64 for whole numbers: leave those to the faithful
  // validator rather than model the truncation here.
  const fractionalBound = [s.maximum, s.minimum].some((b) => b !== undefined && !Number.isInteger(b));
  if (s.multipleOf !== undefined || fractionalBound) allOf.push({ not: { type: 'number' } });
  // Numbers past 2^53 are float64 upstream (int64s past it are BigInts), and not integers there.
  if (types.includes('integer')) allOf.push({ minimum: -jsonIntegerBound, maximum: jsonIntegerBound });
  if (allOf.length > 0) out.allOf = allOf;
  return out;
}

/** Compiles the fast-path check of a schema: true means kube-openapi finds no error either. */
export function compileGate(schema: JSONSchemaProps): (value: unknown) => boolean {
  let validator: { Check(v: unknown): boolean };
  try {
    validator = Compile(translate(schema) as never);
  } catch {
    return () => false; // a schema TypeBox cannot compile still validates, through the faithful validator
  }
  return (value) => validator.Check(value);
}

export { translate as toJSONSchema };
