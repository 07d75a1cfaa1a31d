/**
 * Generic ObjectMeta rules every kind shares (upstream's ValidateObjectMeta and FillObjectMetaSystemFields):
 * name and namespace formats, labels and annotations, and the fields the server owns.
 */
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../machinery/field-errors.ts';
import { invalid, required, tooLong, forbidden } from '../machinery/field-errors.ts';
import type { NameFormat } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import { finalizerDeleteDependents, finalizerOrphanDependents, goStringSlice, noNewFinalizers, validateDeletionFieldsUpdate } from './deletion.ts';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const totalAnnotationSizeLimit = 256 * 1024;

const labelMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

export function validateName(name: string, format: NameFormat, field = 'metadata.name'): FieldError[] {
  switch (format) {
    case 'dns1123-label':
      if (name.length > 63) return [invalid(field, name, 'must be no more than 63 characters')];
      return dns1123Label.test(name) ? [] : [invalid(field, name, labelMsg)];
    case 'dns1035-label':
      // Services: their names become DNS labels that must not start with a digit (upstream's IsDNS1035Label).
      return [...(name.length > 63 ? [invalid(field, name, 'must be no more than 63 characters')] : []), ...(dns1035Label.test(name) ? [] : [invalid(field, name, dns1035Msg)])];
    case 'dns1123-subdomain':
      if (name.length > 253) return [invalid(field, name, 'must be no more than 253 characters')];
      return dns1123Subdomain.test(name) ? [] : [invalid(field, name, subdomainMsg)];
    case 'path-segment':
      if (name === '.' || name === '..') return [invalid(field, name, `may not be '${name}'`)];
      return /[/%]/.test(name) ? [invalid(field, name, "may not contain '/' or '%'")] : [];
  }
}

/** Label and annotation keys: an optional DNS subdomain prefix and a name part of at most 63 characters. */
export function validateQualifiedName(key: string, field: string): FieldError[] {
  const parts = key.split('/');
  const name = parts.length === 2 ? parts[1] : parts[0];
  const errs: string[] = [];
  if (parts.length > 2) errs.push("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'");
  if (parts.length === 2 && (!parts[0] || parts[0].length > 253 || !dns1123Subdomain.test(parts[0]))) errs.push('prefix part ' + subdomainMsg);
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!qualifiedNamePart.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errs.map((e) => invalid(field, key, e));
}

export function validateObjectMeta(meta: StoredObject, opts: { namespaced: boolean; nameFormat: NameFormat }): FieldError[] {
  const errors: FieldError[] = [];
  if (!meta.name) {
    if (!meta.generateName) errors.push(required('metadata.name', 'name or generateName is required'));
  } else errors.push(...validateName(meta.name, opts.nameFormat));
  if (opts.namespaced) {
    if (!meta.namespace) errors.push(required('metadata.namespace'));
    else errors.push(...validateName(meta.namespace, 'dns1123-label', 'metadata.namespace'));
  } else if (meta.namespace) {
    errors.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  for (const [key, value] of Object.entries((meta.labels ?? {}) as Record<string, unknown>)) {
    errors.push(...validateQualifiedName(key, 'metadata.labels'));
    if (typeof value !== 'string') errors.push(invalid(`metadata.labels`, value, 'must be a string'));
    else if (value.length > 63) errors.push(invalid('metadata.labels', value, 'must be no more than 63 characters'));
    else if (!labelValue.test(value)) errors.push(invalid('metadata.labels', value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries((meta.annotations ?? {}) as Record<string, unknown>)) {
    errors.push(...validateQualifiedName(key.toLowerCase(), 'metadata.annotations'));
    annotationBytes += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (annotationBytes > totalAnnotationSizeLimit) errors.push(tooLong('metadata.annotations', '', totalAnnotationSizeLimit));
  errors.push(...validateFinalizers(meta.finalizers));
  return errors;
}

/** Finalizer names without a `/` that built-in kinds accept (upstream's IsStandardFinalizerName). */
const standardFinalizers = new Set(['kubernetes', finalizerOrphanDependents, finalizerDeleteDependents]);

/**
 * Built-in kinds' extra finalizer rule (upstream's core validateKubeFinalizerName): a name without a `/` must be
 * a standard one. Custom resources do not have it.
 */
export function validateKubeFinalizerNames(meta: StoredObject): FieldError[] {
  const finalizers: unknown = meta.finalizers;
  if (!Array.isArray(finalizers)) return [];
  const errors: FieldError[] = [];
  finalizers.forEach((f, i) => {
    if (typeof f === 'string' && !f.includes('/') && !standardFinalizers.has(f)) {
      errors.push(invalid(`metadata.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errors;
}

/** Finalizers are qualified names, and a delete cannot both orphan and wait for its dependents. */
function validateFinalizers(finalizers: unknown): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errors: FieldError[] = [];
  for (const f of finalizers) errors.push(...validateQualifiedName(String(f), 'metadata.finalizers'));
  if (finalizers.includes(finalizerOrphanDependents) && finalizers.includes(finalizerDeleteDependents)) {
    // Go prints the slice itself: Invalid value: []string{"orphan", "foregroundDeletion"}.
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', detail: `${goStringSlice(finalizers.map(String))}: finalizer ${finalizerOrphanDependents} and ${finalizerDeleteDependents} cannot be both set` });
  }
  return errors;
}

/** Fields no update may change. */
export function validateObjectMetaUpdate(meta: StoredObject, old: StoredObject): FieldError[] {
  const errors: FieldError[] = [...noNewFinalizers(meta, old)];
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if ((meta[field] ?? '') !== (old[field] ?? '')) errors.push(invalid(`metadata.${field}`, meta[field] ?? '', 'field is immutable'));
  }
  errors.push(...validateDeletionFieldsUpdate(meta, old));
  return errors;
}

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  return prefix + suffix;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Server-owned fields of a new object. */
export function fillSystemFields(meta: StoredObject): void {
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTime();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}
