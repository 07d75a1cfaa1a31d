/**
 * Serves a CreaterREST: decodes the body as its kind (JSON, YAML or protobuf), drops and reports unknown fields,
 * applies defaults, validates, and encodes the answer in the negotiated format with 201, as upstream's create
 * handler does for reviews and token requests.
 */
import { goShapes } from '../machinery/goshape.ts';
import { gvString } from '../machinery/scheme.ts';
import { prune } from '../machinery/prune.ts';
import * as status from '../machinery/status.ts';
import type { AdmissionChain, AdmissionAttributes } from '../admission/types.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { CreaterREST } from '../registry/rest.ts';
import { negotiateObject } from './negotiation.ts';
import { context, decodeBody, type RestRequest, type RestResponse } from './rest.ts';
import { encodeBody } from './serialize.ts';

/**
 * `admission`: when given, the create goes through it as upstream's create handler does for every create
 * (mutating, then validation, then validating); `resourceKind` is the registration of the resource in the path
 * (ServiceAccount for serviceaccounts/token), whose scope admission plug-ins read.
 */
export async function handleCreaterREST(
  rest: CreaterREST,
  resource: { group: string; resource: string },
  req: RestRequest,
  admission?: { chain: AdmissionChain; resourceKind: KindRegistration },
): Promise<RestResponse> {
  if (req.info.verb !== 'create') throw status.methodNotSupported(resource, req.info.verb);
  const { kind } = rest;
  const ctx = context(req);
  const body = await decodeBody(req);
  const apiVersion = gvString(kind);
  const accepted = [apiVersion, ...(rest.acceptsAPIVersions ?? [])];
  if ((body.apiVersion && !accepted.includes(body.apiVersion)) || (body.kind && body.kind !== kind.kind)) {
    throw status.badRequest(`the body of the request was in an unknown format: expected ${apiVersion}, Kind=${kind.kind}, got ${body.apiVersion ?? ''}, Kind=${body.kind ?? ''}`);
  }
  const unknown = prune(body, kind.schema);
  if (unknown.length && req.query.get('fieldValidation') === 'Strict') {
    // Worded as transformDecodeError words every decode error: the body's kind and version first.
    const version = typeof body.apiVersion === 'string' && body.apiVersion ? body.apiVersion.slice(body.apiVersion.indexOf('/') + 1) : kind.version;
    const errors = unknown.map((p) => `unknown field "${p}"`).join(', ');
    throw status.badRequest(`${kind.kind} in version "${version}" cannot be handled as a ${kind.kind}: strict decoding error: ${errors}`);
  }
  body.metadata ??= {};
  if (body.apiVersion) body.apiVersion = apiVersion;
  // Go clients send the zero time as null (kubectl drain's Evictions); Go decodes it as unset.
  if (body.metadata.creationTimestamp === null) delete body.metadata.creationTimestamp;
  if (body.metadata.namespace && req.info.namespace && body.metadata.namespace !== req.info.namespace) {
    throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  // The answer's status is the server's to fill; what a client sends there (kubectl sends empty lists as
  // protobuf, which decode as absent) is ignored, as upstream does, rather than validated.
  delete body.status;
  // Decoded as into the Go type: `null`s (kubectl create token sends `expirationSeconds: null`, `boundObjectRef:
  // null`) and non-pointer zeros are unset, so defaults fill them and validation never sees a null.
  if (kind.builtIn) goShapes.forKind(apiVersion, kind.kind)?.read(body);
  kind.default(body);
  const attrs: AdmissionAttributes | undefined = admission && {
    operation: 'CREATE',
    kind: admission.resourceKind,
    resource: { group: req.info.apiGroup, version: req.info.apiVersion, resource: req.info.resource },
    objectKind: { group: kind.group, version: kind.version, kind: kind.kind },
    namespace: req.info.namespace,
    name: req.info.subresource ? req.info.name : (body.metadata.name ?? ''),
    subresource: req.info.subresource ?? '',
    object: body,
    user: ctx.user,
    dryRun: ctx.dryRun,
    warnings: ctx.warnings,
    options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', ...(ctx.dryRun ? { dryRun: ['All'] } : {}) },
  };
  if (attrs) await admission!.chain.admit(attrs);
  const errors = kind.validate(body);
  if (errors.length) throw status.invalid(kind.group, kind.kind, body.metadata.name ?? '', errors);
  if (attrs) await admission!.chain.validate(attrs);
  const result = await rest.create(ctx, req.info.name, body);
  const negotiated = negotiateObject(req.headers.accept, { protobuf: kind.protobuf && Boolean(req.protobuf) });
  // The decoder's warnings; those admission and the REST add (ctx.warnings, which is req.warnings) are appended by
  // the caller's withAdmissionWarnings.
  const warnings = req.query.get('fieldValidation') === 'Ignore' ? [] : unknown.map((p) => `unknown field "${p}"`);
  // A REST that answers with a Status (bindings, evictions) sends it as it is, its code 201 when unset. The HTTP
  // status is 201 whatever the Status says, as upstream's create handler writes it: an eviction refused for having
  // two budgets is a 201 carrying a Failure with code 500 (which clients turn into their 500 error).
  if (result.kind === 'Status') {
    const res = encodeBody({ ...result, code: result.code || 201 }, negotiated, 201, req.protobuf);
    return warnings.length ? { ...res, warnings } : res;
  }
  const out = { apiVersion, kind: kind.kind, ...result };
  Object.assign(out, { apiVersion, kind: kind.kind });
  // Answered as Go writes the kind (`metadata: {creationTimestamp: null}`, `status: {allowed: false}`).
  if (kind.builtIn) goShapes.writeObject(out);
  const res = encodeBody(out, negotiated, 201, req.protobuf);
  return warnings.length ? { ...res, warnings } : res;
}
