/**
 * What kube-apiserver's JSON decoder (sigs.k8s.io/json, Go's encoding/json with case-sensitive field names) says
 * of a body it cannot decode into a kind's Go types, checked on the parsed body:
 * - a value of the wrong JSON type: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
 *   of type int32` (the struct holding the field, the path of field names from the root, Go's type);
 * - a number that does not fit (`number 1.5`, `number 3000000000`);
 * - []byte that is not base64 (`illegal base64 data at input byte 3`);
 * - the types that decode themselves: quantities, times, int-or-strings, JSON schemas.
 * Go remembers the first type error and decodes on; a type that decodes itself stops decoding at its first error,
 * which then wins. Unknown fields (matched case-sensitively) are skipped, as Go skips them.
 */
import { quantityParseError } from '../quantity.ts';
import { parseInt10 } from '../strconv.ts';
import { base64Error } from './gobase64.ts';
import { rfc3339, rfc3339Micro, timeParseError } from './gotime.ts';
import type { GoStructTable, GoTypeDesc } from './types.ts';

/**
 * A Go type compiled for walking: the descriptor's shape and name, its element, and for a struct its fields by
 * JSON name, linked once (structs by reference, so recursive types such as JSONSchemaProps are cycles).
 */
export interface GoNode {
  shape: GoTypeDesc[0];
  go: string;
  elem?: GoNode;
  /** A struct's Go name and fields; a value type's shapes. */
  struct?: { name: string; fields: Map<string, GoNode>; oneOf: GoNode[] };
}

const linked = new WeakMap<GoStructTable, Map<string, GoNode['struct']>>();

/** The node of a descriptor, its structs linked through `table` (each struct compiled once per table). */
export function compileGoType(table: GoStructTable, t: GoTypeDesc): GoNode {
  let structs = linked.get(table);
  if (!structs) linked.set(table, (structs = new Map()));
  const struct = (key: string): GoNode['struct'] => {
    let s = structs!.get(key);
    if (s) return s;
    const desc = table[key];
    s = { name: desc?.name ?? '', fields: new Map(), oneOf: [] };
    structs!.set(key, s);
    for (const [name, ft] of Object.entries(desc?.fields ?? {})) s.fields.set(name, node(ft));
    for (const shape of desc?.oneOf ?? []) s.oneOf.push(node(shape));
    return s;
  };
  const node = (d: GoTypeDesc): GoNode => {
    switch (d[0]) {
      case '[]':
      case 'map':
        return { shape: d[0], go: d[1], elem: node(d[2]) };
      case 'struct':
      case 'oneOf':
        return { shape: d[0], go: d[1], struct: struct(d[2]) };
      default:
        return { shape: d[0], go: d[1] };
    }
  };
  return node(t);
}

/** A decoding failure: a type error (worded with the context it happened in) or a plain message. */
type Failure = { value: string; goType: string; struct?: string; field?: string } | { message: string };

/** Number literals as written, where the parsed number does not say them (`1.0`, `1e3`, big integers). */
export type NumberLiterals = WeakMap<object, Record<string, string>>;

export function failureMessage(f: Failure): string {
  if ('message' in f) return f.message;
  return f.struct !== undefined
    ? `json: cannot unmarshal ${f.value} into Go struct field ${f.struct}.${f.field} of type ${f.goType}`
    : `json: cannot unmarshal ${f.value} into Go value of type ${f.goType}`;
}

/** Go's word for a JSON value in type errors. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

const int32Min = -2147483648;
const int32Max = 2147483647;

/** The literal of a number, as the body wrote it when that is known. */
function literal(v: number, literals: NumberLiterals | undefined, parent: object | undefined, key: string | number): string {
  const written = parent && literals?.get(parent)?.[key];
  return written ?? String(v);
}

/** Whether an integer literal fits Go's int32/int64 (encoding/json's strconv.ParseInt(text, 10, bits)). */
const parsesAsInt = (text: string, bits: 32 | 64): boolean => typeof parseInt10(text, bits) === 'number';

class Decoder {
  /** Go's errorContext: the struct holding the field being decoded, and the field names from the root. */
  private struct: string | undefined;
  private readonly stack: string[] = [];
  /** The first type error (Go's savedError). */
  private saved: Failure | undefined;

  constructor(private readonly literals: NumberLiterals | undefined) {}

  /** Decodes `v` (the root) into `t`; the failure Go reports, if any. */
  run(t: GoNode, v: unknown): Failure | undefined {
    return this.value(t, v, undefined, '') ?? this.saved;
  }

  private typeError(value: string, goType: string): Failure {
    return this.struct === undefined && !this.stack.length ? { value, goType } : { value, goType, struct: this.struct ?? '', field: this.stack.join('.') };
  }

  private save(value: string, goType: string): undefined {
    this.saved ??= this.typeError(value, goType);
    return undefined;
  }

  /** An error a self-decoding type returned: a type error is worded with the context it was returned in. */
  private returned(f: Failure): Failure {
    if ('message' in f || (this.struct === undefined && !this.stack.length)) return f;
    return { value: f.value, goType: f.goType, struct: this.struct ?? '', field: this.stack.join('.') };
  }

  /** Decodes one value; returns a failure that stops decoding (Go returns it at once), else undefined. */
  private value(t: GoNode, v: unknown, parent: object | undefined, key: string | number): Failure | undefined {
    if (v === null || v === undefined) return undefined;
    const goType = t.go;
    switch (t.shape) {
      case 's':
        return typeof v === 'string' ? undefined : this.save(jsonKind(v), goType);
      case 'b':
        return typeof v === 'boolean' ? undefined : this.save(jsonKind(v), goType);
      case 'f':
        if (typeof v !== 'number') return this.save(jsonKind(v), goType);
        return Number.isFinite(v) ? undefined : this.save(`number ${literal(v, this.literals, parent, key)}`, goType);
      case 'i32':
      case 'i64': {
        if (typeof v !== 'number') return this.save(jsonKind(v), goType);
        const bits = t.shape === 'i32' ? 32 : 64;
        // The common case needs no text: a safe integer in range, in a body whose numbers are all written plainly.
        const plain = !this.literals || parent === undefined || this.literals.get(parent)?.[key] === undefined;
        if (plain && Number.isSafeInteger(v) && (bits === 64 || (v >= int32Min && v <= int32Max))) return undefined;
        const text = literal(v, this.literals, parent, key);
        return parsesAsInt(text, bits) ? undefined : this.save(`number ${text}`, goType);
      }
      case 'y':
        if (typeof v === 'string') {
          const err = base64Error(v);
          if (err) this.saved ??= { message: err };
          // Go keeps the bytes, which encode back canonically (without the line breaks it skipped).
          else if (parent && /[\r\n]/.test(v)) (parent as Record<string | number, unknown>)[key] = Buffer.from(v.replace(/[\r\n]/g, ''), 'base64').toString('base64');
          return undefined;
        }
        if (Array.isArray(v)) {
          // A list of numbers decodes into bytes one by one.
          for (let i = 0; i < v.length; i++) {
            const b = v[i];
            if (b === null) continue;
            if (typeof b !== 'number') this.save(jsonKind(b), 'uint8');
            else if (!(Number.isInteger(b) && b >= 0 && b <= 255) || literal(b, this.literals, v, i) !== String(b)) this.save(`number ${literal(b, this.literals, v, i)}`, 'uint8');
          }
          return undefined;
        }
        return this.save(jsonKind(v), goType);
      case 'q':
        return this.quantity(v, parent, key);
      case 't':
      case 'mt': {
        // metav1.Time decodes a JSON string, then parses it with Go's time.Parse.
        if (typeof v !== 'string') return this.returned({ value: jsonKind(v), goType: 'string' });
        const err = timeParseError(t.shape === 't' ? rfc3339 : rfc3339Micro, v);
        return err ? { message: err } : undefined;
      }
      case 'ios':
        // IntOrString: a string, else an int32 decoded by a decoder of its own.
        if (typeof v === 'string') return undefined;
        if (typeof v !== 'number') return this.returned({ value: jsonKind(v), goType: 'int32' });
        {
          const text = literal(v, this.literals, parent, key);
          return parsesAsInt(text, 32) ? undefined : this.returned({ value: `number ${text}`, goType: 'int32' });
        }
      case 'any':
        return undefined;
      case '[]':
        if (!Array.isArray(v)) return this.save(jsonKind(v), goType);
        for (let i = 0; i < v.length; i++) {
          const f = this.value(t.elem!, v[i], v, i);
          if (f) return f;
        }
        return undefined;
      case 'map': {
        if (typeof v !== 'object' || Array.isArray(v)) return this.save(jsonKind(v), goType);
        const m = v as Record<string, unknown>;
        for (const k in m) {
          const f = this.value(t.elem!, m[k], m, k);
          if (f) return f;
        }
        return undefined;
      }
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) return this.save(jsonKind(v), goType);
        return this.fields(t.struct!, v as Record<string, unknown>);
      }
      case 'oneOf':
        return this.oneOf(t.struct!, v, goType);
    }
  }

  private fields(s: NonNullable<GoNode['struct']>, obj: Record<string, unknown>): Failure | undefined {
    const fields = s.fields;
    const outer = this.struct;
    const depth = this.stack.length;
    for (const k in obj) {
      const ft = fields.get(k);
      if (!ft) continue;
      this.struct = s.name;
      this.stack.push(k);
      const f = this.value(ft, obj[k], obj, k);
      // A failure that stops decoding keeps the context it happened in (Go does not unwind it).
      if (f) return f;
      this.stack.length = depth;
      this.struct = outer;
    }
    return undefined;
  }

  /** resource.Quantity: its JSON text (unquoted, trimmed) must parse. */
  private quantity(v: unknown, parent: object | undefined, key: string | number): Failure | undefined {
    let text: string;
    if (typeof v === 'string') text = v.trim();
    else if (typeof v === 'number') text = literal(v, this.literals, parent, key);
    else text = JSON.stringify(v);
    const err = quantityParseError(text);
    if (err) return { message: err };
    // A quantity written as a number (or with spaces) is the same quantity, which Go writes back as a string.
    if (parent && text !== v) (parent as Record<string | number, unknown>)[key] = text;
    return undefined;
  }

  /**
   * A value type with a decoder of its own (apiextensions' JSONSchemaPropsOr*): the shape matching the JSON type,
   * decoded by a fresh decoder whose failure comes back through this one.
   */
  private oneOf(s: NonNullable<GoNode['struct']>, v: unknown, goType: string): Failure | undefined {
    const kind = Array.isArray(v) ? '[]' : typeof v === 'object' ? 'struct' : typeof v === 'boolean' ? 'b' : typeof v === 'string' ? 's' : 'f';
    const shape = s.oneOf.find((t) => t.shape === kind || t.shape === 'any');
    if (!shape) return goType === 'v1.JSONSchemaPropsOrBool' ? { message: 'boolean or JSON schema expected' } : undefined;
    const inner = new Decoder(this.literals).run(shape, v);
    return inner && this.returned(inner);
  }
}

/** The failure decoding `body` into the struct `root` (a key of `table`) gives, as Go words it; undefined if none. */
export function goJsonDecodeError(table: GoStructTable, root: string, body: unknown, literals?: NumberLiterals): string | undefined {
  return goJsonDecodeErrorOf(compileGoType(table, ['struct', '', root]), body, literals);
}

/** The same for a compiled root (compile it once: machinery/godecode/index.ts keeps one per kind). */
export function goJsonDecodeErrorOf(root: GoNode, body: unknown, literals?: NumberLiterals): string | undefined {
  const f = new Decoder(literals).run(root, body);
  return f && failureMessage(f);
}
