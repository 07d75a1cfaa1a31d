/**
 * Turns a generated TypeBox schema into a validator returning Kubernetes field errors: one per bad field, with
 * upstream's field paths (`spec.containers[0].image`) and reasons.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import { Settings } from 'typebox/system';
import type { FieldError } from './field-errors.ts';
import { duplicate, invalid, notSupported, preferUpstream, required, tooLong, tooMany, typeInvalid } from './field-errors.ts';
import { fieldOrder } from './field-order.ts';
import { isQuantity } from './quantity.ts';
import { splitSchema } from './schema-split.ts';

// Report every bad field, not just the first few: a user fixes a manifest in one round.
Settings.Set({ maxErrors: 256 });

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
Format.Set('quantity', isQuantity);
Format.Set('dns1123-label', (v) => v.length <= 63 && dns1123Label.test(v));
Format.Set('dns1123-subdomain', (v) => v.length <= 253 && dns1123Subdomain.test(v));
Format.Set('byte', (v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0);
Format.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)));

/** `/spec/containers/0/image` -> `spec.containers[0].image`; map keys as `data[key]`. */
export function fieldPath(pointer: string, value: unknown): string {
  if (!pointer) return '';
  let path = '';
  let current: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) path += `[${segment}]`;
    else if (path && !/^[A-Za-z_$][\w$]*$/.test(segment)) path += `[${segment}]`;
    else path += path ? `.${segment}` : segment;
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

function join(path: string, child: string): string {
  return path ? `${path}.${child}` : child;
}

function toFieldErrors(errors: SchemaError[], obj: unknown): FieldError[] {
  // A union (IntOrString, enum-like anyOf) reports each failed branch and then itself; keep only the union's own error.
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (unionPaths.has(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const path = fieldPath(e.instancePath, obj);
    const value = valueAt(obj, e.instancePath);
    let fe: FieldError;
    switch (e.keyword) {
      case 'required':
        for (const name of (e.params.requiredProperties as string[]) ?? []) push(required(join(path, name)));
        continue;
      case 'enum':
        fe = notSupported(path, value, ((e.params.allowedValues as unknown[]) ?? []).map(String));
        break;
      case 'maxLength':
        fe = tooLong(path, value, e.params.limit as number);
        break;
      case 'maxItems':
        fe = tooMany(path, Array.isArray(value) ? value.length : 0, e.params.limit as number);
        break;
      case 'type':
        fe = typeInvalid(path, value, `must be of type ${e.params.type}`);
        break;
      case 'anyOf':
      case 'oneOf':
        fe = typeInvalid(path, value, 'must be an integer or a string');
        break;
      case 'format':
        fe = invalid(path, value, formatDetail(e.params.format as string));
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        fe = invalid(path, value, `must be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${e.params.limit}`);
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        fe = invalid(path, value, `must be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${e.params.limit}`);
        break;
      case 'minLength':
        fe = invalid(path, value, `must be at least ${e.params.limit} characters long`);
        break;
      case 'pattern':
        fe = invalid(path, value, `should match '${e.params.pattern}'`);
        break;
      case 'minItems':
        fe = invalid(path, value, `must have at least ${e.params.limit} items`);
        break;
      case 'uniqueItems':
        fe = duplicate(path, value);
        break;
      default:
        fe = invalid(path, value, e.message);
    }
    push(fe);
  }
  return out;

  function push(fe: FieldError) {
    const key = `${fe.type}\0${fe.field}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
}

function formatDetail(format: string): string {
  switch (format) {
    case 'quantity':
      return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    case 'date-time':
      return 'must be an RFC 3339 date-time, e.g. 2006-01-02T15:04:05Z';
    case 'dns1123-label':
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    case 'dns1123-subdomain':
      return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    default:
      return `must be a valid ${format}`;
  }
}

/**
 * Compiles on first use, once: most kinds are never written in a server's life, and compiling every schema at
 * start-up would cost a third of a second before the server is ready. The returned function is cheap per call.
 *
 * `hookErrors` are the kind's hand-written validation's (its `validate_<Kind>`), appended after the schema's. Where
 * the hook reports a field, the schema's error at that field is left out: the hook says it in upstream's words
 * (a node selector operator upstream calls Invalid, not the enum's Unsupported), and once is enough.
 */
export function compileSchemaValidator(schema: TSchema): (obj: unknown, hookErrors?: FieldError[]) => FieldError[] {
  let checker: ReturnType<typeof Compile> | undefined;
  let validator: ReturnType<typeof Compile> | undefined;
  const order = fieldOrder(schema);
  return (obj, hookErrors = []) => {
    // The check is compiled from the schema split by struct (schema-split.ts); the errors, on the error path
    // only, from the schema whole, so that their paths and order are those of the schema as written.
    checker ??= compiledCheck(schema);
    if (checker.Check(obj)) return hookErrors;
    validator ??= Compile(schema);
    return preferUpstream(toFieldErrors([...validator.Errors(obj)] as unknown as SchemaError[], obj), hookErrors, order);
  };
}

function compiledCheck(schema: TSchema): ReturnType<typeof Compile> {
  const split = splitSchema(schema);
  return split ? Compile(split.context, split.type) : Compile(schema);
}
