/**
 * The structured-merge-diff view of a schema, built from OpenAPI v3 component schemas the way kube-openapi's
 * schemaconv builds upstream's type converter: every type is an atom that is a scalar, a list or a map (or, for
 * untyped values, all three, picked by the value's JSON type).
 */
import type { OpenAPIV3 } from 'openapi-types';

export type Scalar = 'string' | 'numeric' | 'boolean' | 'untyped';

/** `associative`: a set (no keys) or a map list (keys); `atomic`: replaced as a whole. */
export interface ListType {
  readonly elementType: TypeRef;
  readonly relationship: 'atomic' | 'associative';
  readonly keys: readonly string[];
}

export interface StructField {
  readonly type: TypeRef;
  /** The schema's default (used for map-list key fields an item omits). */
  readonly default?: unknown;
}

/** A struct (fields) or a map (elementType), or both (a struct that keeps unknown fields). */
export interface MapType {
  readonly fields: ReadonlyMap<string, StructField>;
  /** The type of keys that are not fields; undefined: such keys are not allowed. */
  readonly elementType?: TypeRef;
  /** `separable` (granular, the default) or `atomic`. */
  readonly relationship: 'separable' | 'atomic';
}

export interface Atom {
  /** The definition's name, for messages; undefined for inline schemas. */
  readonly name?: string;
  readonly scalar?: Scalar;
  readonly list?: ListType;
  readonly map?: MapType;
}

/**
 * A reference to an atom, with the map relationship the referring field asks for (`x-kubernetes-map-type` beside
 * a `$ref`), which wins over the referenced type's own.
 */
export interface TypeRef {
  readonly atom: Atom;
  readonly mapRelationship?: 'separable' | 'atomic';
}

/** Builds and caches the atoms of one set of definitions. */
export interface TypeConverter {
  /** The type of a definition by its OpenAPI name (`io.k8s.api.apps.v1.Deployment`); undefined when unknown. */
  type(openapiName: string): TypeRef | undefined;
  /** The type of a kind by `x-kubernetes-group-version-kind`; undefined when no definition declares it. */
  typeForKind(group: string, version: string, kind: string): TypeRef | undefined;
}

export interface TypeConverterOptions {
  /** Every object keeps unknown fields (a CRD with `spec.preserveUnknownFields: true`). */
  preserveUnknownFields?: boolean;
  /** Definitions not found here are looked up there (shared meta types), reusing its cache. */
  base?: TypeConverter;
}

/** Refused schemas (an unknown list type, a map list without keys); the message names the definition. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type SchemaObject = OpenAPIV3.SchemaObject & Record<string, unknown>;

const noFields: ReadonlyMap<string, StructField> = new Map();

/** Upstream's `__untyped_atomic_`: any value, owned and replaced as a whole. */
export const untypedAtomic: Atom = (() => {
  const a: Mutable<Atom> = { name: '__untyped_atomic_', scalar: 'untyped' };
  a.list = { elementType: { atom: a }, relationship: 'atomic', keys: [] };
  a.map = { fields: noFields, elementType: { atom: a }, relationship: 'atomic' };
  return a;
})();

/** Upstream's `__untyped_deduced_`: any value; objects merge per key, lists are atomic. */
export const deduced: Atom = (() => {
  const a: Mutable<Atom> = { name: '__untyped_deduced_', scalar: 'untyped' };
  a.list = { elementType: { atom: untypedAtomic }, relationship: 'atomic', keys: [] };
  a.map = { fields: noFields, elementType: { atom: a }, relationship: 'separable' };
  return a;
})();

/** The type of anything: what a kind without a schema gets (upstream's DeducedTypeConverter). */
export const deducedType: TypeRef = { atom: deduced };

// kube-openapi gives these two their own atoms whatever their OpenAPI says.
const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const rawExtensionName = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const objectMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * An atom like `base` whose map part has another relationship (`x-kubernetes-map-type` beside a `$ref`). Read
 * lazily: `base` may still be under construction when a recursive type refers to itself.
 */
function withMapRelationship(base: Atom, relationship: 'atomic' | 'separable'): Atom {
  let map: MapType | undefined;
  return {
    get name() {
      return base.name;
    },
    get scalar() {
      return base.scalar;
    },
    get list() {
      return base.list;
    },
    get map() {
      if (!base.map) return undefined;
      return (map ??= { ...base.map, relationship });
    },
  };
}

function mapRelationshipOf(s: SchemaObject, where: string): 'atomic' | 'separable' | undefined {
  const v = s['x-kubernetes-map-type'];
  if (v === undefined) return undefined;
  if (v === 'atomic') return 'atomic';
  if (v === 'granular') return 'separable';
  throw new SchemaError(`${where}: unknown map type ${String(v)}`);
}

function listRelationshipOf(s: SchemaObject, where: string): { relationship: 'atomic' | 'associative'; keys: string[] } {
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (listType === 'atomic') return { relationship: 'atomic', keys: [] };
    if (listType === 'set') return { relationship: 'associative', keys: [] };
    if (listType === 'map') {
      const keys = s['x-kubernetes-list-map-keys'];
      if (!Array.isArray(keys)) throw new SchemaError(`${where}: missing map keys`);
      return { relationship: 'associative', keys: keys.filter((k): k is string => typeof k === 'string') };
    }
    throw new SchemaError(`${where}: unknown list type ${String(listType)}`);
  }
  // Without a list type, the strategic-merge-patch metadata decides, as kube-openapi does for older types.
  const strategy = s['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = s['x-kubernetes-patch-merge-key'];
    return { relationship: 'associative', keys: typeof key === 'string' ? [key] : [] };
  }
  return { relationship: 'atomic', keys: [] };
}

class Converter implements TypeConverter {
  private readonly named = new Map<string, Atom>();
  private kinds?: Map<string, string>;

  constructor(
    private readonly definitions: Readonly<Record<string, OpenAPIV3.SchemaObject>>,
    private readonly options: TypeConverterOptions,
  ) {}

  type(openapiName: string): TypeRef | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.definitions, openapiName)) return this.options.base?.type(openapiName);
    return { atom: this.namedAtom(openapiName) };
  }

  typeForKind(group: string, version: string, kind: string): TypeRef | undefined {
    if (!this.kinds) {
      this.kinds = new Map();
      for (const [name, def] of Object.entries(this.definitions)) {
        const gvks = (def as SchemaObject)['x-kubernetes-group-version-kind'];
        if (Array.isArray(gvks)) for (const g of gvks) this.kinds.set(`${g.group}/${g.version}/${g.kind}`, name);
      }
    }
    const name = this.kinds.get(`${group}/${version}/${kind}`);
    return name ? this.type(name) : this.options.base?.typeForKind(group, version, kind);
  }

  /** The atom of a definition, built once; a recursive reference gets the same object before it is filled in. */
  private namedAtom(name: string): Atom {
    const known = this.named.get(name);
    if (known) return known;
    if (name === quantityName || name === intOrStringName) return this.remember(name, { name, scalar: 'untyped' });
    if (name === rawExtensionName) return this.remember(name, untypedAtomic);
    const def = this.definitions[name] as SchemaObject | undefined;
    if (!def) {
      const fromBase = this.options.base?.type(name);
      // A reference to nothing: anything goes there (upstream refuses the whole schema; we keep serving).
      return this.remember(name, fromBase?.atom ?? deduced);
    }
    const atom: Mutable<Atom> = { name };
    this.named.set(name, atom);
    Object.assign(atom, this.parse(def, !!this.options.preserveUnknownFields, name));
    return atom;
  }

  private remember(name: string, atom: Atom): Atom {
    this.named.set(name, atom);
    return atom;
  }

  private parse(s: SchemaObject, preserveUnknown: boolean, where: string): Mutable<Atom> {
    if (s['x-kubernetes-preserve-unknown-fields'] === true) preserveUnknown = true;
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case undefined:
      case '':
        return { scalar: 'untyped', list: this.parseList(s, preserveUnknown, where), map: this.parseObject(s, preserveUnknown, where) };
      case 'object':
        return { map: this.parseObject(s, preserveUnknown, where) };
      case 'array':
        return { list: this.parseList(s, preserveUnknown, where) };
      case 'integer':
      case 'number':
        return { scalar: 'numeric' };
      case 'boolean':
        return { scalar: 'boolean' };
      case 'string':
        // Only plain strings are strings; formatted ones (date-time, int-or-string) take any scalar, as upstream.
        return { scalar: !s.format || s.format === 'byte' ? 'string' : 'untyped' };
      default:
        throw new SchemaError(`${where}: unrecognized type: '${String(type)}'`);
    }
  }

  private ref(s: SchemaObject, preserveUnknown: boolean, where: string): TypeRef {
    let ref = typeof s.$ref === 'string' ? s.$ref : undefined;
    if (!ref && Array.isArray(s.allOf) && s.allOf.length === 1 && typeof (s.allOf[0] as SchemaObject).$ref === 'string') ref = (s.allOf[0] as SchemaObject).$ref as string;
    if (ref) {
      const name = ref.slice(ref.lastIndexOf('/') + 1);
      const atom = this.namedAtom(name);
      const rel = mapRelationshipOf(s, where);
      return rel ? { atom: withMapRelationship(atom, rel), mapRelationship: rel } : { atom };
    }
    return { atom: this.parse(s, preserveUnknown, where) };
  }

  private parseObject(s: SchemaObject, preserveUnknown: boolean, where: string): MapType {
    const fields = new Map<string, StructField>();
    const props = (s.properties ?? {}) as Record<string, SchemaObject>;
    for (const [name, member] of Object.entries(props)) {
      const type = this.ref(member, preserveUnknown, `${where}.${name}`);
      fields.set(name, member.default !== undefined ? { type, default: member.default } : { type });
    }
    if (s['x-kubernetes-embedded-resource'] === true) {
      // An embedded object is a whole object: apiVersion, kind and metadata even where its schema omits them.
      if (!fields.has('apiVersion')) fields.set('apiVersion', { type: { atom: { scalar: 'string' } } });
      if (!fields.has('kind')) fields.set('kind', { type: { atom: { scalar: 'string' } } });
      if (!fields.has('metadata') || isBareObject(props.metadata)) fields.set('metadata', { type: { atom: this.namedAtom(objectMetaName) } });
    }
    const additional = s.additionalProperties as boolean | SchemaObject | undefined;
    let elementType: TypeRef | undefined;
    if (additional === undefined) {
      if (preserveUnknown || fields.size === 0) elementType = deducedType;
    } else if (typeof additional === 'object') elementType = this.ref(additional, preserveUnknown, `${where}[*]`);
    else if (additional === true) elementType = deducedType;
    return { fields, elementType, relationship: mapRelationshipOf(s, where) ?? 'separable' };
  }

  private parseList(s: SchemaObject, preserveUnknown: boolean, where: string): ListType {
    const { relationship, keys } = listRelationshipOf(s, where);
    let elementType: TypeRef = { atom: untypedAtomic };
    if (s.items !== undefined) {
      if (Array.isArray(s.items) || typeof s.items !== 'object') throw new SchemaError(`${where}: structural schema arrays must have exactly one member subtype`);
      elementType = this.ref(s.items as SchemaObject, preserveUnknown, `${where}[]`);
    }
    return { elementType, relationship, keys };
  }
}

/** `metadata: {type: object}` in a CRD schema stands for ObjectMeta. */
const isBareObject = (s: SchemaObject | undefined) => !!s && s.type === 'object' && !s.properties && !s.$ref && !s.allOf;

/**
 * A converter over OpenAPI v3 component schemas (a GroupVersionRegistration's `openapiV3` with SharedDefinitions,
 * or everything at once). Types are built on first use and cached for the converter's life; build one converter
 * per set of definitions, not per request. A schema upstream would refuse throws SchemaError from `type()`.
 */
export function newTypeConverter(definitions: Readonly<Record<string, OpenAPIV3.SchemaObject>>, options: TypeConverterOptions = {}): TypeConverter {
  return new Converter(definitions, options);
}

/**
 * The converter of one custom resource version, from its schema: either as the server publishes it (`metadata`
 * refers to ObjectMeta) or the CRD's raw `openAPIV3Schema` (`metadata` absent or a bare object), which is given
 * the published shape here (apiVersion, kind, ObjectMeta), as upstream does before building its converter.
 * ObjectMeta and other shared types come from `options.base`.
 */
export function newCRDTypeConverter(openapiName: string, schema: OpenAPIV3.SchemaObject, options: TypeConverterOptions = {}): TypeConverter {
  const s = schema as SchemaObject;
  const props = (s.properties ?? {}) as Record<string, SchemaObject>;
  let published = schema;
  if (!props.metadata || isBareObject(props.metadata) || !props.apiVersion || !props.kind) {
    published = {
      ...schema,
      type: 'object',
      properties: {
        ...props,
        apiVersion: props.apiVersion ?? { type: 'string' },
        kind: props.kind ?? { type: 'string' },
        metadata: !props.metadata || isBareObject(props.metadata) ? { $ref: `#/components/schemas/${objectMetaName}` } : props.metadata,
      },
    } as OpenAPIV3.SchemaObject;
  }
  return new Converter({ [openapiName]: published }, options);
}
