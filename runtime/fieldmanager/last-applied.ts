/**
 * Client-side apply meets server-side apply (upstream's lastappliedmanager.go and lastappliedupdater.go): fields
 * that `kubectl apply` recorded in its `kubectl.kubernetes.io/last-applied-configuration` annotation, and that
 * still hold the values it applied, may be taken over by `kubectl apply --server-side` without a conflict; and
 * while the annotation exists, a server-side apply by kubectl keeps it up to date, so switching back works too.
 * Only the manager named `kubectl` gets either (another name opts out).
 */
import type { StoredObject } from '../storage/store.ts';
import { goJson } from '../machinery/json-value.ts';
import { FieldSet, typed, type TypeRef } from './smd/index.ts';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
/** The manager kubectl uses for `apply --server-side` unless told otherwise. */
export const kubectlManager = 'kubectl';
const totalAnnotationSizeLimit = 256 * 1024;

function annotationOf(obj: StoredObject): string | undefined {
  const a = obj.metadata?.annotations;
  const v = a && typeof a === 'object' ? (a as Record<string, unknown>)[lastAppliedAnnotation] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function hasLastApplied(obj: StoredObject): boolean {
  return annotationOf(obj) !== undefined;
}

/**
 * The fields the annotation claims whose live values are still the ones it applied: conflicts on these are
 * client-side apply's own and are forced. Empty when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: StoredObject, type: TypeRef, apiVersion: string): FieldSet {
  const text = annotationOf(live);
  if (!text) return new FieldSet();
  try {
    const last = JSON.parse(text) as StoredObject;
    if (!last || typeof last !== 'object' || last.apiVersion !== apiVersion) return new FieldSet();
    const liveTyped = typed(live, type);
    const lastTyped = typed(last, type);
    if (liveTyped.validate().length || lastTyped.validate().length) return new FieldSet();
    const cmp = lastTyped.compare(liveTyped);
    return lastTyped.toFieldSet().difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  } catch {
    return new FieldSet();
  }
}

/** What the annotation holds after an apply of `config`: the configuration without the annotation itself. */
export function buildLastApplied(config: StoredObject): string {
  const copy = structuredClone(config);
  const annotations = copy.metadata?.annotations;
  if (annotations && typeof annotations === 'object') delete (annotations as Record<string, unknown>)[lastAppliedAnnotation];
  return goJson(copy) + '\n';
}

/** Sets the annotation on `obj` (mutates), leaving it out when the annotations would grow beyond their limit. */
export function setLastApplied(obj: StoredObject, value: string): void {
  obj.metadata ??= {};
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}), [lastAppliedAnnotation]: value };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + (typeof v === 'string' ? v.length : 0);
  if (size > totalAnnotationSizeLimit) delete annotations[lastAppliedAnnotation];
  obj.metadata.annotations = annotations;
}
