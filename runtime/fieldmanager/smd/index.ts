/**
 * Our structured-merge-diff: field paths and sets (FieldsV1), schemas from OpenAPI v3, typed values (merge,
 * compare, field sets) and the updater that server-side apply and managedFields build on. Pure library code: no
 * server, no I/O. Semantics follow sigs.k8s.io/structured-merge-diff v6 as kube-apiserver v1.32 uses it.
 *
 * Use: build one TypeConverter per set of definitions and keep it (types are resolved once, then cached);
 * `typed(obj, converter.typeForKind(group, version, kind))` for the live object and the request's object;
 * validate them first as upstream's ObjectToTyped does (`validate()` for an applied configuration,
 * `validate({allowDuplicates: true})` for a live object); then `apply` or `update` with the decoded managers
 * (`FieldSet.fromFieldsV1`), and encode the result's sets back with `toFieldsV1String()`. For a create, pass as the
 * live object what upstream compares with: the kind's zero value (`{}` for non-pointer structs, `null` for slices).
 *
 * Nothing mutates its inputs; results share unchanged subtrees with them (a first apply returns the configuration's
 * own object), so clone a result before changing it in place.
 *
 * Entries recorded in other API versions are compared in their own version when the caller passes a
 * `VersionConverter` (`UpdateOptions.converter`); without one they are read as the request's version's.
 *
 * Simplified: removal drops emptied maps and lists instead of leaving upstream's explicit null.
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
export { newTypeConverter, newCRDTypeConverter, SchemaError, deducedType } from './schema.ts';
export type { TypedValue, Comparison, ValidationError, ValidateOptions } from './typed.ts';
export { typed, ValidationErrors } from './typed.ts';
export type { Conflict, UpdateOptions, UpdateResult } from './update.ts';
export { apply, update, reconcileWithSchema, Conflicts } from './update.ts';
export type { VersionConverter } from './versions.ts';
export { MissingVersionError } from './versions.ts';
