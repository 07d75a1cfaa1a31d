/**
 * The schema plug-in point of serving: what a CRD version's `openAPIV3Schema` does to its objects. Serving calls
 * `validate` on every write (after ObjectMeta checks), `applyDefaults` on every decode (request bodies and objects
 * read from storage) and `prune` on every decode, as upstream's structural schema machinery does. The compiler
 * runs once per CRD version when the CRD is (re)installed, never per request.
 *
 * The server uses `structuralSchemaCompiler` over runtime/apiextensions/schema; `basicSchemaCompiler` (prune only)
 * serves where no structural schema compiler is at hand.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { prune as pruneBySchema } from '../../machinery/prune.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { CustomResourceDefinition, JSONSchemaProps } from './types.ts';

export interface VersionSchema {
  /**
   * One error per bad field, with upstream's paths and messages; [] when valid. `old` is set on updates;
   * `afterSchema` (serving's own errors) goes after the OpenAPI errors and before the embedded/CEL ones, as upstream orders them;
   * `warnings` collects the rules an update ratchets (failing on unchanged values), which upstream sends as warnings.
   */
  validate(obj: StoredObject, old?: StoredObject, afterSchema?: FieldError[], warnings?: string[]): FieldError[];
  /**
   * An update through /status as upstream v1.32's status strategy checks it: `status` against the status schema
   * (no ratcheting), then `afterStatus` (the scale status checks), list types, and the rules of the whole object
   * (no ratcheting either: CRDValidationRatcheting reaches /status only in v1.33).
   */
  validateStatus(obj: StoredObject, old: StoredObject, afterStatus?: FieldError[]): FieldError[];
  /** Applies the schema's `default`s where fields are absent. Mutates `obj`. */
  applyDefaults(obj: StoredObject): void;
  /** Drops fields the schema does not declare (unless preserved). Mutates `obj`; returns the dropped paths. */
  prune(obj: StoredObject): string[];
  /** Optional: the decoder's error for a body the schema's embedded resources make unreadable (embeddedMetadataError). */
  decodeError?(obj: unknown): string | undefined;
}

/** Compiles one served (or stored) version of a CRD. May throw: the version is then not served (500 on requests). */
export type SchemaCompiler = (crd: CustomResourceDefinition, version: string) => VersionSchema;

/**
 * The schema pruning sees for a version: the CRD's own, with `apiVersion`, `kind` and `metadata` always known at
 * the root as upstream keeps them; `metadata` is pruned as ObjectMeta when given. Without a schema (or with
 * `preserveUnknownFields`) everything is kept.
 */
export function pruningSchema(crd: CustomResourceDefinition, version: string, objectMeta?: JSONSchemaProps): JSONSchemaProps {
  const v = crd.spec.versions.find((x) => x.name === version);
  const schema = v?.schema?.openAPIV3Schema;
  if (!schema || crd.spec.preserveUnknownFields) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...schema,
    properties: {
      ...(schema.properties ?? {}),
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: objectMeta ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
}

/** Prunes by the schema; no defaults, no validation beyond what serving itself checks. */
export function basicSchemaCompiler(objectMeta?: JSONSchemaProps): SchemaCompiler {
  return (crd, version) => {
    const schema = pruningSchema(crd, version, objectMeta);
    return {
      validate: (_obj, _old, afterSchema) => afterSchema ?? [],
      validateStatus: (_obj, _old, afterStatus) => afterStatus ?? [],
      applyDefaults: () => {},
      prune: (obj) => pruneBySchema(obj, schema),
    };
  };
}

/** What a compiled structural schema offers (runtime/apiextensions/schema's `compileSchema` result). */
export interface CompiledStructuralSchema {
  validate(obj: unknown, old?: unknown, opts?: { warnings?: string[]; afterSchema?: FieldError[] }): FieldError[];
  validateStatus(obj: unknown, old?: unknown, opts?: { afterSchema?: FieldError[] }): FieldError[];
  applyDefaults(obj: unknown): void;
  prune(obj: unknown): string[];
  decodeError(obj: unknown): string | undefined;
}

export type CompileStructuralSchema = (openAPIV3Schema: JSONSchemaProps | undefined, opts: { preserveUnknownFields?: boolean }) => CompiledStructuralSchema;

/**
 * Serving over structural schemas: validation (OpenAPI, list types, embedded resources, CEL rules), defaults and
 * pruning as the schema compiler does them; unknown `metadata` fields are pruned as ObjectMeta's.
 */
export function structuralSchemaCompiler(compile: CompileStructuralSchema, objectMeta?: JSONSchemaProps): SchemaCompiler {
  return (crd, version) => {
    const v = crd.spec.versions.find((x) => x.name === version);
    const compiled = compile(v?.schema?.openAPIV3Schema, { preserveUnknownFields: Boolean(crd.spec.preserveUnknownFields) });
    return {
      validate: (obj, old, afterSchema, warnings) => compiled.validate(obj, old, { afterSchema, warnings }),
      validateStatus: (obj, old, afterStatus) => compiled.validateStatus(obj, old, { afterSchema: afterStatus }),
      applyDefaults: (obj) => compiled.applyDefaults(obj),
      decodeError: (obj) => compiled.decodeError(obj),
      prune: (obj) => {
        // Upstream's decoder reads the root's metadata first, so its unknown fields lead the schema's.
        const meta = obj.metadata;
        const paths = objectMeta && meta && typeof meta === 'object' && !Array.isArray(meta) ? pruneBySchema(meta, objectMeta).map((p) => `metadata.${p}`) : [];
        paths.push(...compiled.prune(obj));
        return paths;
      },
    };
  };
}
