/**
 * Where the field manager finds the structure of a kind: the OpenAPI v3 definitions the server publishes, read
 * from the Scheme (generated kinds from their group version's definitions, custom resources from the schema their
 * CRD version publishes). Converters are built once per definitions object and kept until it is replaced, so the
 * per-write cost is a map lookup.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { KindRegistration } from '../machinery/registration.ts';
import type { Scheme } from '../machinery/scheme.ts';
import { metaSchemas } from '../endpoints/openapi/meta-schemas.ts';
import { newCRDTypeConverter, newTypeConverter, type TypeConverter, type TypeRef } from './smd/index.ts';

type Definitions = Readonly<Record<string, OpenAPIV3.SchemaObject>>;

export class TypeSource {
  /** Shared and generated definitions: one converter for every built-in kind. */
  private builtIn?: TypeConverter;
  /** Why the built-in converter could not be built (kept, so a bad schema costs one attempt, not one per write). */
  private builtInError?: Error;
  /** Custom resources: one converter per published schema object (a changed CRD publishes a new one). */
  private readonly custom = new WeakMap<object, TypeConverter>();

  constructor(private readonly scheme: Scheme) {}

  private base(): TypeConverter {
    if (this.builtInError) throw this.builtInError;
    if (!this.builtIn) {
      const defs: Record<string, OpenAPIV3.SchemaObject> = {};
      for (const [name, schema] of Object.entries(metaSchemas('v3'))) defs[name] = schema as OpenAPIV3.SchemaObject;
      Object.assign(defs, this.scheme.sharedDefinitions.openapiV3);
      for (const gv of this.scheme.allGroupVersions()) if (gv.kinds.some((k) => k.builtIn)) Object.assign(defs, gv.openapiV3 as Definitions);
      try {
        this.builtIn = newTypeConverter(defs);
      } catch (e) {
        this.builtInError = e as Error;
        throw e;
      }
    }
    return this.builtIn;
  }

  /** The type of `kind`'s objects; throws when the kind has no published schema or the schema is refused. */
  typeOf(kind: KindRegistration): TypeRef {
    if (kind.builtIn) {
      const t = this.base().type(kind.openapiName);
      if (!t) throw new Error(`no schema for ${kind.group}/${kind.version}, Kind=${kind.kind}`);
      return t;
    }
    const schema = this.scheme.groupVersion(kind.group, kind.version)?.openapiV3[kind.openapiName];
    if (!schema) throw new Error(`no schema for ${kind.group}/${kind.version}, Kind=${kind.kind}`);
    let converter = this.custom.get(schema);
    if (!converter) {
      converter = newCRDTypeConverter(kind.openapiName, schema, { base: this.base() });
      this.custom.set(schema, converter);
    }
    const t = converter.type(kind.openapiName);
    if (!t) throw new Error(`no schema for ${kind.group}/${kind.version}, Kind=${kind.kind}`);
    return t;
  }
}
