/**
 * Values with their type (upstream's typed.TypedValue): validation, the field set a value owns, comparison, the
 * apply merge, and removal or extraction of a set of fields. Values are plain JSON; nothing here mutates its input.
 */
import type { FieldSet } from './fieldpath.ts';
import type { TypeRef } from './schema.ts';

/** One problem with a value, at a path printed as upstream does (`.spec.containers[name="a"]`). */
export interface ValidationError {
  path: string;
  message: string;
}

/** Thrown by operations on a value that does not fit its schema; `message` is upstream's text. */
export class ValidationErrors extends Error {
  override name = 'ValidationErrors';
  constructor(readonly errors: ValidationError[]) {
    super(errors.length === 1 ? formatError(errors[0]) : ['errors:', ...errors.map((e) => '  ' + formatError(e))].join('\n'));
  }
}

const formatError = (e: ValidationError) => (e.path ? `${e.path}: ${e.message}` : e.message);

/** What changed from one value to another, as field sets. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export interface ValidateOptions {
  /** Accept duplicate items in map and set lists (live objects written before validation existed). */
  allowDuplicates?: boolean;
}

export interface TypedValue {
  readonly value: unknown;
  readonly type: TypeRef;
  /** Every way the value does not fit its type; [] when it fits. */
  validate(options?: ValidateOptions): ValidationError[];
  /** The set of fields the value sets (leaves, list items, empty maps), as upstream records ownership. */
  toFieldSet(): FieldSet;
  /** What `other` adds, changes and removes relative to this value. */
  compare(other: TypedValue): Comparison;
  /** This value with `other` applied over it (atomic parts replaced, granular ones merged). */
  merge(other: TypedValue): TypedValue;
  /** This value without the given fields (list items by key, map entries, ...). */
  removeItems(set: FieldSet): TypedValue;
  /** Only the given fields of this value. */
  extractItems(set: FieldSet): TypedValue;
}

/** Wraps a JSON value with its type. Does not validate: call `validate()` where input comes from users. */
export function typed(_value: unknown, _type: TypeRef): TypedValue {
  throw new Error('not implemented');
}
