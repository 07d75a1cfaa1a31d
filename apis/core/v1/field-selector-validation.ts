/**
 * A downward API field reference (upstream's validateObjectFieldSelector, v1.32), shared by environment variables and
 * downwardAPI volume files, which differ only in the field paths they may show.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';

/** Field paths podshelper.ConvertDownwardAPIFieldLabel converts (spec.host becomes spec.nodeName); others fail. */
const convertibleFieldPaths = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs', 'spec.host',
]);

/**
 * `path['subscript']` split as Go's fieldpath.SplitMaybeSubscriptedPath splits it: the text must end in `']` and hold
 * `['` after a non-empty path; the subscript is everything between the first `['` and the last `']`.
 */
function splitSubscriptedPath(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const body = fieldPath.slice(0, -2);
  const open = body.indexOf("['");
  if (open <= 0) return undefined;
  return { path: body.slice(0, open), subscript: body.slice(open + 2) };
}

/** Errors of a fieldRef at `at` whose unsubscripted paths must be among `allowed` (sorted: they are listed in messages). */
export function objectFieldSelectorErrors(at: string, ref: { apiVersion?: string; fieldPath?: string }, allowed: readonly string[]): FieldError[] {
  if (!ref.apiVersion) return [required(`${at}.apiVersion`, '')];
  if (!ref.fieldPath) return [required(`${at}.fieldPath`, '')];
  const fieldPath = ref.fieldPath;
  const convertError = (why: string) => [invalid(`${at}.fieldPath`, fieldPath, `error converting fieldPath: ${why}`)];
  if (ref.apiVersion !== 'v1') return convertError(`unsupported pod version: ${ref.apiVersion}`);
  const sub = splitSubscriptedPath(fieldPath);
  if (sub) {
    if (sub.path !== 'metadata.annotations' && sub.path !== 'metadata.labels') return convertError(`field label does not support subscript: ${fieldPath}`);
    // Annotation keys are checked, and reported, lower-cased (the downward API reads them case-insensitively).
    const key = sub.path === 'metadata.annotations' ? sub.subscript.toLowerCase() : sub.subscript;
    return isQualifiedName(key).map((msg) => invalid(at, key, msg));
  }
  if (!convertibleFieldPaths.has(fieldPath)) return convertError(`field label not supported: ${fieldPath}`);
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  return allowed.includes(internal) ? [] : [notSupported(`${at}.fieldPath`, internal, [...allowed])];
}
