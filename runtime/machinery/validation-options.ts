/**
 * What a kind's validation is told besides the object and the stored one: facts of the server and of the request
 * that change which objects are valid (upstream's PodValidationOptions and the like, passed down ValidatePodSpec).
 * The registry's strategies build them; the generated validator of every kind hands them to its `validate_<Kind>`
 * hook, and hooks pass them on to the shared validators they call (a pod template's spec). Options are plain frozen
 * objects built once per strategy, so a validation allocates none; with no option set it gets the shared default.
 */
import type { FieldError } from './field-errors.ts';

export interface ValidationOptions {
  /** Whether pod specs may hold privileged and hostProcess containers (kube-apiserver's --allow-privileged). */
  readonly allowPrivileged: boolean;
  /**
   * The subresource the write comes through, where the kind validates it differently (a pod written through
   * `ephemeralcontainers` may add ephemeral containers, which its plain update refuses); absent for the resource.
   */
  readonly subresource?: string;
}

/** The options of a server started with no flags, for a write to the resource itself. */
export const defaultValidationOptions: ValidationOptions = Object.freeze({ allowPrivileged: false });

/**
 * A kind's hand-written `validate_<Kind>(obj, old, opts)` as its generated validator calls it: `old` is the stored
 * object on update (absent on create). A hook that needs no options may declare fewer parameters.
 */
export type ValidationHook = (obj: any, old: any, opts: ValidationOptions) => FieldError[]; // eslint-disable-line @typescript-eslint/no-explicit-any
