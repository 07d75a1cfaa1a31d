/**
 * Admission: plugins that see every write after authorization and before storage. Mutating plugins run first
 * and may change the object; validating plugins run after and may only refuse (by throwing a StatusError).
 */
import type { UserInfo } from '../auth/user.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  kind: KindRegistration;
  namespace: string;
  name: string;
  subresource: string;
  /** The object being written (absent for DELETE). Mutating plugins may change it. */
  object?: StoredObject;
  oldObject?: StoredObject;
  user: UserInfo;
  dryRun: boolean;
  /** Texts for `Warning` response headers (upstream's warning.AddWarning); set by the caller, plugins append. */
  warnings?: string[];
  /** Annotations for the request's audit event (upstream's audit.AddAuditAnnotation), keyed with a plugin prefix. */
  auditAnnotations?: Record<string, string>;
}

/** Adds a `Warning` for the client (once: a retried update runs admission again). */
export function addWarning(attrs: AdmissionAttributes, text: string): void {
  if (attrs.warnings && !attrs.warnings.includes(text)) attrs.warnings.push(text);
}

/** Records an audit annotation for the request's audit event. */
export function addAuditAnnotation(attrs: AdmissionAttributes, key: string, value: string): void {
  (attrs.auditAnnotations ??= {})[key] = value;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase; may change `attrs.object`. */
  admit?(attrs: AdmissionAttributes): Promise<void>;
  /** Validating phase; may only throw. */
  validate?(attrs: AdmissionAttributes): Promise<void>;
}

/** Runs the plugins in order: every mutating phase, then every validating phase. */
export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) await p.admit?.(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) await p.validate?.(attrs);
  }
}
