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
  /** The request's options (meta.k8s.io/v1 CreateOptions, UpdateOptions or DeleteOptions), for webhooks. */
  options?: StoredObject;
  /** Texts plug-ins add for `Warning:` response headers (webhooks' warnings); absent when nobody collects them. */
  warnings?: string[];
  /** Audit annotations plug-ins add (key -> value), for the request's audit event; absent when nobody records them. */
  annotations?: Record<string, string>;
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
