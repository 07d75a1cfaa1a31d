/**
 * Field errors: one per bad field, with Kubernetes' field paths and reasons. Validation (generated schemas and
 * hand-written `validate_*` hooks) returns these; the REST layer turns a non-empty list into a 422 Invalid Status
 * with one cause per error.
 */
import { mergeByField } from './field-order.ts';
import { goQuote } from './gofmt.ts';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueNotFound'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Path of the field, e.g. `metadata.name` or `spec.containers[0].image`. */
  field: string;
  /** The offending value, when there is one to show. */
  badValue?: unknown;
  /** Extra detail, e.g. what the value should look like. */
  detail?: string;
}

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

/** A reference to something that does not exist (a volume a volumeMount names): `Not found: "x"`. */
export function notFound(field: string, badValue: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, badValue };
}

export function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}

export function notSupported(field: string, badValue: unknown, allowed: readonly string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    badValue,
    detail: `supported values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
  };
}

export function tooLong(field: string, badValue: unknown, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, badValue, detail: `may not be more than ${max} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, badValue: actual, detail: `must have at most ${max} items` };
}

export function duplicate(field: string, badValue: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function typeInvalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, badValue, detail };
}

const reasonText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueNotFound: 'Not found',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/**
 * `upstream`'s errors (a kind's hand-written validation, rule for rule upstream's) and `schema`'s at the fields
 * `upstream` does not speak of: where both check a field (required ones, enums, values Go prints as structs), the
 * client reads upstream's error once, not the schema's as well. With `order` (field-order.ts) the schema's errors
 * take their place among upstream's by field, as upstream's one walk lists them; without it they come first.
 */
export function preferUpstream(schema: FieldError[], upstream: FieldError[], order?: (a: string, b: string) => number): FieldError[] {
  if (upstream.length === 0) return schema;
  if (schema.length === 0) return upstream;
  const fields = new Set(upstream.map((e) => e.field));
  // Upstream may refuse an unknown enum at what holds it, the schema at the enum itself: a list's item at the list
  // (`spec.accessModes`), a struct's member at the struct (`spec.strategy`, printed as Go prints the struct; a
  // StatefulSet's `spec.updateStrategy` is Invalid rather than NotSupported).
  const refusedHolders = new Set(upstream.filter((e) => e.type === 'FieldValueNotSupported' || e.type === 'FieldValueInvalid').map((e) => e.field));
  const insideRefusedHolder = (e: FieldError) => e.type === 'FieldValueNotSupported' && refusedHolders.has(e.field.replace(/(\[\d+\]|\.[^.[\]]+)$/, ''));
  // Upstream may also refuse a list item's enum member at the list's path (`volumeMounts.mountPropagation`).
  const atUnindexedPath = (e: FieldError) => e.type === 'FieldValueNotSupported' && fields.has(e.field.replace(/\[\d+\](\.[^.[\]]+)$/, '$1'));
  const rest = schema.filter((e) => !fields.has(e.field) && !insideRefusedHolder(e) && !atUnindexedPath(e));
  return order ? mergeByField(upstream, rest, order) : [...rest, ...upstream];
}

/** Renders an error the way upstream's field.Error.Error() does: `metadata.name: Invalid value: "X": detail`. */
export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** The reasons whose message never shows the bad value (apimachinery's ErrorBody). */
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** The message without the field path: what goes into a Status cause's `message`. */
export function fieldErrorBody(e: FieldError): string {
  const parts = [reasonText[e.type]];
  const showsValue = !valueless.has(e.type) && e.badValue !== undefined;
  if (showsValue) {
    // Go prints a nil value as the string "null", quoted like any string, and a string with %q: a control
    // character as `\x00` or `\a`, a rune it does not print (U+00A0, U+2028) as `\u00a0`, where JSON differs.
    const text =
      e.badValue instanceof GoValue ? e.badValue.text : e.badValue === null ? '"null"' : typeof e.badValue === 'string' ? goQuote(e.badValue) : JSON.stringify(e.badValue);
    parts[0] += `: ${text}`;
  }
  return e.detail ? `${parts[0]}: ${e.detail}` : parts[0];
}

/**
 * A bad value shown as Go's `%#v` prints it, for values upstream reports as Go maps and structs
 * (`map[string]string{"app":"web"}`), printed by go-syntax.ts from a description of the Go type.
 */
export class GoValue {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}
