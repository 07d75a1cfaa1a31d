/**
 * Our structured-merge-diff: field paths and sets (FieldsV1), schemas from OpenAPI v3, typed values (merge,
 * compare, field sets) and the updater that server-side apply and managedFields build on. Pure library code: no
 * server, no I/O. Semantics follow sigs.k8s.io/structured-merge-diff v6 as kube-apiserver v1.32 uses it.
 */
export type { JSONValue } from './value.ts';
export { compareValues, equalValues } from './value.ts';
export type { Path, PathElement, VersionedSet, ManagedFields } from './fieldpath.ts';
export {
  FieldSet,
  FieldsV1Error,
  fieldElement,
  keyElement,
  valueElement,
  indexElement,
  compareElements,
  elementToString,
  pathToString,
  deserializePathElement,
} from './fieldpath.ts';
export type { Atom, ListType, MapType, Scalar, StructField, TypeRef, TypeConverter, TypeConverterOptions } from './schema.ts';
export { newTypeConverter, newCRDTypeConverter, SchemaError } from './schema.ts';
export type { TypedValue, Comparison, ValidationError, ValidateOptions } from './typed.ts';
export { typed, ValidationErrors } from './typed.ts';
export type { Conflict, UpdateOptions, UpdateResult } from './update.ts';
export { apply, update, Conflicts } from './update.ts';
