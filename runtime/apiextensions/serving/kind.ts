/**
 * A CRD version as the runtime sees a kind: the KindRegistration (the same shape generated kinds fill, so the
 * Scheme, registry store, REST handlers, Table printing, discovery and OpenAPI serve it unchanged) and its OpenAPI
 * definitions, named as upstream names CRD models: `<reversed group>.<version>.<Kind>`
 * (`com.example.stable.v1.CronTab`).
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { TSchema } from 'typebox';
import { invalid, type FieldError } from '../../machinery/field-errors.ts';
import { allVerbs, type KindRegistration, type PrintColumn, type ScaleSubresource } from '../../machinery/registration.ts';
import { names as metaNames, refProperty } from '../../endpoints/openapi/meta-schemas.ts';
import { ageColumnDescription } from '../../endpoints/object-meta-docs.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { VersionSchema } from './schema.ts';
import { isNoneConversion } from './conversion.ts';
import type { CRDNames, CRDVersion, CustomResourceDefinition, JSONSchemaProps } from './types.ts';
import { compareKubeAwareVersions } from './versions.ts';

/** `stable.example.com` + `v1` + `CronTab` -> `com.example.stable.v1.CronTab`, as upstream's gvkToModelName. */
export function openapiModelName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}


/** The printer columns of a version; without any, upstream prints Name and Age. */
export function printColumnsOf(version: CRDVersion): PrintColumn[] {
  const columns = version.additionalPrinterColumns ?? [];
  if (!columns.length) return [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: ageColumnDescription, priority: 0 }];
  return columns.map((c) => ({
    name: c.name,
    type: c.type,
    jsonPath: c.jsonPath,
    description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    priority: c.priority ?? 0,
    ...(c.format ? { format: c.format } : {}),
  }));
}

/** The warning every response of a deprecated version carries: its own, or upstream's default naming a newer one. */
export function deprecationWarning(crd: CustomResourceDefinition, version: CRDVersion): string | undefined {
  if (!version.deprecated) return undefined;
  if (version.deprecationWarning !== undefined) return version.deprecationWarning;
  const { group, names } = crd.spec;
  const msg = `${group}/${version.name} ${names.kind} is deprecated`;
  const newer = crd.spec.versions
    .filter((v) => v.served && !v.deprecated && compareKubeAwareVersions(version.name, v.name) > 0)
    .map((v) => v.name)
    .sort(compareKubeAwareVersions);
  return newer.length ? `${msg}; use ${group}/${newer[0]} ${names.kind}` : msg;
}

function at(obj: StoredObject, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as StoredObject)[k];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** A value as Go's %v prints what encoding/json decoded into an interface{}. */
function goValue(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goValue((v as StoredObject)[k])}`).join(' ')}]`;
  return String(v);
}

function checkReplicas(obj: StoredObject, path: string): FieldError[] {
  const v = at(obj, path);
  if (v === undefined) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [invalid(path, 0, `${path} accessor error: ${goValue(v)} is of the type ${typeName(v)}, expected int64`)];
  if (v < 0) return [invalid(path, v, 'should be a non-negative integer')];
  if (v > 2147483647) return [invalid(path, v, 'should be less than or equal to 2147483647')];
  return [];
}

/** Upstream's checks of the scale paths on every write: replica counts are small non-negative integers. */
export function validateScalePaths(obj: StoredObject, scale: ScaleSubresource | undefined): FieldError[] {
  if (!scale) return [];
  return [...checkReplicas(obj, scale.specReplicasPath), ...validateScaleStatus(obj, scale)];
}

/** The status half of those checks (upstream's ValidateScaleStatus), all a write through /status gets. */
export function validateScaleStatus(obj: StoredObject, scale: ScaleSubresource | undefined): FieldError[] {
  if (!scale) return [];
  const errors = checkReplicas(obj, scale.statusReplicasPath);
  if (scale.labelSelectorPath) {
    const sel = at(obj, scale.labelSelectorPath);
    if (sel !== undefined && typeof sel !== 'string') {
      errors.push(invalid(scale.labelSelectorPath, '', `${scale.labelSelectorPath} accessor error: ${goValue(sel)} is of the type ${typeName(sel)}, expected string`));
    }
  }
  return errors;
}

export interface KindInputs {
  crd: CustomResourceDefinition;
  version: CRDVersion;
  names: CRDNames;
  schema: VersionSchema;
  /** What pruning (and unknown-field warnings) see: the version's schema with apiVersion/kind/metadata known. */
  pruningSchema: JSONSchemaProps;
}

/** The KindRegistration of one version of a CRD, under its accepted names. */
export function kindRegistration({ crd, version, names, schema, pruningSchema }: KindInputs): KindRegistration {
  const group = crd.spec.group;
  const apiVersion = `${group}/${version.name}`;
  const scale = version.subresources?.scale;
  const scaleSub: ScaleSubresource | undefined = scale && {
    specReplicasPath: scale.specReplicasPath,
    statusReplicasPath: scale.statusReplicasPath,
    ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}),
  };
  const deprecated = deprecationWarning(crd, version);
  return {
    group,
    version: version.name,
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    scope: crd.spec.scope,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: allVerbs,
    subresources: { ...(version.subresources?.status ? { status: true } : {}), ...(scaleSub ? { scale: scaleSub } : {}) },
    nameFormat: 'dns1123-subdomain',
    printColumns: printColumnsOf(version),
    openapiName: openapiModelName(group, version.name, names.kind),
    immutableFields: [],
    patchMeta: {},
    ...(deprecated !== undefined ? { deprecated } : {}),
    builtIn: false,
    protobuf: false,
    schema: pruningSchema as TSchema,
    prune: (obj) => schema.prune(obj),
    ...(schema.decodeError ? { decodeError: schema.decodeError } : {}),
    // None conversion; other strategies convert asynchronously in the custom resource storage, never through these.
    ...(isNoneConversion(crd) ? {} : { asyncConversion: true }),
    toHub: (obj) => obj,
    fromHub: (obj) => ({ ...obj, apiVersion }),
    default: (obj) => schema.applyDefaults(obj),
    validate: (obj, old, _opts, warnings) => schema.validate(obj, old, validateScalePaths(obj, scaleSub), warnings),
  };
}

const typeMetaProperties = {
  apiVersion: {
    type: 'string',
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  },
  kind: {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to.',
  },
};

/**
 * The OpenAPI v3 component schema of the kind: the version's schema with apiVersion, kind and an ObjectMeta
 * `metadata`, marked with its group/version/kind so `kubectl explain` and client-side validation find it. Without a
 * schema it is an open object (kubectl must not refuse fields it cannot know).
 */
export function openapiDefinitions(kind: KindRegistration, version: CRDVersion, crd: CustomResourceDefinition): Record<string, OpenAPIV3.SchemaObject> {
  const schema = version.schema?.openAPIV3Schema;
  const gvk = [{ group: kind.group, kind: kind.kind, version: kind.version }];
  let def: JSONSchemaProps;
  if (!schema) def = { type: 'object' };
  else {
    def = structuredClone(schema);
    def.properties = {
      ...(def.properties ?? {}),
      ...typeMetaProperties,
      metadata: refProperty('v3', metaNames.objectMeta, "Standard object's metadata."),
    };
    if (crd.spec.preserveUnknownFields) def['x-kubernetes-preserve-unknown-fields'] = true;
  }
  def['x-kubernetes-group-version-kind'] = gvk;
  return { [kind.openapiName]: def as OpenAPIV3.SchemaObject };
}
