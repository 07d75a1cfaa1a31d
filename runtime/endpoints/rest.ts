/**
 * REST handlers: turn one resource request (already parsed into a RequestInfo) into a call on the resource's
 * registry store, and its result into the representation the client negotiated. One function per verb, the
 * same for every kind, generated or added at run time.
 */
import { checkDecodable, decodedAs, parseGoJsonBody, repeatedFields, unconvertibleKindError, unregisteredKindError } from '../machinery/godecode/index.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { decodeEnvelope, protobufContentType, type ProtobufCodec } from '../machinery/protobuf.ts';
import type { UserInfo } from '../auth/user.ts';
import { parseFieldSelector, parseLabelSelector } from '../machinery/selectors.ts';
import type { RequestSelectors } from './request-selectors.ts';
import { notSupported } from '../machinery/field-errors.ts';
import { prune } from '../machinery/prune.ts';
import * as status from '../machinery/status.ts';
import type { Cancellation } from '../machinery/cancellation.ts';
import type { RegistryStore, RequestContext, ListOptions } from '../registry/store.ts';
import { checkDeleteOptions, deleteCollection, deleteOptions, deleteResponse } from './delete.ts';
import { pageMemoOf, type EncodedItem, type PageMemo, type ResourceVersionMatch, type StoredObject } from '../storage/store.ts';
import { bodyFormat, negotiateObject, type Negotiated } from './negotiation.ts';
import type { RequestInfo } from './request-info.ts';
import { checkPatchType, patchObject, patchTypes } from './patch.ts';
import { serveWatch } from './watch.ts';
import { lend, takeBuffer } from './body-pool.ts';
import { keepGzipOf } from './response-compression.ts';
import { cachedProtobufList, cachedProtobufObject, encodeBody, partialMetadataMismatch, partialObjectMetadata, partialObjectMetadataList, servedGoType, type EncodedResponse } from './serialize.ts';
import { toTable } from './table.ts';
import { auditRequestObject, auditRequestPatch } from '../audit/context.ts';
import { applyPatchType, handleApply, writeFieldManager } from '../fieldmanager/apply.ts';
import { parseYamlBody, yamlWithExactIntegers } from '../machinery/yaml-body.ts';
import { spentIn } from '../metrics/layers.ts';
import { retryWithoutManagedFieldsIfTooLarge } from './too-large-retry.ts';
import { keepRawFields, spliceRawJson, toRawForms } from '../machinery/raw-json.ts';
import { goOrdered, isJsonObject } from '../machinery/json-value.ts';
import { keepsInt64Of, mayHoldInt64, parseJsonInt64, toInt64Form } from '../machinery/json-int64.ts';
import { jsonText } from '../machinery/json-text.ts';
import { ensureRequestNamespace } from '../machinery/object-identity.ts';

/** The largest request body accepted, as kube-apiserver's default. */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

export interface RestRequest {
  info: RequestInfo;
  method: string;
  query: URLSearchParams;
  headers: { accept?: string; contentType?: string; userAgent?: string };
  user: UserInfo;
  /** Reads the raw body (only for verbs that have one). */
  body(): Promise<Uint8Array>;
  /** The protobuf codec of the served kinds (absent: JSON and YAML only). */
  protobuf?: ProtobufCodec;
  /** Aborted when the client goes away (ends watches). */
  signal: AbortSignal;
  /** Cancelled at the request's deadline or when its client goes away; handed to the registry (RequestContext). */
  cancellation?: Cancellation;
  /** Warnings admission adds while serving this request (filled through RequestContext.warnings). */
  warnings?: string[];
}

export type RestResponse = (EncodedResponse | { stream: ReadableStream<Uint8Array>; contentType: string; code: number }) & {
  /** Texts of `Warning: 299 - "..."` response headers (kubectl prints them as `Warning: ...`). */
  warnings?: string[];
};

type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/**
 * The `fieldValidation` query parameter of create, update and patch: what to do about fields the kind's schema
 * does not declare. Default Warn, as upstream.
 */
function fieldValidation(req: RestRequest, options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): FieldValidation {
  const v = req.query.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw status.invalid('meta.k8s.io', options, '', [notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn'])]);
}

/**
 * Drops the fields `obj` has beyond its kind's schema (in place) and applies the field validation directive to
 * them and to what the decoder found itself (repeated fields): Strict refuses them all with upstream's strict
 * decoding error, as transformDecodeError words a decode error, Warn returns one warning per error.
 */
function pruneUnknownFields(store: RegistryStore, decoded: KindBody, directive: FieldValidation): string[] {
  const obj = decoded.object;
  const unknown = store.kind.prune ? store.kind.prune(obj) : prune(obj, store.kind.schema);
  if (directive === 'Ignore') return [];
  const pruned = unknown.map((path) => `unknown field "${path}"`);
  const messages = decoded.strict?.complete ? decoded.strict.errors : [...(decoded.strict?.errors ?? []), ...pruned];
  if (!messages.length) return [];
  if (directive === 'Strict') {
    const as = decodedAs(store.kind, obj);
    throw status.badRequest(`${as.kind} in version "${as.version}" cannot be handled as a ${store.kind.kind}: strict decoding error: ${messages.join(', ')}`);
  }
  return messages;
}

function apiVersionOf(store: RegistryStore): string {
  return store.kind.group ? `${store.kind.group}/${store.kind.version}` : store.kind.version;
}

/** The request body, refused with 413 beyond kube-apiserver's limit. */
export async function readBody(req: RestRequest): Promise<Uint8Array> {
  const raw = await req.body();
  if (raw.byteLength > maxRequestBodyBytes) throw status.requestEntityTooLarge(`Request entity too large: limit is ${maxRequestBodyBytes}`);
  return raw;
}

/** A body in the request's content type (JSON, YAML or protobuf) as an object. */
function decodeBytes(req: RestRequest, raw: Uint8Array): StoredObject {
  const format = bodyFormat(req.headers.contentType);
  let parsed: unknown;
  try {
    if (format === protobufContentType) {
      if (!req.protobuf) throw status.unsupportedMediaType(format);
      parsed = req.protobuf.decodeObject(raw);
    } else if (format === 'application/json' || format === '*/*') parsed = JSON.parse(new TextDecoder().decode(raw));
    else if (format === 'application/yaml') parsed = parseYamlBody(new TextDecoder().decode(raw)).value;
    else throw status.unsupportedMediaType(format);
  } catch (e) {
    if (e instanceof status.StatusError) throw e;
    const type = format === 'application/yaml' ? 'YAML' : format === protobufContentType ? 'protobuf' : 'JSON';
    throw status.badRequest(`the object provided is unrecognized (must be of type ${type}): ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw status.badRequest('the request body must be a JSON object');
  auditRequestObject(parsed as StoredObject, raw, format === 'application/json' || format === '*/*');
  return parsed as StoredObject;
}

/** The body as an object, or undefined when the request has none (DELETE). */
async function optionalBody(req: RestRequest): Promise<StoredObject | undefined> {
  const raw = await readBody(req);
  return raw.byteLength ? decodeBytes(req, raw) : undefined;
}

export async function decodeBody(req: RestRequest): Promise<StoredObject> {
  return decodeBytes(req, await readBody(req));
}

/** A create or update body, with the strict decoding errors its decoder found itself (see repeatedFields). */
export interface KindBody {
  object: StoredObject;
  /** `complete`: the errors include the unknown fields, in the decoder's order; else they come before them. */
  strict?: { errors: string[]; complete: boolean };
}

/**
 * A create or update body of `kind`, refused as kube-apiserver's decoder refuses what the kind's Go types cannot
 * take (machinery/godecode): 400 with Go's words. `null` is an empty object, as Go decodes it.
 */
export async function decodeKindBody(req: RestRequest, kind: KindRegistration, directive: FieldValidation): Promise<KindBody> {
  const raw = await readBody(req);
  const started = performance.now();
  try {
    return decodeKindBytes(req, kind, raw, directive !== 'Ignore');
  } finally {
    spentIn('decode', started);
  }
}

function decodeKindBytes(req: RestRequest, kind: KindRegistration, raw: Uint8Array, strict: boolean): KindBody {
  const format = bodyFormat(req.headers.contentType);
  let value: unknown;
  let strictErrors: KindBody['strict'];
  if (format === 'application/json' || format === '*/*') {
    const text = new TextDecoder().decode(raw);
    const parsed = parseGoJsonBody(kind, text, raw);
    checkDecodable(kind, parsed.value, raw, { literals: parsed.literals, strict });
    value = parsed.value;
    const repeated = repeatedFields(kind, text, value);
    if (repeated?.value !== undefined) value = repeated.value;
    // A custom resource is decoded as unstructured upstream: its whole numbers within int64 stay exact (and a CRD's
    // schema values, machinery/json-int64.ts).
    else if (keepsInt64Of(kind) && mayHoldInt64(text)) value = parseJsonInt64(text);
    if (kind.rawJsonFields && isJsonObject(value)) keepRawFields(kind.rawJsonFields, text, value);
    if (strict && repeated) strictErrors = { errors: repeated.errors, complete: repeated.complete };
  } else if (format === 'application/yaml') {
    // Repeated keys: the last value wins; the strict decoder reports them all as one error, before the fields.
    let duplicates: string[];
    const text = new TextDecoder().decode(raw);
    try {
      ({ value, duplicates } = parseYamlBody(text, { reportDuplicates: true }));
    } catch (e) {
      throw status.badRequest(`the object provided is unrecognized (must be of type YAML): ${(e as Error).message}`);
    }
    // Upstream turns YAML into JSON, then decodes a custom resource as unstructured: its int64s stay exact.
    if (keepsInt64Of(kind) && mayHoldInt64(text)) value = toInt64Form(yamlWithExactIntegers(text) ?? value);
    checkDecodable(kind, value ?? null, raw, { yaml: true, strict });
    // Upstream converts YAML to JSON first (yaml.YAMLToJSON): a raw field keeps Go's encoding of the value.
    if (kind.rawJsonFields && isJsonObject(value)) toRawForms(kind.rawJsonFields, value, yamlWithExactIntegers(text));
    if (strict && duplicates.length) strictErrors = { errors: [`yaml: unmarshal errors:\n  ${duplicates.join('\n  ')}`], complete: false };
  } else {
    if (format === protobufContentType && kind.builtIn) checkProtobufKind(kind, raw);
    return { object: decodeBytes(req, raw) };
  }
  value ??= {};
  if (typeof value !== 'object' || Array.isArray(value)) throw status.badRequest('the request body must be a JSON object');
  auditRequestObject(value as StoredObject, raw, format !== 'application/yaml');
  return { object: value as StoredObject, strict: strictErrors };
}

/**
 * A protobuf body's type is its envelope's: the decoder refuses one its scheme does not know, as for JSON, except
 * that an envelope without a version takes the URL's group and version both (the protobuf serializer's defaulting).
 */
function checkProtobufKind(kind: KindRegistration, raw: Uint8Array): void {
  let envelope: { apiVersion: string; kind: string };
  try {
    envelope = decodeEnvelope(raw);
  } catch {
    return; // not an envelope: decodeBytes words the error
  }
  const versionless = envelope.apiVersion === '' || envelope.apiVersion.endsWith('/');
  const named = { apiVersion: versionless ? '' : envelope.apiVersion, kind: envelope.kind };
  const err = unregisteredKindError(kind, named) ?? unconvertibleKindError(kind, named);
  if (err) throw status.badRequest(err);
  // A known kind of a version this server does not serve (apps/v1beta1) has no protobuf form here; upstream decodes
  // it and refuses it for its version, which is all a client sees.
  const expected = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  if (!versionless && envelope.kind === kind.kind && envelope.apiVersion !== expected) {
    throw status.badRequest(`the API version in the data (${envelope.apiVersion}) does not match the expected API version (${expected})`);
  }
}

/** What the registry needs of a request: who, where, and whether it is a dry run. */
export function context(req: RestRequest): RequestContext {
  const dryRun = req.query.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw status.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  return { user: req.user, namespace: req.info.namespace, dryRun: dryRun.length > 0, warnings: (req.warnings ??= []), fieldManager: writeFieldManager(req), cancellation: req.cancellation };
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw status.badRequest(`invalid value for ${name}: "${v}" is not an integer`);
  return Number(v);
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1';
}

/** `selectors`: the request's, already parsed if authorization read them (RequestInfo has none for a /watch/ path). */
function listOptions(query: URLSearchParams, selectors: RequestSelectors | undefined): ListOptions {
  const match = (query.get('resourceVersionMatch') ?? '') as ResourceVersionMatch;
  if (!['', 'NotOlderThan', 'Exact'].includes(match)) {
    throw status.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  const rv = query.get('resourceVersion') ?? undefined;
  // A watch-list (sendInitialEvents) may leave resourceVersion unset: it starts from a consistent read.
  if (match && !rv && !query.has('sendInitialEvents')) throw status.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match === 'Exact' && rv === '0') throw status.badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  const limit = intParam(query, 'limit');
  const cont = query.get('continue') || undefined;
  if (cont && rv && rv !== '0') throw status.badRequest('specifying resource version is not allowed when using continue');
  try {
    return {
      labelSelector: selectors ? selectors.label() : parseLabelSelector(query.get('labelSelector') ?? ''),
      fieldSelector: selectors ? selectors.field() : parseFieldSelector(query.get('fieldSelector') ?? ''),
      resourceVersion: rv,
      resourceVersionMatch: match,
      limit: limit && limit > 0 ? limit : undefined,
      continue: cont,
    };
  } catch (e) {
    if (e instanceof status.StatusError) throw e;
    throw status.badRequest((e as Error).message);
  }
}

/** Field selectors name labels the kind can be selected by (400 otherwise), converted as upstream converts them. */
function checkFieldSelector(store: RegistryStore, opts: ListOptions): void {
  if (opts.fieldSelector && !opts.fieldSelector.empty) opts.fieldSelector = store.convertFieldSelector(opts.fieldSelector);
}

/** Adds the decoder's warnings; admission's (ctx.warnings, which is req.warnings) are added by handleResource. */
function withWarnings<T extends RestResponse>(res: T, warnings: string[]): T {
  return warnings.length ? { ...res, warnings } : res;
}

/** `rawJson`: the body holds objects of a kind with RawExtension fields (see encodeBody). */
function respond(req: RestRequest, obj: unknown, negotiated: Negotiated, code = 200, rawJson = false): EncodedResponse {
  const started = performance.now();
  const res = encodeBody(obj, negotiated, code, req.protobuf, rawJson);
  spentIn('encode', started);
  return res;
}

/** The client's preferred representation; protobuf only for kinds that have one. `noTable`: no Table is offered. */
function negotiate(store: RegistryStore, req: RestRequest, noTable = false): Negotiated {
  return negotiateObject(req.headers.accept, { protobuf: store.kind.protobuf && Boolean(req.protobuf), views: req.protobuf, noTable });
}

function objectResponse(store: RegistryStore, req: RestRequest, obj: StoredObject, code = 200): EncodedResponse {
  const negotiated = negotiate(store, req);
  if (negotiated.as === 'Table') {
    return respond(req, toTable(store.kind, [obj], { includeObject: includeObject(req.query), apiVersion: negotiated.asApiVersion }, { resourceVersion: obj.metadata?.resourceVersion }), negotiated, code, hasRawJson(store));
  }
  if (negotiated.as === 'PartialObjectMetadata') return respond(req, partialObjectMetadata(obj, negotiated.asApiVersion), negotiated, code);
  if (negotiated.as === 'PartialObjectMetadataList') throw partialMetadataMismatch(negotiated.as, servedGoType(store.kind, false));
  return respond(req, obj, negotiated, code, hasRawJson(store));
}

/** Whether the kind's objects hold raw JSON texts to write as they are (machinery/raw-json.ts). */
function hasRawJson(store: RegistryStore): boolean {
  return store.kind.rawJsonFields !== undefined;
}

export function includeObject(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw status.badRequest(`includeObject: Unsupported value: "${v}"`);
  return v;
}

/** Adds the warnings admission collected for the request (RequestContext.warnings) to a handler's response. */
export function withAdmissionWarnings(handler: (req: RestRequest) => Promise<RestResponse>): (req: RestRequest) => Promise<RestResponse> {
  return async function admissionWarnings(req) {
    const res = await handler(req);
    return req.warnings?.length ? { ...res, warnings: [...(res.warnings ?? []), ...req.warnings] } : res;
  };
}

/** Serves one request for a resource; every response for a deprecated kind carries its deprecation warning. */
export async function handleResource(store: RegistryStore, req: RestRequest): Promise<RestResponse> {
  const ctx = context(req);
  const deprecation = store.kind.deprecated ? [store.kind.deprecated] : [];
  let res: RestResponse;
  try {
    res = await serveVerb(store, req, ctx);
  } catch (e) {
    // Warnings from admission (webhooks) go out with the error too, as upstream writes them before the status.
    if (e instanceof status.StatusError && ctx.warnings?.length) e.warnings = [...deprecation, ...ctx.warnings];
    throw e;
  }
  // Create, update and patch already carry the admission warnings (withWarnings); delete does not.
  const admission = (ctx.warnings ?? []).filter((w) => !res.warnings?.includes(w));
  const warnings = [...deprecation, ...(res.warnings ?? []), ...admission];
  return warnings.length ? { ...res, warnings } : res;
}

async function serveVerb(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const { info } = req;
  const verb = info.verb;
  if (!store.kind.verbs.includes(verb as never)) throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, verb);
  switch (verb) {
    case 'get':
      return get(store, req, ctx);
    case 'list':
      return list(store, req, ctx);
    case 'watch':
      return watch(store, req, ctx);
    case 'create': {
      if (info.name) throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, 'create on a named resource');
      const directive = fieldValidation(req, 'CreateOptions');
      const decoded = await decodeKindBody(req, store.kind, directive);
      const warnings = pruneUnknownFields(store, decoded, directive);
      // The store reads an empty namespace as "the body's"; a request's is the path's, and `/namespaces//` names none,
      // which clears the body's as upstream's create handler does (and validation then asks for one).
      if (store.strategy.namespaced && !info.namespace && isJsonObject(decoded.object.metadata)) ensureRequestNamespace(decoded.object.metadata, '');
      const created = await retryWithoutManagedFieldsIfTooLarge(ctx, (c) => store.create(c, decoded.object));
      return withWarnings(objectResponse(store, req, created, 201), warnings);
    }
    case 'update': {
      const directive = fieldValidation(req, 'UpdateOptions');
      const decoded = await decodeKindBody(req, store.kind, directive);
      const warnings = pruneUnknownFields(store, decoded, directive);
      const { obj, created } = await retryWithoutManagedFieldsIfTooLarge(ctx, (c) => store.update(c, info.name, decoded.object));
      return withWarnings(objectResponse(store, req, obj, created ? 201 : 200), warnings);
    }
    case 'patch': {
      const type = bodyFormat(req.headers.contentType);
      if (type === applyPatchType) {
        const { obj, created, warnings } = await handleApply(store, req, ctx, fieldValidation(req, 'PatchOptions'));
        return withWarnings(objectResponse(store, req, obj, created ? 201 : 200), warnings);
      }
      if (!patchTypes.includes(type)) throw status.unsupportedMediaType(type);
      checkPatchType(type, store.kind, req.query);
      const directive = fieldValidation(req, 'PatchOptions');
      const raw = new TextDecoder().decode(await readBody(req));
      auditRequestPatch(raw);
      let warnings: string[] = [];
      const patched = await retryWithoutManagedFieldsIfTooLarge(ctx, (c) => store.guaranteedUpdate(c, info.name, async (current) => {
        // The patch applies to the stored object, resourceVersion included: one in the patch must match it.
        const result = patchObject(type, current, raw, store.kind, { fieldValidation: directive, name: info.name, namespace: info.namespace, namespaced: store.strategy.namespaced });
        warnings = result.warnings;
        return result.object;
      }));
      return withWarnings(objectResponse(store, req, patched), warnings);
    }
    case 'delete': {
      const opts = await deleteOptions(req.query, () => optionalBody(req));
      const result = await store.delete({ ...ctx, dryRun: Boolean(opts.dryRun?.length) }, info.name, opts);
      const { body, isObject, code } = deleteResponse(store, info.name, opts, result);
      return isObject ? objectResponse(store, req, body, code) : respond(req, body, negotiate(store, req), code, hasRawJson(store));
    }
    case 'deletecollection': {
      const list = listOptions(req.query, req.info.selectors);
      checkFieldSelector(store, list);
      const opts = await deleteOptions(req.query, () => optionalBody(req));
      checkDeleteOptions(opts);
      const result = await deleteCollection(store, { ...ctx, dryRun: Boolean(opts.dryRun?.length) }, list, opts);
      return respond(req, { kind: store.kind.listKind, apiVersion: apiVersionOf(store), ...result }, negotiate(store, req), 200, hasRawJson(store));
    }
    default:
      throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, verb);
  }
}

/**
 * A plain JSON get sends the watch cache's text of the object as it is (no parse and no stringify); a protobuf get
 * the bytes made of that text once per object state (cachedProtobufObject).
 */
async function get(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const opts = { resourceVersion: req.query.get('resourceVersion') ?? undefined };
  const negotiated = negotiate(store, req);
  const protobuf = negotiated.serializer === 'protobuf' ? req.protobuf : undefined;
  if ((negotiated.serializer === 'json' || protobuf) && !negotiated.as) {
    const encoded = await store.getEncoded(ctx, req.info.name, opts);
    if (encoded && !protobuf) return { code: 200, contentType: negotiated.contentType, body: hasRawJson(store) ? spliceRawJson(encoded.json) : encoded.json };
    if (encoded && protobuf) {
      const started = performance.now();
      const body = cachedProtobufObject(protobuf, apiVersionOf(store), store.kind.kind, encoded);
      spentIn('encode', started);
      return { code: 200, contentType: protobufContentType, body };
    }
  }
  return objectResponse(store, req, await store.get(ctx, req.info.name, opts));
}

async function list(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const opts = listOptions(req.query, req.info.selectors);
  checkFieldSelector(store, opts);
  const negotiated = negotiate(store, req);
  const result = await store.list(ctx, opts);
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (negotiated.as === 'Table') {
    return respond(req, toTable(store.kind, result.items, { includeObject: includeObject(req.query), apiVersion: negotiated.asApiVersion }, metadata), negotiated, 200, hasRawJson(store));
  }
  if (negotiated.as === 'PartialObjectMetadataList') {
    return respond(req, partialObjectMetadataList(result.items, metadata, negotiated.asApiVersion), negotiated);
  }
  if (negotiated.as === 'PartialObjectMetadata') throw partialMetadataMismatch(negotiated.as, servedGoType(store.kind, true));
  if (negotiated.as) throw status.notAcceptable(`${negotiated.as} is not served for lists`);
  if (negotiated.serializer === 'json' && result.encoded) return encodedJsonList(store, metadata, result.encoded, negotiated);
  if (negotiated.serializer === 'protobuf' && req.protobuf && result.encoded) {
    const started = performance.now();
    const body = cachedProtobufList(req.protobuf, { kind: store.kind.listKind, apiVersion: apiVersionOf(store), metadata }, store.kind.kind, result.encoded);
    spentIn('encode', started);
    return { code: 200, contentType: protobufContentType, body };
  }
  if (!store.kind.builtIn) return respond(req, unstructuredList(store, metadata, result.items), negotiated);
  return respond(req, { kind: store.kind.listKind, apiVersion: apiVersionOf(store), metadata, items: result.items.map(withoutTypeMeta) }, negotiated, 200, hasRawJson(store));
}

/**
 * A custom resource list as upstream's unstructured encoder writes it: a Go map, so its keys come sorted (apiVersion,
 * items, kind, metadata; its items are sorted by the CR storage), and its metadata always holds `continue`, empty on
 * the last page, since the storage's list versioner sets it on every unstructured list.
 */
function unstructuredList(store: RegistryStore, metadata: Record<string, unknown>, items: StoredObject[]): StoredObject {
  return { apiVersion: apiVersionOf(store), items, kind: store.kind.listKind, metadata: goOrdered({ continue: '', ...metadata }) } as StoredObject;
}

/**
 * The items of a built-in kind's list carry no kind and apiVersion, as upstream writes them (it encodes a Go list,
 * whose items' TypeMeta is empty); custom resources' items keep theirs, as upstream's unstructured lists do.
 */
function withoutTypeMeta({ kind: _k, apiVersion: _v, ...rest }: StoredObject): StoredObject {
  return rest as StoredObject;
}

/**
 * A JSON list built from the watch cache's texts of its items: the same bytes encodeBody would write (for a
 * built-in kind, without each item's kind and apiVersion: cut from the front of the text, where the cache's
 * objects have them). Written item by item into one buffer: a string made of 500 pieces costs the HTTP layer two
 * slow passes (its byte length, then its encoding), five times what writing each small text does.
 */
function encodedJsonList(store: RegistryStore, metadata: Record<string, unknown>, items: EncodedItem[], negotiated: Negotiated): EncodedResponse {
  const started = performance.now();
  const { typeMetas, form, headStart } = jsonListForm(store);
  const open = `${headStart}${JSON.stringify(metadata)},"items":[`;
  // A page the watch cache hands to every identical list: from its second read on, a whole answer made of it is kept
  // with it and sent as it is to every list with the same head (resourceVersion and continue, which change only when
  // the cache's revision moves): no copy of the items per list. A list with another head copies the items after its
  // own into a pooled buffer; a head met twice in a row (the revision moved on) becomes the kept answer's.
  const page = pageMemoOf(items);
  const kept = page?.bytes?.form === form ? page.bytes : undefined;
  if (page && kept) {
    let body: Uint8Array;
    if (kept.head === open) body = kept.value;
    else if (page.nextHead === open) body = (page.bytes = answerOf(form, open, kept.value.subarray(kept.tailStart))).value;
    else {
      page.nextHead = open;
      const tail = kept.value.subarray(kept.tailStart);
      const buf = takeBuffer(Buffer.byteLength(open) + tail.length);
      const at = buf.write(open);
      buf.set(tail, at);
      body = lend(buf, buf.subarray(0, at + tail.length));
    }
    spentIn('encode', started);
    return { code: 200, contentType: negotiated.contentType, body };
  }
  // How many bytes after an item's `{` are its kind and apiVersion to leave out (0: none to cut). Found again in the
  // second pass rather than kept: no arrays per list.
  const cutOf = (json: string): number => {
    for (let i = 0; i < typeMetas.length; i++) if (json.startsWith(typeMetas[i])) return typeMetas[i].length - 1;
    return 0;
  };
  // An item of a built-in kind whose text has its kind and apiVersion elsewhere is written again without them, once:
  // kept by index for the second pass (a map made only when some item needs it).
  let rewritten: Map<number, string> | undefined;
  const rawJson = hasRawJson(store);
  // A kind with raw JSON fields has them written as their texts (the splice leaves the type meta in front as it is).
  const textOf = (i: number, cut: number): string => {
    const json = items[i].json;
    if (cut || !typeMetas.length) return rawJson ? spliceRawJson(json) : json;
    let text = rewritten?.get(i);
    if (text === undefined) (rewritten ??= new Map()).set(i, (text = jsonText(withoutTypeMeta(JSON.parse(json) as StoredObject))));
    return rawJson ? spliceRawJson(text) : text;
  };
  let size = Buffer.byteLength(open) + Math.max(items.length - 1, 0) + 2; // the commas, ] and }
  for (let i = 0; i < items.length; i++) {
    const cut = cutOf(items[i].json);
    size += Buffer.byteLength(textOf(i, cut)) - cut;
  }
  // Room to write the last item whole before its type meta is cut out (both orders are as long).
  const buf = takeBuffer(size + (typeMetas[0]?.length ?? 0));
  let at = buf.write(open);
  const tailStart = at;
  for (let i = 0; i < items.length; i++) {
    if (i) buf[at++] = 0x2c; // ,
    const cut = cutOf(items[i].json);
    const n = buf.write(textOf(i, cut), at);
    // Cutting in the buffer instead of slicing the text: no new string per item and list.
    if (cut) buf.copyWithin(at + 1, at + 1 + cut, at + n);
    at += n - cut;
  }
  buf[at++] = 0x5d; // ]
  buf[at++] = 0x7d; // }
  if (page && page.reads++ > 0) page.bytes = answerOf(form, open, buf.subarray(tailStart, at));
  const body = lend(buf, buf.subarray(0, at));
  spentIn('encode', started);
  return { code: 200, contentType: negotiated.contentType, body };
}

/** What a kind's JSON lists share, whatever their items and metadata (a kind registration never changes). */
interface JsonListForm {
  /** The texts an item of a built-in kind starts with when they hold its kind and apiVersion (cut from lists). */
  typeMetas: string[];
  /** Tells apart the kept answers of lists of different kinds of one page (PageMemo.bytes). */
  form: string;
  /** `{"kind":<listKind>,"apiVersion":<apiVersion>,"metadata":` */
  headStart: string;
}

const jsonListForms = new WeakMap<RegistryStore['kind'], JsonListForm>();

function jsonListForm(store: RegistryStore): JsonListForm {
  const { kind } = store;
  let out = jsonListForms.get(kind);
  if (out) return out;
  const apiVersion = apiVersionOf(store);
  // Objects decoded from JSON have kind first, from protobuf apiVersion first.
  const [k, v] = [`"kind":${JSON.stringify(kind.kind)}`, `"apiVersion":${JSON.stringify(apiVersion)}`];
  const typeMetas = kind.builtIn ? [`{${k},${v},`, `{${v},${k},`] : [];
  out = { typeMetas, form: `${kind.kind}\0${apiVersion}\0${typeMetas.length}`, headStart: `{"kind":${JSON.stringify(kind.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":` };
  jsonListForms.set(kind, out);
  return out;
}

/**
 * A page's answer to keep (PageMemo.bytes): `head` and the items' bytes in a buffer of its own, outside the pool,
 * sent as it is to every list it answers: gzipped once for all of them that ask for gzip.
 */
function answerOf(form: string, head: string, tail: Uint8Array): NonNullable<PageMemo['bytes']> {
  const value = Buffer.allocUnsafeSlow(Buffer.byteLength(head) + tail.length);
  const tailStart = value.write(head);
  value.set(tail, tailStart);
  keepGzipOf(value);
  return { form, head, value, tailStart };
}

async function watch(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const opts = listOptions(req.query, req.info.selectors);
  if (req.info.name) {
    opts.fieldSelector = parseFieldSelector(`metadata.name=${req.info.name}`);
  }
  const sendInitialEvents = req.query.has('sendInitialEvents') ? boolParam(req.query, 'sendInitialEvents') : undefined;
  if (sendInitialEvents !== undefined) {
    if (opts.resourceVersionMatch !== 'NotOlderThan') {
      throw status.invalid('meta.k8s.io', 'ListOptions', '', [{ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan' }]);
    }
    if (!boolParam(req.query, 'allowWatchBookmarks')) {
      throw status.invalid('meta.k8s.io', 'ListOptions', '', [{ type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'allowWatchBookmarks must be set to true when sendInitialEvents is set' }]);
    }
  }
  // A watch-list (initial events, then the bookmark that ends them) offers no Table: upstream's ListResource
  // negotiates it with watchListEndpointRestrictions (WatchList is on in v1.32), before it reads the field selector.
  const negotiated = negotiate(store, req, sendInitialEvents === true);
  checkFieldSelector(store, opts);
  const timeoutSeconds = intParam(req.query, 'timeoutSeconds');
  return serveWatch(store, ctx, {
    ...opts,
    allowWatchBookmarks: boolParam(req.query, 'allowWatchBookmarks'),
    // Unset: the store decides by resourceVersion (unset or "0" start with the current objects, as upstream).
    sendInitialEvents,
    negotiated,
    protobuf: req.protobuf,
    includeObject: negotiated.as === 'Table' ? includeObject(req.query) : 'Object',
    timeoutSeconds,
    signal: req.signal,
  });
}
