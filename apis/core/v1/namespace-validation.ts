/**
 * Namespaces, as upstream's ValidateNamespace, ValidateNamespaceStatusUpdate and ValidateNamespaceFinalizeUpdate
 * (pkg/apis/core/validation, v1.32): finalizer names in the spec, and the phase a status write may set.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid } from '../../../runtime/machinery/field-errors.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import type { Namespace } from './namespace.ts';

/** Finalizer names without a domain that built-in kinds accept. */
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** A qualified name, and a standard one when it has no domain (both rules are reported). */
function validateFinalizerName(name: string, path: string): FieldError[] {
  const errors = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (!name.includes('/') && !standardFinalizers.has(name)) errors.push(invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  return errors;
}

/** Create and update: upstream reports each bad finalizer at the list, without its index. */
export function validateNamespace(ns: Namespace): FieldError[] {
  return (ns.spec?.finalizers ?? []).flatMap((f) => validateFinalizerName(f, 'spec.finalizers'));
}

/** A status write: Active while not being deleted, Terminating once it is (upstream's path has a capital P). */
export function validateNamespaceStatusUpdate(ns: Namespace): FieldError[] {
  const phase = ns.status?.phase ?? '';
  if (!ns.metadata?.deletionTimestamp) {
    return phase === 'Active' ? [] : [invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

/** A write through /finalize: each finalizer name, at its index. */
export function validateNamespaceFinalizeUpdate(ns: Namespace): FieldError[] {
  return (ns.spec?.finalizers ?? []).flatMap((f, i) => validateFinalizerName(f, `spec.finalizers[${i}]`));
}
