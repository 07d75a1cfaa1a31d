/**
 * What an update's body said of the object's identity (uid, creationTimestamp, resourceVersion) before the store
 * overwrote them with the stored values. Upstream's storage-level checks that run during an update (RBAC's
 * IsOnlyMutatingGCFields) still see the body as sent, so a replace that omits them differs from the stored object.
 * Kept by object, so it goes with the object and needs no clean-up.
 */
import type { StoredObject } from '../storage/store.ts';

export interface SentIdentity {
  uid?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
}

const sent = new WeakMap<object, SentIdentity>();

/** Notes `obj`'s identity fields as the client sent them; call before the store overwrites them. */
export function rememberSentIdentity(obj: StoredObject): void {
  const m = obj.metadata ?? {};
  sent.set(obj, { uid: m.uid, creationTimestamp: m.creationTimestamp, resourceVersion: m.resourceVersion });
}

/** The identity fields `obj` carried as sent, or undefined when the store did not note them (a create, a webhook's copy). */
export function sentIdentity(obj: StoredObject): SentIdentity | undefined {
  return sent.get(obj);
}
