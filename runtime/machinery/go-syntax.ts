/**
 * Go's `%#v` of a value, the text upstream's field errors show for a bad value that is a struct, a slice or a map
 * (apimachinery's ErrorBody falls back to `%#v` for anything that is not a scalar or a Stringer). A value is printed
 * from its JSON form and a small description of its Go type: the type's name as Go prints it (upstream validates
 * internal types, so `core.ServicePort`, `storage.VolumeAttachmentSpec`), and for a struct its Go fields in
 * declaration order with the JSON member each comes from.
 *
 *   const port = goStruct('core.ServicePort', [['Name', goString()], ['AppProtocol', goPointer('string')], ...]);
 *   invalid(path, goValue(port, value), '...')
 */
import { GoValue } from './field-errors.ts';
import { goQuote, goSyntax, goValue as goPlain } from './gofmt.ts';
import { binarySIPowers, decimalSIExponents } from './quantity.ts';

/** A Go type: its name as `%#v` prints it, and how it prints a value of the type given in JSON form. */
export interface GoType {
  readonly name: string;
  print(value: unknown): string;
}

/**
 * Go prints a set pointer inside a struct as its address, which changes from request to request; kube-ts prints
 * this fixed one instead.
 */
export const goPointerAddress = '0xc000000000';


/** A string, or a named string type (`core.Protocol`): quoted, `""` when unset. */
export function goString(name = 'string'): GoType {
  return { name, print: (v) => goQuote(typeof v === 'string' ? v : '') };
}

/** An integer (int32, int64, or a named one): its digits, 0 when unset. */
export function goInt(name = 'int32'): GoType {
  return { name, print: (v) => String(typeof v === 'number' ? Math.trunc(v) : 0) };
}

export function goBool(name = 'bool'): GoType {
  return { name, print: (v) => String(v === true) };
}

/** A pointer field: `(*T)(nil)` when unset, else the fixed address (Go does not follow pointers inside a value). */
export function goPointer(elem: string | GoType): GoType {
  const name = typeof elem === 'string' ? elem : elem.name;
  return { name: `*${name}`, print: (v) => `(*${name})(${v == null ? 'nil' : goPointerAddress})` };
}

/** `[]T{a, b}`; `[]T(nil)` when unset; `[]T{}` when empty. */
export function goSlice(elem: GoType, name = `[]${elem.name}`): GoType {
  return {
    name,
    print: (v) => (Array.isArray(v) ? `${name}{${v.map((x) => elem.print(x)).join(', ')}}` : `${name}(nil)`),
  };
}

/** A map with string keys: `map[K]V{"a":x, "b":y}`, keys sorted as fmt sorts them; `(nil)` when unset. */
export function goMap(value: GoType, name = `map[string]${value.name}`): GoType {
  return {
    name,
    print: (v) => {
      if (v == null || typeof v !== 'object') return `${name}(nil)`;
      const m = v as Record<string, unknown>;
      const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `${name}{${keys.map((k) => `${goQuote(k)}:${value.print(m[k])}`).join(', ')}}`;
    },
  };
}

/** A struct field: Go's name, its type, and the JSON member it comes from (Go's name with a lower-case initial). */
export type GoField = readonly [goName: string, type: GoType, json?: string];

/**
 * The JSON member of an embedded struct that JSON inlines (`json:",inline"`, as core.Volume's VolumeSource): its
 * fields sit in the enclosing object. `%#v` names the field after the embedded type.
 */
export const goInline = '';

function fieldValue(obj: Record<string, unknown>, goName: string, json: string | undefined): unknown {
  return json === goInline ? obj : obj[json ?? goName[0].toLowerCase() + goName.slice(1)];
}

/** `pkg.Name{Field:value, ...}`, every field in Go's order, unset ones as their type's zero. */
export function goStruct(name: string, fields: readonly GoField[]): GoType {
  return {
    name,
    print: (v) => {
      const obj = v != null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const parts = fields.map(([goName, type, json]) => `${goName}:${type.print(fieldValue(obj, goName, json))}`);
      return `${name}{${parts.join(', ')}}`;
    },
  };
}

/**
 * A type described later than it is used (a struct holding itself, or descriptions in separate modules that refer
 * to each other).
 */
export function goLazy(name: string, get: () => GoType): GoType {
  return { name, print: (v) => get().print(v) };
}

/** intstr.IntOrString: Type 0 holds IntVal, Type 1 StrVal. */
export const goIntOrString: GoType = {
  name: 'intstr.IntOrString',
  print: (v) =>
    typeof v === 'string'
      ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`
      : `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`,
};

/**
 * resource.Quantity as `%#v` prints it (it has no value-receiver String, so Go shows its unexported fields): what
 * ParseQuantity made of the text `q` (keeping the text in `s` only for a canonical decimal amount), rounded up to
 * thousandths as SetDefaults_ResourceList does (which drops the text). `printed`: the text String() cached in `s`
 * when upstream printed the value before. Amounts outside int64 print as the text.
 */
export function goQuantityText(q: string, printed?: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(q);
  if (!m) return q;
  const [, sign, num = '', denom = '', suffix = ''] = m;
  let value: bigint;
  let scale: number;
  let format: string;
  let keeps: boolean;
  if (suffix in binarySIPowers) {
    if (denom) return q;
    format = 'BinarySI';
    value = BigInt(num || '0') << BigInt(10 * binarySIPowers[suffix]);
    scale = 0;
    keeps = (BigInt(num || '0') & 7n) !== 0n;
  } else {
    const digits = (num + denom).replace(/^0+(?=\d)/, '') || '0';
    format = /^[eE]/.test(suffix) ? 'DecimalExponent' : 'DecimalSI';
    scale = (suffix in decimalSIExponents ? decimalSIExponents[suffix] : Number(suffix.slice(1))) - denom.length;
    value = BigInt(digits);
    keeps = scale % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0';
  }
  if (value > 2n ** 63n - 1n) return q;
  if (sign === '-') value = -value;
  if (scale < -3) {
    // Quantity.RoundUp(-3): whole thousandths, away from zero.
    const unit = 10n ** BigInt(-3 - scale);
    const whole = value / unit;
    value = value % unit === 0n ? whole : value > 0n ? whole + 1n : whole - 1n;
    scale = -3;
    keeps = false;
  }
  const s = printed ?? (keeps ? q : '');
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:${JSON.stringify(format)}}`;
}

/** resource.Quantity held by value: a JSON quantity text (absent: zero). */
export const goQuantity: GoType = { name: 'resource.Quantity', print: (v) => goQuantityText(String(v ?? '0')) };

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * metav1.Time: time.Time's GoString, which the struct promotes. The decoder keeps a time in the server's local
 * zone (`time.Local`); the zero time is UTC.
 */
export const goTime: GoType = {
  name: 'v1.Time',
  print: (v) => {
    const d = typeof v === 'string' ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) return 'time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)';
    const nanos = /\.(\d{1,9})/.exec(v as string)?.[1]?.padEnd(9, '0') ?? '0';
    const fields = [d.getUTCFullYear(), `time.${months[d.getUTCMonth()]}`, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), Number(nanos)];
    return `time.Date(${fields.join(', ')}, time.Local)`;
  },
};

/** *metav1.Time: the time itself when set (its GoString is called through the pointer), `<nil>` when not. */
export const goTimePointer: GoType = { name: '*v1.Time', print: (v) => (v == null ? '<nil>' : goTime.print(v)) };

/** A value of `type` wrapped as a field error's bad value. */
export function goValue(type: GoType, value: unknown): GoValue {
  return new GoValue(type.print(value));
}

/** `interface {}` holding a decoded JSON value (a custom resource's, a CRD default): `%#v` of what it holds. */
export const goInterface: GoType = { name: 'interface {}', print: goSyntax };

/** A named interface type (`type JSON interface{}`): as `interface {}`, but nil prints with its own name, `JSON(nil)`. */
export function goNamedInterface(name: string): GoType {
  return { name, print: (v) => (v === null || v === undefined ? `${name}(nil)` : goSyntax(v)) };
}

/**
 * An `interface {}` bad value as a field error shows it: a number or bool as `%v`, a string as `%q`, a map or a
 * list as `%#v` (`map[string]interface {}{"name":"a"}`), nil as `"null"`.
 */
export function goInterfaceValue(v: unknown): GoValue | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return new GoValue(goQuote(v));
  if (typeof v === 'number' || typeof v === 'boolean') return new GoValue(goPlain(v));
  if (typeof v === 'bigint') return new GoValue(v.toString()); // an int64 past 2^53 (machinery/json-int64.ts)
  return new GoValue(goSyntax(v));
}

/** A pointer as a field error's bad value: what it points to (the error dereferences it), `"null"` when nil. */
export function goPointee(type: GoType, value: unknown): GoValue | null {
  return value == null ? null : goValue(type, value);
}

/** `[]string`, the slice upstream reports most. */
export const goStrings = goSlice(goString());

/**
 * `%v` of a metav1.Time or MicroTime (time.Time's String(), which a field error uses for it as a Stringer):
 * `2024-05-01 10:00:00.5 +0000 UTC`, fraction without trailing zeros, the server's zone being UTC; the zero time
 * when unset.
 */
export function goTimeString(t: string | null | undefined): string {
  if (!t) return '0001-01-01 00:00:00 +0000 UTC';
  const rfc3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;
  const d = new Date(t);
  const parts = rfc3339.exec(t) ?? (Number.isNaN(d.getTime()) ? null : rfc3339.exec(d.toISOString()));
  if (!parts) return t;
  const frac = (parts[3] ?? '').replace(/0+$/, '');
  return `${parts[1]} ${parts[2]}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** `[]byte{0x68, 0x69}`, from the base64 text JSON carries bytes as; `[]byte(nil)` when unset. */
export const goBytes: GoType = {
  name: '[]byte',
  print: (v) => (typeof v === 'string' ? `[]byte{${[...Buffer.from(v, 'base64')].map((b) => `0x${b.toString(16)}`).join(', ')}}` : '[]byte(nil)'),
};
