/**
 * Handlers of resources and subresources served without a store of their own: a ReaderREST (componentstatuses:
 * get and list of computed objects) and a ConnecterREST (`pods/log`, `pods/exec`, `nodes/proxy`, ...), as
 * upstream's installer serves rest.Getter/Lister and rest.Connecter storage.
 */
import type { AdmissionAttributes, AdmissionChain } from '../admission/types.ts';
import { goShapes } from '../machinery/goshape.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { gvString } from '../machinery/scheme.ts';
import { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from '../machinery/selectors.ts';
import * as status from '../machinery/status.ts';
import type { ConnecterREST, ReaderREST } from '../registry/rest.ts';
import type { StoredObject } from '../storage/store.ts';
import { negotiateObject } from './negotiation.ts';
import { context, type RestRequest, type RestResponse } from './rest.ts';
import { encodeBody, partialMetadataMismatch, partialObjectMetadata, partialObjectMetadataList, servedGoType } from './serialize.ts';
import { toTable } from './table.ts';

/** Get and list of a ReaderREST, as JSON, YAML, protobuf or a Table; every answer carries the kind's deprecation. */
export async function handleReaderREST(rest: ReaderREST, req: RestRequest): Promise<RestResponse> {
  const { kind } = rest;
  const ctx = context(req);
  const negotiated = negotiateObject(req.headers.accept, { protobuf: kind.protobuf && Boolean(req.protobuf), views: req.protobuf });
  // Written as Go writes the kind (`metadata: {creationTimestamp: null}` for objects that are never stored).
  const typed = (obj: StoredObject) => {
    const out = { kind: kind.kind, apiVersion: gvString(kind), ...obj };
    if (kind.builtIn) goShapes.writeObject(out);
    return out;
  };
  // A list's items carry no kind and apiVersion: upstream encodes the Go list, whose items' TypeMeta is empty.
  const untyped = ({ kind: _k, apiVersion: _v, ...rest }: StoredObject) => rest;
  let res: RestResponse;
  switch (req.info.verb) {
    case 'get': {
      const obj = typed(await rest.get(ctx, req.info.name));
      if (negotiated.as === 'Table') res = encodeBody(toTable(kind, [obj], { includeObject: 'Metadata', apiVersion: negotiated.asApiVersion }, {}), negotiated, 200, req.protobuf);
      else if (negotiated.as === 'PartialObjectMetadata') res = encodeBody(partialObjectMetadata(obj, negotiated.asApiVersion), negotiated, 200, req.protobuf);
      else if (negotiated.as === 'PartialObjectMetadataList') throw partialMetadataMismatch(negotiated.as, servedGoType(kind, false));
      else res = encodeBody(obj, negotiated, 200, req.protobuf);
      break;
    }
    case 'list': {
      const selected = selectedBy(req.query);
      const items = (await rest.list(ctx)).filter(selected).map(typed);
      if (negotiated.as === 'Table') res = encodeBody(toTable(kind, items, { includeObject: 'Metadata', apiVersion: negotiated.asApiVersion }, {}), negotiated, 200, req.protobuf);
      else if (negotiated.as === 'PartialObjectMetadata') throw partialMetadataMismatch(negotiated.as, servedGoType(kind, true));
      else if (negotiated.as === 'PartialObjectMetadataList') res = encodeBody(partialObjectMetadataList(items, {}, negotiated.asApiVersion), negotiated, 200, req.protobuf);
      else res = encodeBody({ kind: kind.listKind, apiVersion: gvString(kind), metadata: {}, items: items.map(untyped) }, negotiated, 200, req.protobuf);
      break;
    }
    default:
      throw status.methodNotSupported({ group: kind.group, resource: kind.resource }, req.info.verb);
  }
  return kind.deprecated ? { ...res, warnings: [kind.deprecated] } : res;
}

/**
 * The list's label and field selectors, as upstream's componentstatus List applies them to the objects it computes:
 * fields are the object metadata's (`metadata.name`, `metadata.namespace`), any other is a 400 with the default field
 * label conversion's message; an object without labels matches only selectors that need none.
 */
function selectedBy(query: URLSearchParams): (obj: StoredObject) => boolean {
  let labels: LabelSelector;
  let fields: FieldSelector;
  try {
    labels = parseLabelSelector(query.get('labelSelector') ?? '');
    fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  } catch (e) {
    throw status.badRequest((e as Error).message);
  }
  const known = new Set(['metadata.name', 'metadata.namespace']);
  const unknown = fields.requirements.find((r) => !known.has(r.field));
  if (unknown) throw status.badRequest(`"${unknown.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  return (obj) =>
    labels.matches(obj.metadata?.labels ?? {}) &&
    fields.matches({ 'metadata.name': obj.metadata?.name ?? '', 'metadata.namespace': obj.metadata?.namespace ?? '' });
}

/**
 * A connect subresource: the verb must be one it serves; a connecter with options is admitted as a CONNECT of its
 * options object (mutating, then validating), then answers.
 */
export async function handleConnecterREST(
  rest: ConnecterREST,
  resource: { group: string; resource: string },
  req: RestRequest,
  admission: { chain: AdmissionChain; resourceKind: KindRegistration },
): Promise<RestResponse> {
  if (!rest.verbs.includes(req.info.verb)) throw status.methodNotSupported(resource, req.info.verb);
  const ctx = context(req);
  const subpath = req.info.parts.slice(3).join('/');
  const request = { verb: req.info.verb, query: req.query, subpath };
  const options = rest.options?.(request);
  if (options) {
    const [group, version] = options.apiVersion.includes('/') ? options.apiVersion.split('/') : ['', options.apiVersion];
    const attrs: AdmissionAttributes = {
      operation: 'CONNECT',
      kind: admission.resourceKind,
      resource: { group: req.info.apiGroup, version: req.info.apiVersion, resource: req.info.resource },
      objectKind: { group, version, kind: options.kind },
      namespace: req.info.namespace,
      name: req.info.name,
      subresource: req.info.subresource,
      object: options,
      user: ctx.user,
      dryRun: false,
      warnings: ctx.warnings,
    };
    await admission.chain.admit(attrs);
    await admission.chain.validate(attrs);
  }
  const { body, contentType, code } = await rest.connect(ctx, req.info.name, request);
  return { code: code ?? 200, contentType, body };
}
