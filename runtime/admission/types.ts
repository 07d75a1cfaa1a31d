/**
 * Admission: plugins that see every write after authorization and before storage, as upstream's
 * k8s.io/apiserver/pkg/admission. Mutating plugins run first and may change the object; the object is then
 * prepared and validated by its strategy; validating plugins run last and may only refuse (by throwing a
 * StatusError). Plugins are built by name from the registry (registry.ts); this file is only the contract.
 */
import type { UserInfo } from '../auth/user.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import { forbidden, type StatusCause, type StatusError } from '../machinery/status.ts';
import { addAuditAnnotation as recordAuditAnnotation } from '../audit/context.ts';
import { spentIn } from '../metrics/layers.ts';
import type { Cancellation } from '../machinery/cancellation.ts';
import { aggregateErrors } from '../machinery/aggregate-errors.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** A group/version/resource, as upstream's schema.GroupVersionResource. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** A group/version/kind, as upstream's schema.GroupVersionKind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionAttributes {
  operation: Operation;
  /** The registration of the resource being written (scope, names, version of the request). */
  kind: KindRegistration;
  /** The resource of the request, in the request's version (webhooks match rules against it). */
  resource: GroupVersionResource;
  /** The kind of `object`/`oldObject` (for /scale: autoscaling/v1 Scale; else the resource's kind). */
  objectKind: GroupVersionKind;
  namespace: string;
  /** The object's name; '' on create with generateName, as upstream. */
  name: string;
  /** '' for the resource itself, else `status`, `scale`, `finalize`, ... */
  subresource: string;
  /** The object being written (absent for DELETE). Mutating plugins may change it. */
  object?: StoredObject;
  /** The stored object on UPDATE and DELETE. */
  oldObject?: StoredObject;
  user: UserInfo;
  dryRun: boolean;
  /** The operation's options object: meta.k8s.io/v1 CreateOptions, UpdateOptions or DeleteOptions. */
  options?: StoredObject;
  /** Texts for `Warning` response headers (upstream's warning.AddWarning); set by the caller, plugins append. */
  warnings?: string[];
  /** Annotations for the request's audit event (upstream's audit.AddAuditAnnotation), keyed with a plugin prefix. */
  auditAnnotations?: Record<string, string>;
  /** Set by the chain's mutating phase: whether and how the chain runs a second time (upstream's ReinvocationContext). */
  reinvocation?: ReinvocationContext;
  /** The request's cancellation (absent for the server's own writes): webhook calls are aborted when it is cancelled. */
  cancellation?: Cancellation;
}

/**
 * Upstream's admission.ReinvocationContext: a plug-in that changed the object after others ran (a mutating webhook)
 * asks for `shouldReinvoke`; the chain then runs every mutating plug-in once more with `isReinvoke` set. Built-in
 * plug-ins simply run again (they are idempotent); plug-ins keep their own state between the runs in `values`.
 */
export interface ReinvocationContext {
  isReinvoke: boolean;
  shouldReinvoke: boolean;
  values: Map<string, unknown>;
}

/** Adds a `Warning` for the client (once: a retried update runs admission again). */
export function addWarning(attrs: AdmissionAttributes, text: string): void {
  if (attrs.warnings && !attrs.warnings.includes(text)) attrs.warnings.push(text);
}

/** Records an audit annotation on the attributes and on the request's audit event (when the request is audited). */
export function addAuditAnnotation(attrs: AdmissionAttributes, key: string, value: string): void {
  (attrs.auditAnnotations ??= {})[key] = value;
  recordAuditAnnotation(key, value); // into the audit event of the request being served, when it is audited
}

/**
 * What a phase of a plug-in returns: a promise, or nothing when it settled its part at once (a plug-in with nothing
 * to do for a request says so without an async frame; the chain awaits only promises).
 */
export type AdmissionResult = Promise<void> | void;

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase; may change `attrs.object`. */
  admit?(attrs: AdmissionAttributes): AdmissionResult;
  /** Validating phase; may only throw. */
  validate?(attrs: AdmissionAttributes): AdmissionResult;
  /**
   * Runs once every mutating phase has, before the strategy prepares and validates the object; may only throw.
   * For checks upstream makes in a kind's storage rather than in admission (RBAC's escalation prevention), so
   * that their refusal comes before any validation error, as there.
   */
  afterMutation?(attrs: AdmissionAttributes): Promise<void>;
  /**
   * The resource names (any group, any subresource) the plug-in can act on, when it acts on a known few: the chain
   * then skips it for every other resource without calling it. Absent: it is called for every request.
   */
  readonly resources?: readonly string[];
}

interface Phases { admit: AdmissionPlugin[]; afterMutation: AdmissionPlugin[]; validate: AdmissionPlugin[] }

/** Runs the plugins in order: `admit` runs every mutating phase, `validate` every validating phase. */
export class AdmissionChain {
  /** The plug-ins of each phase that can act on a resource name, worked out once per name. */
  private readonly byResource = new Map<string, Phases>();

  constructor(
    private readonly plugins: readonly AdmissionPlugin[],
    /** Ends what the plug-ins keep running (the watches of their listers). */
    private readonly onStop?: () => void,
  ) {}

  stop(): void {
    this.onStop?.();
  }

  private phasesFor(resource: string): Phases {
    let hit = this.byResource.get(resource);
    if (!hit) {
      const concerned = this.plugins.filter((p) => !p.resources || p.resources.includes(resource));
      hit = { admit: concerned.filter((p) => p.admit), afterMutation: concerned.filter((p) => p.afterMutation), validate: concerned.filter((p) => p.validate) };
      this.byResource.set(resource, hit);
    }
    return hit;
  }

  /** The plugins' names in the order they run. */
  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  /**
   * Every mutating phase in order, and all of them once more when a plug-in asked for it (upstream's reinvoker);
   * then the checks that come after mutation (`afterMutation`).
   */
  async admit(attrs: AdmissionAttributes): Promise<void> {
    const started = performance.now();
    try {
      const ctx = (attrs.reinvocation ??= { isReinvoke: false, shouldReinvoke: false, values: new Map() });
      const phases = this.phasesFor(attrs.resource.resource);
      for (const p of phases.admit) {
        const pending = p.admit!(attrs);
        if (pending) await pending;
      }
      if (ctx.shouldReinvoke && !ctx.isReinvoke) {
        ctx.isReinvoke = true;
        for (const p of phases.admit) await p.admit!(attrs);
      }
      for (const p of phases.afterMutation) await p.afterMutation!(attrs);
    } finally {
      spentIn('admission', started);
    }
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const started = performance.now();
    try {
      for (const p of this.phasesFor(attrs.resource.resource).validate) {
        const pending = p.validate!(attrs);
        if (pending) await pending;
      }
    } finally {
      spentIn('admission', started);
    }
  }
}

/** Whether `attrs` is about `resource` of the core group (or `group`), and not a subresource of it. */
export function isResource(attrs: AdmissionAttributes, resource: string, group = ''): boolean {
  return attrs.resource.group === group && attrs.resource.resource === resource && attrs.subresource === '';
}

/**
 * The name a plug-in's refusal gives the object, as upstream's extractResourceName (k8s.io/apiserver
 * pkg/admission/errors.go): the request's name; else the written object's name or generateName (mutating admission
 * of a create sees no generated name yet); else "Unknown", which is what the items of a deletecollection (no name,
 * no new object) are refused as.
 */
export function admissionObjectName(attrs: AdmissionAttributes): string {
  return attrs.name || attrs.object?.metadata?.name || attrs.object?.metadata?.generateName || 'Unknown';
}

/**
 * A plug-in's refusal, as upstream's admission.NewForbidden: 403 `<resource> "<name>" is forbidden: <reason>`;
 * several reasons are shown as `[a, b]`, as upstream's aggregate errors; `causes` go into its details.
 */
export function admissionForbidden(attrs: AdmissionAttributes, reasons: string | readonly string[], causes?: StatusCause[]): StatusError {
  const message = typeof reasons === 'string' ? reasons : aggregateErrors(reasons);
  const err = forbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, admissionObjectName(attrs), message);
  if (causes) err.status.details!.causes = causes;
  return err;
}
