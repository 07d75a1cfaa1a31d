/**
 * Server-side apply over HTTP (upstream's applyPatcher in handlers/patch.go): `PATCH` with
 * `application/apply-patch+yaml` (YAML or JSON), `fieldManager` required, `force`, `dryRun`. An object that does
 * not exist is created from the configuration (only through the resource itself, never /status or /scale).
 * Also the `fieldManager` parameter of every write, validated as upstream's Create/Update/PatchOptions are.
 */
import { toRawForms, withRawValues } from '../machinery/raw-json.ts';
import { goQuote } from '../machinery/gofmt.ts';
import { auditRequestPatch } from '../audit/context.ts';
import type { ScaleSubresource } from '../machinery/registration.ts';
import * as status from '../machinery/status.ts';
import { checkRequestName, ensureRequestNamespace } from '../machinery/object-identity.ts';
import type { RegistryStore, RequestContext } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import type { RestRequest } from '../endpoints/rest.ts';
import { readBody } from '../endpoints/rest.ts';
import { required, type FieldError } from '../machinery/field-errors.ts';
import { fieldManagerFor } from './index.ts';
import { checkAppliedObject } from '../machinery/godecode/index.ts';
import { decodeGoJson, GoJsonSyntaxError } from '../machinery/gojson.ts';
import { parseYamlBody, YamlBodyError } from '../machinery/yaml-body.ts';
import { managerOrUserAgent, validateFieldManager } from './manager-name.ts';
import type { FieldManager } from './field-manager.ts';

export const applyPatchType = 'application/apply-patch+yaml';

const writeOptions: Record<string, string> = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions' };

function contentType(req: RestRequest): string {
  return (req.headers.contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The manager a write is recorded for; undefined for requests that write nothing. Refuses a `fieldManager` that
 * is too long or unprintable and an apply without one, with upstream's 422s.
 */
export function writeFieldManager(req: RestRequest): string | undefined {
  const options = writeOptions[req.info.verb];
  if (!options) return undefined;
  const given = req.query.get('fieldManager') ?? '';
  const errors: FieldError[] = [];
  // `force` on other patches is refused with the patch types (endpoints/patch.ts checkPatchType).
  if (req.info.verb === 'patch' && contentType(req) === applyPatchType && !given) errors.push(required('fieldManager', 'is required for apply patch'));
  errors.push(...validateFieldManager(given, 'fieldManager'));
  if (errors.length) throw status.invalid('meta.k8s.io', options, '', errors);
  return managerOrUserAgent(given, req.headers.userAgent ?? '');
}

/** Go's strconv.ParseBool, as the `force` parameter is decoded. */
function forceParam(query: URLSearchParams): boolean {
  const v = query.get('force');
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw status.badRequest(`strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`);
}

function goJSONType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

interface Configuration {
  config: StoredObject;
  /** Repeated keys, as Go's strict YAML decoding words them (`line 3: key "a" already set in map`). */
  duplicates: string[];
}

/**
 * The apply configuration: a YAML (or JSON) mapping, else upstream's 400. JSON, what client libraries send, is
 * read by the JSON decoder (fast, and safe at any depth Go accepts); YAML, or JSON with repeated keys, by the YAML
 * one, which names the lines of repeated keys.
 */
async function decodeConfiguration(req: RestRequest): Promise<Configuration> {
  const text = new TextDecoder().decode(await readBody(req));
  let value: unknown;
  let duplicates: string[] = [];
  const json = /^\s*\{/.test(text) ? jsonConfiguration(text) : undefined;
  if (json) value = json.value;
  else {
    try {
      ({ value, duplicates } = text.trim() === '' ? { value: null, duplicates: [] } : parseYamlBody(text, { version: '1.1', reportDuplicates: true }));
    } catch (e) {
      throw status.badRequest(`error decoding YAML: error converting YAML to JSON: ${yamlMessage(e as Error)}`);
    }
  }
  auditRequestPatch(JSON.stringify(value ?? null));
  if (value === null || value === undefined) return { config: {}, duplicates };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw status.badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJSONType(value)} into Go value of type map[string]interface {}`);
  }
  return { config: value as StoredObject, duplicates };
}

/** A JSON configuration without repeated keys, or undefined to read the text as YAML. */
function jsonConfiguration(text: string): { value: unknown } | undefined {
  try {
    const decoded = decodeGoJson(text, true);
    return decoded.duplicates.length ? undefined : { value: decoded.value };
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return undefined;
    throw e;
  }
}

function yamlMessage(e: Error): string {
  return e instanceof YamlBodyError && e.message.startsWith('yaml: ') ? e.message : `yaml: ${e.message.split('\n')[0]}`;
}

/**
 * `fieldValidation` on the configuration's repeated keys, checked after the apply as upstream does (an apply error
 * comes first): Strict refuses them, Warn returns one warning per key, Ignore keeps quiet.
 */
function strictDecoding(duplicates: string[], directive: 'Ignore' | 'Warn' | 'Strict'): string[] {
  if (!duplicates.length || directive === 'Ignore') return [];
  if (directive === 'Strict') {
    throw status.badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n${duplicates.map((d) => `  ${d}`).join('\n')}`);
  }
  return duplicates;
}

function resourceRef(store: RegistryStore): status.ResourceRef {
  return { group: store.kind.group, resource: store.kind.resource };
}

/** Upstream's checks of the object a patch produced: its namespace and name are the request's. Mutates `obj`. */
function checkIdentity(store: RegistryStore, ctx: RequestContext, name: string, obj: StoredObject): void {
  obj.metadata ??= {};
  ensureRequestNamespace(obj.metadata, store.strategy.namespaced ? ctx.namespace : '');
  checkRequestName(obj.metadata, name);
}

function is404(e: unknown): boolean {
  return e instanceof status.StatusError && e.code === 404;
}

function isAlreadyExists(e: unknown): boolean {
  return e instanceof status.StatusError && e.reason === 'AlreadyExists';
}

function managerOf(store: RegistryStore, subresource: string): FieldManager {
  const fm = fieldManagerFor(store.kind, subresource);
  if (!fm) throw status.internalError(new Error('FieldManager must be installed to run apply'));
  return fm;
}

/**
 * An applied object's RawExtension fields as upstream has them after an apply: the typed object is made from the
 * merged map (FromUnstructured), so each is Go's encoding of its value, keys sorted, whatever the stored text was.
 */
function appliedRawForms(store: RegistryStore, out: StoredObject): StoredObject {
  if (store.kind.rawJsonFields) toRawForms(store.kind.rawJsonFields, out);
  return out;
}

/**
 * Applies the request's configuration to the object the URL names through `store` (the resource or /status):
 * the stored object and whether the apply created it.
 */
export async function handleApply(store: RegistryStore, req: RestRequest, ctx: RequestContext, directive: 'Ignore' | 'Warn' | 'Strict'): Promise<{ obj: StoredObject; created: boolean; warnings: string[] }> {
  const force = forceParam(req.query);
  const manager = req.query.get('fieldManager') ?? '';
  const { config, duplicates } = await decodeConfiguration(req);
  let warnings: string[] = [];
  const strict = () => (warnings = strictDecoding(duplicates, directive));
  const subresource = store.strategy.subresource ?? '';
  const fm = managerOf(store, subresource);
  const name = req.info.name;
  const applyCtx: RequestContext = { ...ctx, managedFieldsApplied: true };
  const updateExisting = () =>
    store.guaranteedUpdate(applyCtx, name, async (current) => {
      const { resourceVersion, ...meta } = current.metadata;
      const out = appliedRawForms(store, fm.apply(withRawValues(store.kind.rawJsonFields ?? [], { ...current, metadata: meta }), config, manager, force));
      strict();
      checkAppliedObject(store.kind, out, config);
      checkIdentity(store, ctx, name, out);
      // Without a resourceVersion of its own the configuration applies to whatever is stored.
      if (out.metadata.resourceVersion === undefined) out.metadata.resourceVersion = resourceVersion;
      return out;
    });
  for (let attempt = 0; ; attempt++) {
    try {
      return { obj: await updateExisting(), created: false, warnings };
    } catch (e) {
      // Status and scale never create (upstream's subresource stores refuse create-on-update).
      if (!is404(e) || subresource !== '') throw e;
    }
    const out = appliedRawForms(store, fm.apply({ apiVersion: fm.apiVersion, kind: store.kind.kind, metadata: {} }, config, manager, force));
    strict();
    checkAppliedObject(store.kind, out, config);
    const uid = out.metadata?.uid;
    if (uid) throw status.conflict(resourceRef(store), name, `uid mismatch: the provided object specified uid ${uid}, and no existing object was found`);
    checkIdentity(store, ctx, name, out);
    // An apply creates through upstream's update path, which clears a resourceVersion (a POST's create refuses it).
    if (out.metadata) delete out.metadata.resourceVersion;
    try {
      return { obj: await store.create(applyCtx, out), created: true, warnings };
    } catch (e) {
      // Created by someone else meanwhile: apply to theirs.
      if (!isAlreadyExists(e) || attempt > 2) throw e;
    }
  }
}

function write(obj: StoredObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  cur[parts[parts.length - 1]] = value;
}

/**
 * Apply through `/scale`: the configuration is an autoscaling/v1 Scale; its replicas are applied to the path the
 * kind's scale subresource names, recorded for the manager with subresource `scale`. Returns the stored object.
 */
export async function handleScaleApply(store: RegistryStore, spec: ScaleSubresource, req: RestRequest, ctx: RequestContext): Promise<StoredObject> {
  const force = forceParam(req.query);
  const manager = req.query.get('fieldManager') ?? '';
  const { config } = await decodeConfiguration(req);
  if (config.apiVersion !== 'autoscaling/v1' || config.kind !== 'Scale') {
    const [group, version] = typeof config.apiVersion === 'string' && config.apiVersion.includes('/') ? config.apiVersion.split('/', 2) : ['', config.apiVersion ?? ''];
    throw status.badRequest(`invalid object type: ${group}/${version}, Kind=${config.kind ?? ''}`);
  }
  if (Array.isArray(config.metadata?.managedFields)) throw status.badRequest('metadata.managedFields must be nil');
  const name = req.info.name;
  const fm = managerOf(store, 'scale');
  const replicas = config.spec?.replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    throw status.invalid('autoscaling', 'Scale', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
  }
  const parentConfig: StoredObject = { apiVersion: fm.apiVersion, kind: store.kind.kind, metadata: { name: config.metadata?.name ?? name } };
  if (replicas !== undefined) write(parentConfig, spec.specReplicasPath, replicas);
  const applyCtx: RequestContext = { ...ctx, managedFieldsApplied: true };
  return store.guaranteedUpdate(
    applyCtx,
    name,
    async (current) => {
      const { resourceVersion, ...meta } = current.metadata;
      const out = fm.apply({ ...current, metadata: meta }, parentConfig, manager, force);
      checkIdentity(store, ctx, name, out);
      const rv = config.metadata?.resourceVersion;
      if (rv && rv !== resourceVersion) throw status.conflict(resourceRef(store), name, status.optimisticLockMessage);
      out.metadata.resourceVersion = resourceVersion;
      return out;
    },
    { subresource: 'scale' },
  );
}
