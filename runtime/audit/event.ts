/**
 * One audited request (upstream's audit.k8s.io/v1 Event) and how it is written: a JSON line per stage, with the field
 * order of upstream's Event. Request and response objects are kept as ready JSON text (the bytes the client sent or
 * the body the server answered with, when they can be used as they are), so logging them costs no second encode.
 */
import type { Level, RequestAuditConfig, Stage } from './policy.ts';
import { jsonText } from '../machinery/json-text.ts';
import { goJson, goOrdered } from '../machinery/json-value.ts';
import type { UserInfo } from '../auth/user.ts';

export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

export interface EventUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The bounded part of a Status that goes into `responseStatus`. */
export interface ResponseStatus {
  metadata: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  details?: unknown;
  code: number;
}

/** Microseconds since the epoch, for RFC 3339 timestamps with six fractional digits (metav1.MicroTime). */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export function microTime(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString(); // 2026-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

export class AuditEvent {
  stage: Stage = 'RequestReceived';
  objectRef?: ObjectReference;
  impersonatedUser?: EventUser;
  responseStatus?: ResponseStatus;
  /** JSON text of the request object (levels Request and RequestResponse). */
  requestObject?: string;
  /** JSON text of the response object (level RequestResponse). */
  responseObject?: string;
  annotations?: Record<string, string>;
  /** Set once a stage with the response code has been written (ResponseStarted of a long-running request). */
  started = false;

  constructor(
    readonly auditID: string,
    readonly config: RequestAuditConfig,
    readonly requestURI: string,
    readonly verb: string,
    readonly user: EventUser,
    readonly sourceIPs: string[],
    readonly userAgent: string | undefined,
    readonly receivedMicros: number,
  ) {}

  get level(): Level {
    return this.config.level;
  }

  /** The event at its current stage as one JSON line (no trailing newline). */
  toJSONLine(stageMicros: number): string {
    const head = jsonText({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: this.level,
      auditID: this.auditID,
      stage: this.stage,
      requestURI: this.requestURI,
      verb: this.verb,
      user: this.user,
      impersonatedUser: this.impersonatedUser,
      sourceIPs: this.sourceIPs,
      userAgent: this.userAgent,
      objectRef: this.objectRef,
      responseStatus: this.responseStatus,
    });
    let out = head.slice(0, -1);
    if (this.requestObject !== undefined) out += `,"requestObject":${this.requestObject}`;
    if (this.responseObject !== undefined) out += `,"responseObject":${this.responseObject}`;
    out += `,"requestReceivedTimestamp":"${microTime(this.receivedMicros)}","stageTimestamp":"${microTime(stageMicros)}"`;
    if (this.annotations) out += `,"annotations":${goJson(this.annotations)}`; // a map: keys sorted, as Go writes it
    return out + '}';
  }
}

/** A user as an event names it; `extra` is a map, logged with its keys sorted as Go writes one. */
export function eventUser(u: UserInfo): EventUser {
  const out: EventUser = { username: u.name };
  if (u.uid) out.uid = u.uid;
  if (u.groups.length) out.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) out.extra = goOrdered(u.extra);
  return out;
}
