/**
 * Auditing, as upstream's k8s.io/apiserver/pkg/audit: a policy decides per request whether and how much is recorded;
 * the audit filter (runtime/server/filters.ts) opens an event after authentication and writes it at each stage
 * (RequestReceived, ResponseStarted for long-running requests, ResponseComplete, or Panic) to the backends (a log file,
 * a webhook). Handlers, admission plug-ins and authorization add to the current event through context.ts.
 *
 * Without `--audit-policy-file`, or without a backend, nothing is audited and the filter costs nothing.
 */
import type { UserInfo } from '../auth/user.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { unionBackend, type AuditBackend, type BackendLogger } from './backend.ts';
import { AuditEvent, eventUser, nowMicros, type EventUser, type ObjectReference } from './event.ts';
import { LogBackend } from './log-backend.ts';
import { auditEventTotal } from '../metrics/audit.ts';
import type { AuditOptions } from './options.ts';
import { loadPolicyFile, type AuditAttributes, type PolicyEvaluator, type Stage } from './policy.ts';
import { WebhookBackend } from './webhook-backend.ts';

export { addAuditAnnotation, auditImpersonatedUser, auditRequestObject, auditRequestPatch, auditResponse, auditWantsRequestObject, currentAuditEvent, runAudited } from './context.ts';
export type { AuditOptions } from './options.ts';
export { AuditEvent } from './event.ts';

/** A request as the audit filter describes it (no web framework types). */
export interface AuditRequest {
  auditID: string;
  requestURI: string;
  info: RequestInfo;
  user: UserInfo;
  sourceIPs: string[];
  userAgent?: string;
  receivedMicros: number;
}

/** What the policy's rules match a request by. */
function policyAttributes(info: RequestInfo, user: string, groups: string[]): AuditAttributes {
  return {
    user,
    groups,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    namespace: info.namespace,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

function objectRef(info: RequestInfo): ObjectReference {
  return {
    resource: info.resource,
    namespace: info.namespace || undefined,
    name: info.name || undefined,
    apiGroup: info.apiGroup || undefined,
    apiVersion: info.apiVersion,
    subresource: info.subresource || undefined,
  };
}

export class Auditor {
  constructor(
    readonly policy: PolicyEvaluator,
    readonly backend: AuditBackend,
  ) {}

  /**
   * The request's event, or undefined when the policy does not audit it. Writes RequestReceived; `written` is that
   * write when the backend blocks (false: it failed and the backend is strict, so the request must fail).
   */
  begin(r: AuditRequest): { event: AuditEvent; written?: Promise<boolean> } | undefined {
    // The authenticated user: impersonation runs later and only adds impersonatedUser (auditImpersonatedUser).
    const { info, user } = r;
    const config = this.policy.evaluate(policyAttributes(info, user.name, user.groups));
    if (config.level === 'None') return undefined;
    const ev = new AuditEvent(r.auditID, config, r.requestURI, info.verb, eventUser(user), r.sourceIPs, r.userAgent, r.receivedMicros);
    if (info.isResourceRequest) ev.objectRef = objectRef(info);
    const written = this.emit(ev, 'RequestReceived');
    return { event: ev, ...(written ? { written } : {}) };
  }

  /**
   * A request answered before authentication knew its user: one that failed authentication (401, the credentials
   * tried as the message) or was refused before it (a bad `?timeout=`). Evaluated with no user, written once at
   * ResponseStarted, as upstream's failed-authentication and failed-request audits.
   */
  failedRequest(r: Omit<AuditRequest, 'user'>, message: string, code: number): void {
    const { info } = r;
    const config = this.policy.evaluate(policyAttributes(info, '', []));
    if (config.level === 'None') return;
    const ev = new AuditEvent(r.auditID, config, r.requestURI, info.verb, {} as EventUser, r.sourceIPs, r.userAgent, r.receivedMicros);
    if (info.isResourceRequest) ev.objectRef = objectRef(info);
    ev.responseStatus = { metadata: {}, message, code };
    this.emit(ev, 'ResponseStarted');
  }

  /** Writes the event at `stage`, unless the policy omits that stage; a blocking backend returns the write. */
  emit(ev: AuditEvent, stage: Stage): void | Promise<boolean> {
    ev.stage = stage;
    if (ev.config.omitStages.has(stage)) return;
    auditEventTotal.inc();
    const at = stage === 'RequestReceived' ? ev.receivedMicros : nowMicros();
    return this.backend.processEvents([ev.toJSONLine(at)]);
  }

  shutdown(): Promise<void> {
    return this.backend.shutdown();
  }
}

/** The auditor the flags ask for, or undefined (no policy file, or no backend). Throws naming a bad file. */
export function createAuditor(opts: AuditOptions, log: BackendLogger & { info(obj: object, msg: string): void }): Auditor | undefined {
  if (!opts.policyFile) return undefined;
  const policy = loadPolicyFile(opts.policyFile);
  const backends: AuditBackend[] = [];
  if (opts.logPath) {
    backends.push(new LogBackend({ path: opts.logPath, maxAgeDays: opts.logMaxAgeDays, maxBackups: opts.logMaxBackups, maxSizeMB: opts.logMaxSizeMB, bufferSize: opts.logBufferSize, log, mode: opts.logMode }));
  }
  if (opts.webhookConfigFile) {
    backends.push(
      new WebhookBackend({
        configFile: opts.webhookConfigFile,
        mode: opts.webhookMode,
        bufferSize: opts.webhookBufferSize,
        batchMaxSize: opts.webhookBatchMaxSize,
        batchMaxWaitMs: opts.webhookBatchMaxWaitSeconds * 1000,
        initialBackoffMs: opts.webhookInitialBackoffSeconds * 1000,
        log,
      }),
    );
  }
  if (!backends.length) {
    log.warn({ policy: opts.policyFile }, 'an audit policy was given without --audit-log-path or --audit-webhook-config-file: nothing is audited');
    return undefined;
  }
  log.info({ backends: backends.map((b) => b.name) }, 'auditing requests');
  return new Auditor(policy, unionBackend(backends));
}

export { nowMicros };
