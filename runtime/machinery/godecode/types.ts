/**
 * The Go types of the built-in kinds as the generator describes them (generated/gotypes.ts): what kube-apiserver's
 * decoder would decode a body into, with the names Go's reflection prints in its errors.
 */

/** A Go type: its shape, Go's name of it, and what it holds. */
export type GoTypeDesc =
  /** string, bool, float64, int32/int64, []byte (base64), and the types that decode themselves. */
  | readonly ['s' | 'b' | 'f' | 'i32' | 'i64' | 'y' | 'q' | 't' | 'mt' | 'ios' | 'any', string]
  /** A slice or a map (string keys) of the element type. */
  | readonly ['[]' | 'map', string, GoTypeDesc]
  /** A struct, or a value type with a decoder of its own (JSONSchemaPropsOrBool), by its key in the table. */
  | readonly ['struct' | 'oneOf', string, string];

/** A struct's JSON fields (embedded structs' promoted), or a value type's shapes, one per JSON type. */
export interface GoStructDesc {
  /** Go's name of the struct (`DeploymentSpec`), as errors name the struct holding a field. */
  name: string;
  fields?: Readonly<Record<string, GoTypeDesc>>;
  oneOf?: readonly GoTypeDesc[];
}

/** Every struct, by `<group>/<version>/<Name>` (the core group is ''). */
export type GoStructTable = Readonly<Record<string, GoStructDesc>>;
