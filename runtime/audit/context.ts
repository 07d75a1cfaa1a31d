/**
 * The audit event of the request being served, reachable from anywhere in that request's work (REST handlers,
 * admission plug-ins, the authorization filter) without threading it through every signature: an AsyncLocalStorage
 * entered by the audit filter only for requests the policy audits. Every hook is a cheap no-op otherwise, and does
 * level-dependent work (request and response objects) only when the level asks for it.
 */
import { parseJsonExact, spliceRawJson } from '../machinery/raw-json.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { eventUser, type AuditEvent, type ResponseStatus } from './event.ts';
import { atLeast } from './policy.ts';
import type { UserInfo } from '../auth/user.ts';
import { jsonText } from '../machinery/json-text.ts';

const current = new AsyncLocalStorage<AuditEvent>();

/** Runs `fn` (the rest of the handler chain) with `ev` as the current request's audit event. */
export function runAudited<T>(ev: AuditEvent, fn: () => T): T {
  return current.run(ev, fn);
}

/** The audit event of the current request, if it is audited. */
export function currentAuditEvent(): AuditEvent | undefined {
  return current.getStore();
}

/**
 * Adds an annotation to the current request's audit event (as upstream's audit.AddAuditAnnotation): admission
 * plug-ins use `<plugin name>.<domain>/<key>` keys, authorization `authorization.k8s.io/decision` and `/reason`.
 * The first value set for a key wins. No-op when the request is not audited.
 */
export function addAuditAnnotation(key: string, value: string): void {
  const ev = current.getStore();
  if (!ev) return;
  ev.annotations ??= {};
  if (!(key in ev.annotations)) ev.annotations[key] = value;
}

/** The impersonation filter: the request acts as `user` (logged as impersonatedUser; `user` stays the real one). */
export function auditImpersonatedUser(user: UserInfo): void {
  const ev = current.getStore();
  if (!ev) return;
  ev.impersonatedUser = eventUser(user);
}

/** Whether the current request logs its request object (level Request or above): callers can skip the work. */
export function auditWantsRequestObject(): boolean {
  const ev = current.getStore();
  return ev !== undefined && atLeast(ev.level, 'Request');
}

const hasLineBreak = (raw: Uint8Array) => raw.includes(10) || raw.includes(13);

/** Serializes a JSON value for the log, leaving out metadata.managedFields when the policy says so. */
function snapshot(value: unknown, omitManagedFields: boolean): string {
  // A RawExtension field is logged as the JSON text it keeps (machinery/raw-json.ts).
  // As Go writes it: a custom resource's int64 past 2^53 (a BigInt) as its digits, maps in Go's order (machinery/json-text.ts).
  if (!omitManagedFields) return spliceRawJson(jsonText(value));
  return spliceRawJson(jsonText(value, (key, v) => (key === 'managedFields' && Array.isArray(v) ? undefined : v)));
}

/**
 * The REST handler decoded a request body into `obj` (create, update, delete options). Fills the event's object
 * reference from the object's metadata (name for creates), and at level Request and above keeps the object: the raw
 * JSON bytes as the client sent them when they fit on one log line, else a snapshot taken now (before defaulting and
 * admission change the object).
 */
export function auditRequestObject(obj: Record<string, unknown>, raw?: Uint8Array, rawIsJSON = false): void {
  const ev = current.getStore();
  if (!ev) return;
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (ev.objectRef && meta && typeof meta === 'object') {
    const ref = ev.objectRef;
    if (!ref.namespace && typeof meta.namespace === 'string' && meta.namespace) ref.namespace = meta.namespace;
    if (!ref.name && typeof meta.name === 'string' && meta.name) ref.name = meta.name;
    if (!ref.uid && typeof meta.uid === 'string' && meta.uid) ref.uid = meta.uid;
    if (!ref.resourceVersion && typeof meta.resourceVersion === 'string' && meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
  }
  if (!atLeast(ev.level, 'Request') || ev.requestObject !== undefined) return;
  const useRaw = raw && rawIsJSON && !hasLineBreak(raw) && !(ev.config.omitManagedFields && Buffer.from(raw).includes('"managedFields"'));
  ev.requestObject = useRaw ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8') : snapshot(obj, ev.config.omitManagedFields);
}

/** A patch body (JSON patch, merge patch, apply): logged as it came at level Request and above, when it is JSON. */
export function auditRequestPatch(raw: string): void {
  const ev = current.getStore();
  if (!ev || !atLeast(ev.level, 'Request') || ev.requestObject !== undefined) return;
  try {
    // Upstream logs the patch's bytes: every integer keeps its digits.
    ev.requestObject = snapshot(parseJsonExact(raw), ev.config.omitManagedFields);
  } catch {
    // A YAML apply body: there is no JSON to log.
  }
}

/** The bounded fields of a Status copied into `responseStatus`, as upstream. */
export function responseStatusOf(st: Record<string, unknown>, code: number): ResponseStatus {
  const out: ResponseStatus = { metadata: {}, code };
  if (typeof st.status === 'string' && st.status) out.status = st.status;
  if (typeof st.message === 'string' && st.message) out.message = st.message;
  if (typeof st.reason === 'string' && st.reason) out.reason = st.reason;
  if (st.details) out.details = st.details;
  if (typeof st.code === 'number') out.code = st.code;
  return out;
}

/**
 * The response a resource handler produced. A Status body (failures, deletes) fills `responseStatus`; at level
 * RequestResponse the body is the response object: JSON bodies are used as they are, protobuf and YAML are turned
 * back into JSON (`decode`) only then. Streams (watches) are not logged, as upstream.
 */
export function auditResponse(res: { code: number; contentType: string; body?: string | Uint8Array }, decode?: (body: Uint8Array) => unknown): void {
  const ev = current.getStore();
  if (!ev || res.body === undefined) return;
  const json = res.contentType.startsWith('application/json');
  if (json && typeof res.body === 'string' && res.body.startsWith('{"kind":"Status"')) {
    try {
      ev.responseStatus = responseStatusOf(JSON.parse(res.body), res.code);
    } catch {
      // not a Status after all
    }
  }
  if (!atLeast(ev.level, 'RequestResponse')) return;
  try {
    if (json) {
      // Lists built from the watch cache's texts come as UTF-8 bytes (rest.ts encodedJsonList).
      const body = typeof res.body === 'string' ? res.body : Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString();
      ev.responseObject = ev.config.omitManagedFields && body.includes('"managedFields"') ? snapshot(JSON.parse(body), true) : body;
    } else if (typeof res.body !== 'string' && decode) {
      ev.responseObject = snapshot(decode(res.body), ev.config.omitManagedFields);
    }
  } catch {
    // An undecodable body is left out of the log rather than failing the request.
  }
}
