/**
 * REST handlers: turn one resource request (already parsed into a RequestInfo) into a call on the resource's
 * registry store, and its result into the representation the client negotiated. One function per verb, the
 * same for every kind, generated or added at run time.
 */
import { parse as parseYaml } from 'yaml';
import type { UserInfo } from '../auth/user.ts';
import { parseFieldSelector, parseLabelSelector } from '../machinery/selectors.ts';
import * as status from '../machinery/status.ts';
import type { RegistryStore, RequestContext, ListOptions, DeleteOptions } from '../registry/store.ts';
import type { ResourceVersionMatch, StoredObject } from '../storage/store.ts';
import { bodyFormat, negotiateObject, type Negotiated } from './negotiation.ts';
import type { RequestInfo } from './request-info.ts';
import { applyPatch, patchTypes } from './patch.ts';
import { serveWatch } from './watch.ts';
import { encodeBody, partialObjectMetadata, type EncodedResponse } from './serialize.ts';
import { toTable } from './table.ts';

/** The largest request body accepted, as kube-apiserver's default. */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

export interface RestRequest {
  info: RequestInfo;
  method: string;
  query: URLSearchParams;
  headers: { accept?: string; contentType?: string };
  user: UserInfo;
  /** Reads the raw body (only for verbs that have one). */
  body(): Promise<Uint8Array>;
  /** Aborted when the client goes away (ends watches). */
  signal: AbortSignal;
}

export type RestResponse = EncodedResponse | { stream: ReadableStream<Uint8Array>; contentType: string; code: number };

function apiVersionOf(store: RegistryStore): string {
  return store.kind.group ? `${store.kind.group}/${store.kind.version}` : store.kind.version;
}

export async function decodeBody(req: RestRequest): Promise<StoredObject> {
  const raw = await req.body();
  if (raw.byteLength > maxRequestBodyBytes) throw status.requestEntityTooLarge('the request body is too large');
  const format = bodyFormat(req.headers.contentType);
  const text = new TextDecoder().decode(raw);
  let parsed: unknown;
  try {
    if (format === 'application/json' || format === '*/*') parsed = JSON.parse(text);
    else if (format === 'application/yaml') parsed = parseYaml(text);
    else throw status.unsupportedMediaType(format);
  } catch (e) {
    if (e instanceof status.StatusError) throw e;
    throw status.badRequest(`the object provided is unrecognized (must be of type ${format === 'application/yaml' ? 'YAML' : 'JSON'}): ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw status.badRequest('the request body must be a JSON object');
  return parsed as StoredObject;
}

function context(req: RestRequest): RequestContext {
  const dryRun = req.query.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw status.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  return { user: req.user, namespace: req.info.namespace, dryRun: dryRun.length > 0 };
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

function listOptions(query: URLSearchParams): ListOptions {
  const match = (query.get('resourceVersionMatch') ?? '') as ResourceVersionMatch;
  if (!['', 'NotOlderThan', 'Exact'].includes(match)) {
    throw status.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  const rv = query.get('resourceVersion') ?? undefined;
  if (match && !rv) throw status.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match === 'Exact' && rv === '0') throw status.badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  const limit = intParam(query, 'limit');
  const cont = query.get('continue') || undefined;
  if (cont && rv && rv !== '0') throw status.badRequest('specifying resource version is not allowed when using continue');
  try {
    return {
      labelSelector: parseLabelSelector(query.get('labelSelector') ?? ''),
      fieldSelector: parseFieldSelector(query.get('fieldSelector') ?? ''),
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

/** Unknown field-selector fields are refused, as upstream: only fields the kind can select are valid. */
function checkFieldSelector(store: RegistryStore, opts: ListOptions): void {
  const probe = store.selectableFields({ metadata: {} });
  for (const r of opts.fieldSelector?.requirements ?? []) {
    if (!(r.field in probe)) throw status.badRequest(`field label not supported: ${r.field}`);
  }
}

function respond(obj: unknown, negotiated: Negotiated, code = 200): EncodedResponse {
  return encodeBody(obj, negotiated, code);
}

function objectResponse(store: RegistryStore, req: RestRequest, obj: StoredObject, code = 200): EncodedResponse {
  const negotiated = negotiateObject(req.headers.accept, { protobuf: false });
  if (negotiated.as === 'Table') {
    return respond(toTable(store.kind, [obj], { includeObject: includeObject(req.query) }, { resourceVersion: obj.metadata?.resourceVersion }), negotiated, code);
  }
  if (negotiated.as === 'PartialObjectMetadata') return respond(partialObjectMetadata(obj), negotiated, code);
  if (negotiated.as === 'PartialObjectMetadataList') throw status.notAcceptable('PartialObjectMetadataList is only served for lists');
  return respond(obj, negotiated, code);
}

function includeObject(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw status.badRequest(`includeObject: Unsupported value: "${v}"`);
  return v;
}

export async function handleResource(store: RegistryStore, req: RestRequest): Promise<RestResponse> {
  const ctx = context(req);
  const { info } = req;
  const verb = info.verb;
  if (!store.kind.verbs.includes(verb as never)) throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, verb);
  switch (verb) {
    case 'get':
      return objectResponse(store, req, await store.get(ctx, info.name, { resourceVersion: req.query.get('resourceVersion') ?? undefined }));
    case 'list':
      return list(store, req, ctx);
    case 'watch':
      return watch(store, req, ctx);
    case 'create': {
      if (info.name) throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, 'create on a named resource');
      const created = await store.create(ctx, await decodeBody(req));
      return objectResponse(store, req, created, 201);
    }
    case 'update': {
      const { obj, created } = await store.update(ctx, info.name, await decodeBody(req));
      return objectResponse(store, req, obj, created ? 201 : 200);
    }
    case 'patch': {
      const type = bodyFormat(req.headers.contentType);
      if (!patchTypes.includes(type)) throw status.unsupportedMediaType(type);
      const raw = new TextDecoder().decode(await req.body());
      const patched = await store.guaranteedUpdate(ctx, info.name, async (current) => {
        const { resourceVersion: _ignored, ...meta } = current.metadata;
        const result = applyPatch(type, { ...current, metadata: meta }, raw, store.kind);
        return result;
      });
      return objectResponse(store, req, patched);
    }
    case 'delete': {
      const opts = await deleteOptions(req);
      const deleted = await store.delete(ctx, info.name, opts);
      return objectResponse(store, req, deleted);
    }
    case 'deletecollection': {
      const opts = listOptions(req.query);
      checkFieldSelector(store, opts);
      const listed = await store.list(ctx, { ...opts, limit: undefined, continue: undefined });
      const deleted: StoredObject[] = [];
      for (const item of listed.items) {
        try {
          deleted.push(await store.delete({ ...ctx, namespace: item.metadata.namespace ?? '' }, item.metadata.name));
        } catch (e) {
          if (!(e instanceof status.StatusError && e.code === 404)) throw e;
        }
      }
      return respond({ kind: store.kind.listKind, apiVersion: apiVersionOf(store), metadata: { resourceVersion: listed.resourceVersion }, items: deleted }, negotiateObject(req.headers.accept, { protobuf: false }));
    }
    default:
      throw status.methodNotSupported({ group: store.kind.group, resource: store.kind.resource }, verb);
  }
}

async function deleteOptions(req: RestRequest): Promise<DeleteOptions> {
  const raw = await req.body();
  const opts: DeleteOptions = {};
  if (raw.byteLength > 0) {
    const body = await decodeBody({ ...req, body: async () => raw });
    if (body.preconditions) opts.preconditions = body.preconditions;
    if (body.propagationPolicy) opts.propagationPolicy = body.propagationPolicy;
    if (body.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = body.gracePeriodSeconds;
  }
  const grace = intParam(req.query, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = req.query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy;
  return opts;
}

async function list(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const opts = listOptions(req.query);
  checkFieldSelector(store, opts);
  const negotiated = negotiateObject(req.headers.accept, { protobuf: false });
  const result = await store.list(ctx, opts);
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (negotiated.as === 'Table') {
    return respond(toTable(store.kind, result.items, { includeObject: includeObject(req.query) }, metadata), negotiated);
  }
  if (negotiated.as === 'PartialObjectMetadataList') {
    return respond({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: result.items.map(partialObjectMetadata) }, negotiated);
  }
  if (negotiated.as) throw status.notAcceptable(`${negotiated.as} is not served for lists`);
  return respond({ kind: store.kind.listKind, apiVersion: apiVersionOf(store), metadata, items: result.items }, negotiated);
}

async function watch(store: RegistryStore, req: RestRequest, ctx: RequestContext): Promise<RestResponse> {
  const opts = listOptions(req.query);
  if (req.info.name) {
    opts.fieldSelector = parseFieldSelector(`metadata.name=${req.info.name}`);
  }
  checkFieldSelector(store, opts);
  const sendInitialEvents = req.query.has('sendInitialEvents') ? boolParam(req.query, 'sendInitialEvents') : undefined;
  if (sendInitialEvents !== undefined) {
    if (opts.resourceVersionMatch !== 'NotOlderThan') {
      throw status.invalid('meta.k8s.io', 'ListOptions', '', [{ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan' }]);
    }
    if (!boolParam(req.query, 'allowWatchBookmarks')) {
      throw status.invalid('meta.k8s.io', 'ListOptions', '', [{ type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'allowWatchBookmarks must be set to true when sendInitialEvents is set' }]);
    }
  }
  const negotiated = negotiateObject(req.headers.accept, { protobuf: false });
  const timeoutSeconds = intParam(req.query, 'timeoutSeconds');
  return serveWatch(store, ctx, {
    ...opts,
    allowWatchBookmarks: boolParam(req.query, 'allowWatchBookmarks'),
    sendInitialEvents: sendInitialEvents === true,
    negotiated,
    includeObject: negotiated.as === 'Table' ? includeObject(req.query) : 'Object',
    timeoutSeconds,
    signal: req.signal,
  });
}
