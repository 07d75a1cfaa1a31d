/**
 * API errors as Kubernetes `Status` objects. Every failure a client can see is a StatusError; the HTTP layer
 * writes its `status` as the body and its `code` as the HTTP status. Reasons and message texts follow upstream,
 * because clients (kubectl, client-go) match on them.
 */
import type { FieldError } from './field-errors.ts';
import { fieldErrorBody, fieldErrorMessage } from './field-errors.ts';
import { goQuote } from './gofmt.ts';
import { aggregateErrors } from './aggregate-errors.ts';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Gone'
  | 'Expired'
  | 'Timeout'
  | 'TooManyRequests'
  | 'RequestEntityTooLarge'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Identifies the resource an error is about, as in `configmaps "c1" not found` / `deployments.apps "web"`. */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export class StatusError extends Error {
  /** Texts for `Warning:` headers sent with this error (warnings collected before the request failed). */
  warnings?: string[];

  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function failure(code: number, reason: StatusReason | undefined, message: string, details?: StatusDetails): StatusError {
  return new StatusError(statusInGoOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code }));
}

/**
 * A Status with its members in the order Go's encoding/json writes metav1.Status (kind, apiVersion, metadata,
 * status, message, reason, details, code: the struct declares code last), absent ones left out. JSON clients do
 * not care; byte-for-byte comparisons with kube-apiserver and people reading answers do.
 */
export function statusInGoOrder(st: Status): Status {
  const ordered = { kind: st.kind, apiVersion: st.apiVersion, metadata: st.metadata, status: st.status } as Status;
  if (st.message !== undefined) ordered.message = st.message;
  if (st.reason !== undefined) ordered.reason = st.reason;
  if (st.details !== undefined) ordered.details = st.details;
  ordered.code = st.code;
  return ordered;
}

/** StatusDetails as Go writes them: name, group and kind are omitempty, so an empty one is left out. */
function details(group: string, kind: string, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (kind) d.kind = kind;
  return d;
}

function resourceDetails(r: ResourceRef, name: string): StatusDetails {
  return details(r.group, r.resource, name);
}

// Object names are quoted as Go's %q quotes them (apimachinery v0.32.0 pkg/api/errors): a name the path or body
// carries with a quote, a backslash or a control character comes back escaped.
export function notFound(r: ResourceRef, name: string): StatusError {
  return failure(404, 'NotFound', `${qualified(r)} ${goQuote(name)} not found`, resourceDetails(r, name));
}

export function alreadyExists(r: ResourceRef, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(r)} ${goQuote(name)} already exists`, resourceDetails(r, name));
}

/**
 * A generated name that was taken (upstream's NewGenerateNameConflict): still AlreadyExists, but it says the server
 * picked the name, and asks the client to try again in a second.
 */
export function generateNameConflict(r: ResourceRef, name: string): StatusError {
  const message = `${qualified(r)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`;
  return failure(409, 'AlreadyExists', message, { ...resourceDetails(r, name), retryAfterSeconds: 1 });
}

export function conflict(r: ResourceRef, name: string, detail: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} ${goQuote(name)}: ${detail}`, resourceDetails(r, name));
}

export const optimisticLockMessage = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * 422 Invalid: one cause per field error. `kind` is the Kind (ConfigMap), as upstream. The message names each
 * distinct error once (apimachinery's ToAggregate), while the causes keep every error: a Job update runs the spec
 * checks twice upstream, and its causes show it.
 */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const summary = aggregateErrors(errors.map(fieldErrorMessage));
  // StatusCause's field is omitempty: an error about the whole object (field.NewPath("")) carries none.
  const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), ...(e.field ? { field: e.field } : {}) }));
  return failure(422, 'Invalid', `${kind}${group ? `.${group}` : ''} ${goQuote(name)} is invalid: ${summary}`, { ...details(group, kind, name), causes });
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

/**
 * apimachinery's NewForbidden, the one builder of every 403: `pods "x" is forbidden: <why>`, `deployments.apps is
 * forbidden: <why>` without a name, `forbidden: <why>` without a resource (a refused plain path such as /healthz).
 */
export function forbidden(r: ResourceRef, name: string, message: string): StatusError {
  const subject = name ? `${qualified(r)} ${goQuote(name)}` : qualified(r);
  const text = r.resource ? `${subject} is forbidden: ${message}` : `forbidden: ${message}`;
  return failure(403, 'Forbidden', text, resourceDetails(r, name));
}

/**
 * go-restful's answers for a path no route matches, and for a method no route of the path takes, as kube-apiserver
 * writes them (serviceErrorHandler: apimachinery's NewGenericServerResponse, no resource, name or causes; empty details).
 */
export function noRoute(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function methodNotSupported(r: ResourceRef, verb: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(r)}"`, resourceDetails(r, ''));
}

export function notAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] });
}

/** 410 Expired: a resourceVersion or continue token older than the store keeps. */
export function expired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return failure(410, 'Gone', message);
}

/** 504 (upstream's NewTimeoutError, whose message says `Timeout: ` first). */
export function timeout(message: string, retryAfterSeconds = 1): StatusError {
  // Go leaves a zero retryAfterSeconds out (omitempty); the details stay, empty.
  return failure(504, 'Timeout', `Timeout: ${message}`, retryAfterSeconds ? { retryAfterSeconds } : {});
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function requestEntityTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', message);
}

export function serviceUnavailable(message: string): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

/**
 * A body nested deeper than this server's recursive code can follow overflows V8's stack; that is the request's
 * fault, not the server's (Go follows nesting down to its decoder's limit of 10000 levels).
 */
export function nestedTooDeep(err: unknown): StatusError | undefined {
  if (err instanceof RangeError && err.message === 'Maximum call stack size exceeded') {
    return badRequest('the request is nested too deeply to be processed');
  }
  return undefined;
}

export function internalError(err: unknown): StatusError {
  const tooDeep = nestedTooDeep(err);
  if (tooDeep) return tooDeep;
  const message = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/**
 * The store refused a write as bigger than it takes. kube-apiserver passes etcd's error through as it is, so the
 * client gets a 500 without a reason and etcd's words (`etcdserver: request is too large`); a class of its own
 * lets the write handlers recognise it and try again without managedFields.
 */
export class RequestTooLargeError extends StatusError {
  constructor(message: string) {
    super({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
  }
}

/** A Success status, as returned by some deletes. */
export function success(details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200, ...(details ? { details } : {}) };
}
