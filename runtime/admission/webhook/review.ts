/**
 * The AdmissionReview exchange: the request the webhook receives (admission.k8s.io/v1, or v1beta1 for webhooks
 * that accept only that) and the checks on its answer, with upstream's error texts, and the errors a call ends in.
 */
import { randomUUID } from 'node:crypto';
import { failure, type Status, StatusError } from '../../machinery/status.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionAttributes, GroupVersionKind, GroupVersionResource } from '../types.ts';

/** A failure to get an answer from a webhook (network, timeout, bad response): failurePolicy decides. */
export class CallingWebhookError extends Error {
  constructor(
    readonly webhookName: string,
    readonly reason: string,
  ) {
    super(`failed calling webhook "${webhookName}": ${reason}`);
    this.name = 'CallingWebhookError';
  }
}

/** The webhook answered and refused: always an error, whatever the failurePolicy. */
export class WebhookRejection extends Error {
  constructor(readonly status: StatusError) {
    super(status.message);
    this.name = 'WebhookRejection';
  }
}

/** Which resource and kind a webhook is called for (the request's own, or an equivalent one its rules name). */
export interface Invocation {
  resource: GroupVersionResource;
  subresource: string;
  kind: GroupVersionKind;
  /** The registration to convert the objects to; undefined when they stay as they are (a subresource's Scale). */
  registration?: KindRegistration;
}

/** The objects of a request in the version a webhook is called with. */
export interface VersionedObjects {
  object?: StoredObject;
  oldObject?: StoredObject;
}

export function reviewVersion(name: string, versions: readonly string[] | undefined): 'v1' | 'v1beta1' {
  for (const v of versions ?? []) if (v === 'v1' || v === 'v1beta1') return v;
  throw new CallingWebhookError(name, 'could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)');
}

/** The operation's options as webhooks receive them (meta.k8s.io/v1 CreateOptions, UpdateOptions, DeleteOptions). */
function operationOptions(attrs: AdmissionAttributes): StoredObject | null {
  if (attrs.options) return attrs.options;
  const kind = ({ CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' } as Record<string, string>)[attrs.operation];
  if (!kind) return null;
  return { kind, apiVersion: 'meta.k8s.io/v1', ...(attrs.dryRun ? { dryRun: ['All'] } : {}) };
}

/** Namespace of the request as admission sees it (a Namespace's own name for requests on one, as the store sets). */
export function requestNamespace(attrs: AdmissionAttributes): string {
  return attrs.namespace;
}

export function buildReview(version: 'v1' | 'v1beta1', attrs: AdmissionAttributes, invocation: Invocation, objects: VersionedObjects): { uid: string; body: StoredObject } {
  const uid = randomUUID();
  const k = invocation.kind;
  const rk = attrs.objectKind;
  const rr = attrs.resource;
  const user = attrs.user;
  const request: StoredObject = {
    uid,
    kind: { group: k.group, version: k.version, kind: k.kind },
    resource: { group: invocation.resource.group, version: invocation.resource.version, resource: invocation.resource.resource },
    ...(invocation.subresource ? { subResource: invocation.subresource } : {}),
    requestKind: { group: rk.group, version: rk.version, kind: rk.kind },
    requestResource: { group: rr.group, version: rr.version, resource: rr.resource },
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(requestNamespace(attrs) ? { namespace: requestNamespace(attrs) } : {}),
    operation: attrs.operation,
    userInfo: {
      username: user.name,
      ...(user.uid ? { uid: user.uid } : {}),
      ...(user.groups?.length ? { groups: user.groups } : {}),
      ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
    },
    object: objects.object ?? null,
    oldObject: objects.oldObject ?? null,
    dryRun: attrs.dryRun,
    options: operationOptions(attrs),
  };
  return { uid, body: { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request } };
}

export interface AdmissionResponse {
  allowed: boolean;
  patch?: Uint8Array;
  patchType?: string;
  result?: Partial<Status>;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

/** Checks the decoded answer as upstream's VerifyAdmissionResponse does; the thrown text becomes the reason. */
export function verifyResponse(version: 'v1' | 'v1beta1', uid: string, mutating: boolean, review: StoredObject): AdmissionResponse {
  const res = review.response;
  if (res === null || typeof res !== 'object' || Array.isArray(res)) throw new Error('webhook response was absent');
  const warnings = Array.isArray(res.warnings) ? res.warnings.filter((w: unknown) => typeof w === 'string') : [];
  const auditAnnotations = res.auditAnnotations && typeof res.auditAnnotations === 'object' ? (res.auditAnnotations as Record<string, string>) : {};
  const result = res.status && typeof res.status === 'object' ? (res.status as Partial<Status>) : undefined;
  const allowed = res.allowed === true;
  const patch = typeof res.patch === 'string' && res.patch.length ? Buffer.from(res.patch, 'base64') : undefined;
  if (version === 'v1beta1') {
    // v1beta1 never checked the uid, the kind or the patch type; a patch there is a JSON patch.
    return { allowed, warnings, auditAnnotations, result, ...(mutating && patch?.length ? { patch, patchType: 'JSONPatch' } : {}) };
  }
  if ((res.uid ?? '') !== uid) throw new Error(`expected response.uid="${uid}", got "${res.uid ?? ''}"`);
  const apiVersion = typeof review.apiVersion === 'string' ? review.apiVersion : '';
  const kind = typeof review.kind === 'string' ? review.kind : '';
  if (apiVersion !== 'admission.k8s.io/v1' || kind !== 'AdmissionReview') {
    const slash = apiVersion.indexOf('/');
    const gv = slash < 0 ? `/${apiVersion}` : apiVersion;
    throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${gv}, Kind=${kind}`);
  }
  const hasPatchType = res.patchType !== undefined && res.patchType !== null;
  if (mutating) {
    if (patch?.length && !hasPatchType) throw new Error('webhook returned response.patch but not response.patchType');
    if (!patch?.length && hasPatchType) throw new Error('webhook returned response.patchType but not response.patch');
    if (hasPatchType && !res.patchType) throw new Error(`webhook returned invalid response.patchType of ""`);
    return { allowed, warnings, auditAnnotations, result, ...(patch?.length ? { patch, patchType: String(res.patchType) } : {}) };
  }
  if (patch?.length) throw new Error('validating webhook may not return response.patch');
  if (hasPatchType) throw new Error('validating webhook may not return response.patchType');
  return { allowed, warnings, auditAnnotations, result };
}

/**
 * The error a refusal becomes: the webhook's status, its code at least 400, its message prefixed with
 * `admission webhook "<name>" denied the request`.
 */
export function rejectionStatus(webhookName: string, result: Partial<Status> | undefined): StatusError {
  const deniedBy = `admission webhook "${webhookName}" denied the request`;
  const r = result ?? {};
  const code = typeof r.code === 'number' && r.code >= 400 ? r.code : 400;
  const message = r.message ? `${deniedBy}: ${r.message}` : r.reason ? `${deniedBy}: ${r.reason}` : `${deniedBy} without explanation`;
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (r.reason) status.reason = r.reason;
  if (r.details && typeof r.details === 'object') status.details = r.details;
  return new StatusError(status);
}

/** Upstream's refusal of a dry run by a webhook that may have side effects. */
export function dryRunUnsupported(webhookName: string): StatusError {
  return failure(400, 'BadRequest', `admission webhook "${webhookName}" does not support dry run`);
}
