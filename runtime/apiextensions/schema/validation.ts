/**
 * OpenAPI v3 value validation of custom resources, with kube-openapi's semantics and messages (the validator
 * upstream's apiextensions server runs): the schema is compiled once into a tree of small closures, and each
 * error is reported as kube-openapi words it (`spec.replicas in body must be of type integer: "string"`) and
 * then turned into a field error the way upstream's `kubeOpenAPIResultToFieldErrors` does (enum -> Unsupported
 * value, maxLength -> Too long, maxItems/maxProperties -> Too many, type and format -> Invalid value (type),
 * required -> Required value, the rest -> Invalid value). Paths are kube-openapi's: dotted, map keys too
 * (`spec.labels.foo`), indexes in brackets (`spec.items[0].name`).
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { goInterfaceValue } from '../../machinery/go-syntax.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import { jsonText } from '../../machinery/json-text.ts';
import { compileGoRegexp, type GoRegexp } from '../../machinery/go-regexp.ts';
import { formatCheck } from './formats.ts';
import { compileGate } from './gate.ts';
import { additionalOf, deepEqualJSON, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';
import { formatGoFloat } from '../../machinery/go-float.ts';
import type { Correlation } from './correlation.ts';

/** One kube-openapi validation error, before it becomes a field error. */
interface OpenAPIError {
  kind: 'type' | 'required' | 'enum' | 'tooLong' | 'maxItems' | 'maxProperties' | 'invalid' | 'composite';
  /** kube-openapi's path of the value (`spec.replicas`, `.spec` for a required root field). */
  name: string;
  value?: unknown;
  limit?: number;
  values?: unknown[];
  message: string;
}

type Errs = OpenAPIError[];
/**
 * Validates one value at `path`; with `c` (an update whose old value correlates here), the errors found at and
 * below this value are dropped when it is unchanged (ratcheting, upstream's ratchetingValueValidator).
 */
type Node = (v: unknown, path: string, errs: Errs, c?: Correlation) => void;

/** Go's %v of a float64 (shortest 'g'): 10 -> "10", 0.5 -> "0.5", 1e6 -> "1e+06", 1234567 -> "1.234567e+06". */
export function goFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  return v === 0 ? '0' : formatGoFloat(v);
}

/** go-openapi's IsFloat64AJSONInteger: whole within 2^53, with a relative tolerance of 1e-9. */
function isJSONInteger(f: number): boolean {
  if (!Number.isFinite(f) || Math.abs(f) > 2 ** 53) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  const diff = Math.abs(f - g);
  if (g === 0) return diff < 1e-9 * Number.MIN_VALUE;
  return diff / (Math.abs(f) + Math.abs(g)) < 1e-9;
}

/** A bound as kube-openapi prints it: truncated to int64 for whole data, as a float64 otherwise. */
function showBound(bound: number, isInt: boolean): string {
  return isInt ? String(Math.trunc(bound)) : goFloat(bound);
}

function typeError(path: string, typeName: string, value: string): OpenAPIError {
  return { kind: 'type', name: path, value, message: `${path} in body must be of type ${typeName}: ${goQuote(value)}` };
}

function invalid(path: string, value: unknown, message: string): OpenAPIError {
  return { kind: 'invalid', name: path, value, message };
}

function composite(message: string): OpenAPIError {
  return { kind: 'composite', name: '', message };
}

type DataKind = 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';

function kindOf(v: unknown): DataKind {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      // A whole number within int64 is an int64 upstream, decoded exactly (a BigInt here past 2^53: json-int64.ts);
      // any other number is a float64, an integer to kube-openapi only within 2^53 (swag.IsFloat64AJSONInteger).
      return Number.isInteger(v) && Math.abs(v as number) <= Number.MAX_SAFE_INTEGER ? 'integer' : 'number';
    case 'bigint':
      return 'integer';
    default:
      return Array.isArray(v) ? 'array' : 'object';
  }
}

/** Go's reflect.DeepEqual after conversion to the enum value's type, close enough for JSON values. */
function enumMatches(v: unknown, allowed: unknown): boolean {
  if (typeof v === 'number' && typeof allowed === 'number') return v === allowed;
  // An int64 past 2^53 against a CRD's enum value, which JSON.parse read rounded.
  if (typeof v === 'bigint' && typeof allowed === 'number') return Number(v) === allowed;
  return deepEqualJSON(v, allowed);
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A schema's `pattern` with Go's meaning (kube-openapi runs Go's regexp), or Go's error text for one RE2 refuses. */
function compileRegexp(pattern: string): GoRegexp | string {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Compiles one schema (and everything below it) into a validation closure. */
export function compileNode(s: JSONSchemaProps): Node {
  const types: string[] = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type ? [s.type] : [];
  const nullable = s.nullable === true;
  const check = formatCheck(s.format);
  const format = check ? (s.format as string) : '';
  const hasNumeric = types.includes('number') || types.includes('integer');
  const typeApplies = types.length > 0 || format !== '';

  const anyOf = s.anyOf?.map(compileNode);
  const oneOf = s.oneOf?.map(compileNode);
  const allOf = s.allOf?.map(compileNode);
  const not = s.not ? compileNode(s.not) : undefined;
  const hasProps = !!(anyOf || oneOf || allOf || not);

  const pattern = s.pattern !== undefined ? compileRegexp(s.pattern) : undefined;
  const items = itemsOf(s);
  const itemNode = items ? compileNode(items) : undefined;
  const propNodes = s.properties ? Object.entries(s.properties).map(([k, p]) => [k, compileNode(p)] as const) : [];
  const properties = s.properties ?? {};
  const additional = additionalOf(s);
  const additionalNode = additional ? compileNode(additional) : undefined;
  const forbidsAdditional = s.additionalProperties === false;
  const enumValues = s.enum && s.enum.length > 0 ? s.enum : undefined;

  function typeValidate(v: unknown, kind: DataKind, path: string, errs: Errs): void {
    if (kind === 'null') {
      if (types.length > 0 && !types.includes('null') && !nullable) errs.push(typeError(path, types.join(','), 'null'));
      return;
    }
    const dataFormat = kind === 'integer' ? 'int64' : kind === 'number' ? 'float64' : '';
    const isIntFloat = kind === 'integer' && types.includes('number');
    if (kind !== 'string' && kind !== 'array' && format !== '' && !(types.includes(kind) || dataFormat === format || isIntFloat)) {
      errs.push(typeError(path, format, dataFormat));
      return;
    }
    if (!hasNumeric && format !== '' && (kind === 'string' || kind === 'array')) return;
    if (!(types.includes(kind) || isIntFloat)) errs.push(typeError(path, types.join(','), kind));
  }

  function propsValidate(v: unknown, path: string, errs: Errs, c: Correlation | undefined): void {
    if (anyOf) {
      let best: Errs | undefined;
      let ok = false;
      for (const n of anyOf) {
        const r: Errs = [];
        n(v, path, r, c);
        if (r.length === 0) {
          ok = true;
          best = undefined;
          break;
        }
        best ??= r;
      }
      if (!ok) errs.push(composite(`${goQuote(path)} must validate at least one schema (anyOf)`));
      if (best) errs.push(...best);
    }
    if (oneOf) {
      let best: Errs | undefined;
      let validated = 0;
      for (const n of oneOf) {
        const r: Errs = [];
        n(v, path, r, c);
        if (r.length === 0) {
          validated++;
          best = undefined;
          continue;
        }
        if (validated === 0) best ??= r;
      }
      if (validated !== 1) {
        const more = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
        errs.push(composite(`${goQuote(path)} must validate one and only one schema (oneOf). ${more}`));
        if (best) errs.push(...best);
      }
    }
    if (allOf) {
      let validated = 0;
      for (const n of allOf) {
        const r: Errs = [];
        n(v, path, r, c);
        if (r.length === 0) validated++;
        errs.push(...r);
      }
      if (validated !== allOf.length) {
        errs.push(composite(`${goQuote(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}`));
      }
    }
    if (not) {
      const r: Errs = [];
      not(v, path, r, c);
      if (r.length === 0) errs.push(composite(`${goQuote(path)} must not validate the schema (not)`));
    }
  }

  function stringValidate(v: string, path: string, errs: Errs): void {
    if (s.maxLength !== undefined && runeCount(v) > s.maxLength) {
      errs.push({ kind: 'tooLong', name: path, value: v, limit: s.maxLength, message: `${path} in body should be at most ${s.maxLength} chars long` });
      return;
    }
    if (s.minLength !== undefined && runeCount(v) < s.minLength) {
      errs.push(invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
      return;
    }
    if (pattern !== undefined) {
      if (typeof pattern === 'string') errs.push(invalid(path, v, `${path} in body should match '${s.pattern}, but pattern is invalid: ${pattern}'`));
      else if (!pattern.test(v)) errs.push(invalid(path, v, `${path} in body should match '${s.pattern}'`));
    }
  }

  /** A BigInt (an int64 past 2^53) compares exactly with the bounds, which are whole for integers as Go truncates them. */
  function numberValidate(v: number | bigint, kind: DataKind, path: string, errs: Errs): void {
    const isInt = kind === 'integer';
    if (s.multipleOf !== undefined) {
      const factor = isInt ? Math.trunc(s.multipleOf) : s.multipleOf;
      if (factor <= 0) {
        errs.push(invalid(path, factor, `factor MultipleOf declared for ${path} must be positive: ${showBound(s.multipleOf, isInt)}`));
      } else {
        const mult = typeof v === 'bigint' ? v % BigInt(factor) === 0n : isInt ? v % factor === 0 : isJSONInteger(factor < 1 ? (1 / factor) * v : v / factor);
        if (!mult) errs.push(invalid(path, v, `${path} in body should be a multiple of ${showBound(s.multipleOf, isInt)}`));
      }
    }
    if (s.minimum !== undefined) {
      const min = isInt ? Math.trunc(s.minimum) : s.minimum;
      const ex = s.exclusiveMinimum === true;
      if (ex ? v <= min : v < min) errs.push(invalid(path, v, `${path} in body should be greater than ${ex ? '' : 'or equal to '}${showBound(s.minimum, isInt)}`));
    }
    if (s.maximum !== undefined) {
      const max = isInt ? Math.trunc(s.maximum) : s.maximum;
      const ex = s.exclusiveMaximum === true;
      if (ex ? v >= max : v > max) errs.push(invalid(path, v, `${path} in body should be less than ${ex ? '' : 'or equal to '}${showBound(s.maximum, isInt)}`));
    }
  }

  function sliceValidate(v: unknown[], path: string, errs: Errs, c: Correlation | undefined): void {
    if (itemNode) for (let i = 0; i < v.length; i++) itemNode(v[i], `${path}[${i}]`, errs, c?.index(i));
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      errs.push({ kind: 'maxItems', name: path, value: v.length, limit: s.maxItems, message: `${path} in body should have at most ${s.maxItems} items` });
    }
    if (s.uniqueItems) {
      outer: for (let i = 1; i < v.length; i++) {
        for (let j = 0; j < i; j++) {
          if (deepEqualJSON(v[i], v[j])) {
            errs.push(invalid(path, '', `${path} in body shouldn't contain duplicates`));
            break outer;
          }
        }
      }
    }
  }

  function objectValidate(v: Record<string, unknown>, path: string, errs: Errs, c: Correlation | undefined): void {
    const keys = Object.keys(v);
    if (s.minProperties !== undefined && keys.length < s.minProperties) {
      errs.push(invalid(path, keys.length, `${path} in body should have at least ${s.minProperties} properties`));
    }
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
      errs.push({ kind: 'maxProperties', name: path, value: keys.length, limit: s.maxProperties, message: `${path} in body should have at most ${s.maxProperties} properties` });
    }
    if (forbidsAdditional) {
      for (const k of keys) if (!Object.hasOwn(properties, k)) errs.push(invalid(path, k, `${path}.${k} in body is a forbidden property`));
    } else if (additionalNode) {
      for (const k of keys) if (!Object.hasOwn(properties, k)) additionalNode(v[k], `${path}.${k}`, errs, c?.key(k));
    }
    for (const [k, node] of propNodes) {
      if (!Object.hasOwn(v, k) || v[k] === undefined) continue;
      // The root's apiVersion and kind never ratchet: both sides carry the version being served.
      node(v[k], path ? `${path}.${k}` : k, errs, path === '' && (k === 'apiVersion' || k === 'kind') ? undefined : c?.key(k));
    }
    if (s.required) {
      for (const k of s.required) {
        if (!Object.hasOwn(v, k) || v[k] === undefined) errs.push({ kind: 'required', name: `${path}.${k}`, message: `${path}.${k} in body is required` });
      }
    }
  }

  return function validateValue(v, path, errs, c) {
    const mark = errs.length;
    validateOwn(v, path, errs, c);
    if (c !== undefined && errs.length > mark && c.unchanged()) errs.length = mark;
  };

  function validateOwn(v: unknown, path: string, errs: Errs, c: Correlation | undefined): void {
    const kind = kindOf(v);
    if (kind === 'null') {
      if (typeApplies) typeValidate(v, kind, path, errs);
      if (enumValues && !enumValues.some((a) => a === null)) pushEnum(null, path, errs);
      return;
    }
    if (typeApplies) typeValidate(v, kind, path, errs);
    if (hasProps) propsValidate(v, path, errs, c);
    if (kind === 'string') {
      stringValidate(v as string, path, errs);
      if (check && !check(v as string)) errs.push(typeError(path, format, v as string));
    } else if (kind === 'integer' || kind === 'number') {
      numberValidate(v as number | bigint, kind, path, errs);
    } else if (kind === 'array') {
      sliceValidate(v as unknown[], path, errs, c);
    }
    if (enumValues && !enumValues.some((a) => enumMatches(v, a))) pushEnum(v, path, errs);
    if (kind === 'object') objectValidate(v as Record<string, unknown>, path, errs, c);
  }

  function pushEnum(v: unknown, path: string, errs: Errs) {
    errs.push({ kind: 'enum', name: path, value: v, values: enumValues, message: `${path} in body should be one of ${jsonText(enumValues)}` });
  }
}

/** Turns kube-openapi errors into field errors as upstream does; `prefix` is the field path the value lives at. */
export function toFieldErrors(errs: Errs, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errs) {
    const name = e.name && e.name !== '.' ? e.name.replace(/^\./, '') : '';
    const field = prefix && name ? `${prefix}.${name}` : prefix || name || '<nil>';
    switch (e.kind) {
      case 'required':
        out.push({ type: 'FieldValueRequired', field, detail: '' });
        break;
      case 'enum':
        out.push({
          type: 'FieldValueNotSupported',
          field,
          badValue: goInterfaceValue(e.value),
          detail: `supported values: ${(e.values ?? []).map((a) => JSON.stringify(typeof a === 'string' ? a : jsonText(a))).join(', ')}`,
        });
        break;
      case 'tooLong':
        out.push({ type: 'FieldValueTooLong', field, detail: `may not be more than ${e.limit} bytes` });
        break;
      case 'maxItems':
      case 'maxProperties':
        out.push({ type: 'FieldValueTooMany', field, badValue: e.value, detail: `must have at most ${e.limit} items` });
        break;
      case 'type':
        out.push({ type: 'FieldValueTypeInvalid', field, badValue: e.value ?? '', detail: e.message });
        break;
      case 'composite':
        out.push({ type: 'FieldValueInvalid', field: prefix || '<nil>', badValue: '', detail: e.message });
        break;
      default:
        out.push({ type: 'FieldValueInvalid', field, badValue: e.value == null ? '' : goInterfaceValue(e.value), detail: e.message });
    }
  }
  return out;
}

/**
 * A compiled OpenAPI validator: field errors of a value (the whole object, or `status` with prefix `status`);
 * with the correlation of an update, errors on unchanged parts are dropped (ratcheting).
 * Valid values take the TypeBox-compiled fast path only.
 */
export function compileOpenAPIValidator(schema: JSONSchemaProps): (value: unknown, prefix?: string, c?: Correlation) => FieldError[] {
  const gate = compileGate(schema);
  const node = compileNode(schema);
  return (value, prefix = '', c) => {
    if (gate(value)) return [];
    const errs: Errs = [];
    node(value, '', errs, c);
    return errs.length === 0 ? [] : toFieldErrors(errs, prefix);
  };
}

/** The faithful validator alone (no fast path), for tests that compare the two. */
export function compileSlowValidator(schema: JSONSchemaProps): (value: unknown) => FieldError[] {
  const node = compileNode(schema);
  return (value) => {
    const errs: Errs = [];
    node(value, '', errs);
    return toFieldErrors(errs);
  };
}

export { isObject };
