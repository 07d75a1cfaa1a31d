/**
 * Generic ObjectMeta rules every kind shares (upstream's ValidateObjectMeta and FillObjectMetaSystemFields):
 * name and namespace formats, labels and annotations, and the fields the server owns.
 */
import { randomUUID } from 'node:crypto';
import { setMember } from '../machinery/json-value.ts';
import type { FieldError } from '../machinery/field-errors.ts';
import { invalid, required, tooLong, forbidden } from '../machinery/field-errors.ts';
import { goBool, goPointer, goSlice, goString, goStrings, goStruct, goValue } from '../machinery/go-syntax.ts';
import type { NameFormat } from '../machinery/registration.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName, isValidPathSegmentPrefix } from '../machinery/string-checks.ts';
import type { StoredObject } from '../storage/store.ts';
import { failure } from '../machinery/status.ts';
import { parseApiVersion } from '../machinery/scheme.ts';
import { nonNegative } from '../../apis/meta/v1/validation-helpers.ts';
import { finalizerDeleteDependents, finalizerOrphanDependents, noNewFinalizers, validateDeletionFieldsUpdate } from './deletion.ts';

const totalAnnotationSizeLimit = 256 * 1024;

/**
 * A name in one of the formats kinds use (upstream's ValidateNameFunc): each problem is its own error. A `prefix`
 * (a generateName) is checked as the start of a name: a trailing dash is allowed, masked as upstream's
 * maskTrailingDash does (which also drops the character before it), and `.`/`..` are no path segment's whole name.
 */
export function validateName(name: string, format: NameFormat, field = 'metadata.name', prefix = false): FieldError[] {
  return nameFormatProblems(name, format, prefix).map((msg) => invalid(field, name, msg));
}

/** The messages of validateName, without a field (CEL's format library reports them as a list). */
export function nameFormatProblems(name: string, format: NameFormat, prefix = false): string[] {
  const checked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return nameProblems(checked, format, prefix);
}

function nameProblems(name: string, format: NameFormat, prefix: boolean): string[] {
  switch (format) {
    case 'dns1123-label':
      return isDNS1123Label(name);
    case 'dns1035-label':
      // Services: their names become DNS labels, which must not start with a digit.
      return isDNS1035Label(name);
    case 'dns1123-subdomain':
      return isDNS1123Subdomain(name);
    case 'path-segment':
      return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
  }
}

/** Label and annotation keys: an optional DNS subdomain prefix and a name part of at most 63 characters. */
export function validateQualifiedName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(field, key, msg));
}

/**
 * An annotation key: checked as a qualified name once lower-cased (annotation keys ignore case), reported as sent
 * (apimachinery's ValidateAnnotations).
 */
export function validateAnnotationKey(key: string, field: string): FieldError[] {
  return isQualifiedName(key.toLowerCase()).map((msg) => invalid(field, key, msg));
}

/** Annotations at `path` (an object's, or a pod template's): keys, then their total size (apimachinery's ValidateAnnotations). */
export function validateAnnotations(annotations: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let units = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    errors.push(...validateAnnotationKey(key, path));
    units += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (annotationBytesOver(annotations ?? {}, units)) errors.push(tooLong(path, '', totalAnnotationSizeLimit));
  return errors;
}

/**
 * Whether the annotations pass the limit in Go's len, UTF-8 bytes: counted only when their UTF-16 units (at most
 * three bytes each) could reach it, so the common small map costs no pass over its text.
 */
function annotationBytesOver(annotations: Record<string, unknown>, units: number): boolean {
  if (units > totalAnnotationSizeLimit) return true;
  if (units * 3 <= totalAnnotationSizeLimit) return false;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  return bytes > totalAnnotationSizeLimit;
}

export function validateObjectMeta(meta: StoredObject, opts: { namespaced: boolean; nameFormat: NameFormat }): FieldError[] {
  return [...new ObjectMetaChecks(meta, opts.namespaced).objectMeta(opts.nameFormat)];
}

/** validateObjectMeta's name checks, of the name format it is given. */
function nameErrors(meta: StoredObject, nameFormat: NameFormat): FieldError[] {
  // The generated name is checked as well (it was made before validation), so a bad generateName is reported twice.
  const errors = meta.generateName ? validateName(meta.generateName, nameFormat, 'metadata.generateName', true) : [];
  if (!meta.name) {
    if (!meta.generateName) errors.push(required('metadata.name', 'name or generateName is required'));
  } else errors.push(...validateName(meta.name, nameFormat));
  return errors;
}

/** validateObjectMeta's checks after the name's and before the labels': the namespace and the generation. */
function scopeErrors(meta: StoredObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (namespaced) {
    if (!meta.namespace) errors.push(required('metadata.namespace'));
    else errors.push(...validateName(meta.namespace, 'dns1123-label', 'metadata.namespace'));
  } else if (meta.namespace) {
    errors.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  // Reachable on create for kinds whose strategy keeps the client's generation (an update always keeps the old one).
  errors.push(...nonNegative(meta.generation as number | undefined, 'metadata.generation'));
  return errors;
}

/** What both ObjectMeta checks of apimachinery, the full one and the update one, hold the labels, annotations and owners to. */
function validateLabelsAnnotationsOwners(meta: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries((meta.labels ?? {}) as Record<string, unknown>)) {
    errors.push(...validateQualifiedName(key, 'metadata.labels'));
    if (typeof value !== 'string') errors.push(invalid(`metadata.labels`, value, 'must be a string'));
    else for (const msg of isValidLabelValue(value)) errors.push(invalid('metadata.labels', value, msg));
  }
  errors.push(...validateAnnotations(meta.annotations as Record<string, unknown> | undefined, 'metadata.annotations'));
  errors.push(...validateOwnerReferences(meta.ownerReferences));
  return errors;
}

/** metav1.OwnerReference as `%#v` prints it in the owner-reference errors' bad values. */
const goOwnerReference = goStruct('v1.OwnerReference', [
  ['APIVersion', goString(), 'apiVersion'],
  ['Kind', goString()],
  ['Name', goString()],
  ['UID', goString('types.UID'), 'uid'],
  ['Controller', goPointer(goBool())],
  ['BlockOwnerDeletion', goPointer(goBool())],
]);

/** Kinds no object may name as its owner (apimachinery's BannedOwners), as group/version/kind. */
const bannedOwners = new Set(['/v1/Event']);

/**
 * Each reference names its owner fully, and at most one is the controller (apimachinery's ValidateOwnerReferences).
 * Every error sits at `metadata.ownerReferences` itself, without the reference's index, as upstream reports them.
 */
function validateOwnerReferences(refs: unknown): FieldError[] {
  if (!Array.isArray(refs)) return [];
  const path = 'metadata.ownerReferences';
  const errors: FieldError[] = [];
  let firstController = '';
  for (const ref of refs as Record<string, unknown>[]) {
    const text = (key: string) => (typeof ref?.[key] === 'string' ? (ref[key] as string) : '');
    const { group, version } = parseApiVersion(text('apiVersion'));
    if (!version) errors.push(invalid(`${path}.apiVersion`, text('apiVersion'), 'version must not be empty'));
    if (!text('kind')) errors.push(invalid(`${path}.kind`, text('kind'), 'kind must not be empty'));
    if (!text('name')) errors.push(invalid(`${path}.name`, text('name'), 'name must not be empty'));
    if (!text('uid')) errors.push(invalid(`${path}.uid`, text('uid'), 'uid must not be empty'));
    if (bannedOwners.has(`${group}/${version}/${text('kind')}`)) {
      errors.push(invalid(path, goValue(goOwnerReference, ref), `${group}/${version}, Kind=${text('kind')} is disallowed from being an owner`));
    }
    if (ref?.controller !== true) continue;
    const controller = `${text('kind')}/${text('name')}`;
    if (!firstController) firstController = controller;
    else {
      errors.push(invalid(path, goValue(goSlice(goOwnerReference), refs), `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${controller}`));
    }
  }
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
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', detail: `${goValue(goStrings, finalizers.map(String)).text}: finalizer ${finalizerOrphanDependents} and ${finalizerDeleteDependents} cannot be both set` });
  }
  return errors;
}

/**
 * apimachinery's ValidateObjectMetaUpdate: the fields no update may change, and the labels, annotations and owner
 * references checked again. Upstream runs it twice on most updates (the registry's common checks and the kind's
 * ValidateXUpdate), so an error it finds is listed twice among the causes (once in the message).
 */
export function validateObjectMetaUpdate(meta: StoredObject, old: StoredObject): FieldError[] {
  return [...new ObjectMetaChecks(meta, false, old).objectMetaUpdate()];
}

/** ValidateObjectMetaUpdate's own checks, before the labels, annotations and owners it checks again. */
function updateOnlyErrors(meta: StoredObject, old: StoredObject): FieldError[] {
  const errors: FieldError[] = [...noNewFinalizers(meta, old)];
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if ((meta[field] ?? '') !== (old[field] ?? '')) errors.push(invalid(`metadata.${field}`, meta[field] ?? '', 'field is immutable'));
  }
  errors.push(...validateDeletionFieldsUpdate(meta, old));
  return errors;
}

/**
 * What every update's metadata goes through before the kind's own update checks (rest.BeforeUpdate's
 * validateCommonFields): ObjectMeta with the common name rule (a path segment), then its update rules.
 */
export function validateCommonFields(meta: StoredObject, old: StoredObject, namespaced: boolean): FieldError[] {
  return [...new ObjectMetaChecks(meta, namespaced, old).commonFields()];
}

const noErrors: readonly FieldError[] = Object.freeze([]);

/** The parts, in order, as one list; the shared empty one when none found anything (the common case). */
function joined(...parts: readonly (readonly FieldError[])[]): readonly FieldError[] {
  return parts.every((p) => p.length === 0) ? noErrors : parts.flat();
}

/**
 * ObjectMeta's checks of one write, each part run at most once. Upstream's update validation runs the same checks
 * two or three times (rest.BeforeUpdate's common fields, then the kind's ValidateXUpdate, which checks the update
 * rules again and may re-run the whole ValidateObjectMeta; both check labels, annotations and owners) and lists what
 * each run finds, so a strategy composes its causes from these in upstream's order and an error found is repeated
 * where upstream repeats it, without checking again. The lists are shared between calls: callers copy, not mutate.
 */
export class ObjectMetaChecks {
  private names: Partial<Record<NameFormat, readonly FieldError[]>> = {};
  private scope?: readonly FieldError[];
  private labelsAnnotationsOwners?: readonly FieldError[];
  private finalizers?: readonly FieldError[];
  private update?: readonly FieldError[];
  private kubeFinalizers?: readonly FieldError[];

  constructor(
    readonly meta: StoredObject,
    readonly namespaced: boolean,
    /** The metadata replaced, for the update rules. */
    readonly old: StoredObject = {},
  ) {}

  /** ValidateObjectMeta with the given name format. */
  objectMeta(nameFormat: NameFormat): readonly FieldError[] {
    const names = (this.names[nameFormat] ??= nameErrors(this.meta, nameFormat));
    this.scope ??= scopeErrors(this.meta, this.namespaced);
    this.finalizers ??= validateFinalizers(this.meta.finalizers);
    return joined(names, this.scope, this.labelsAnnotationsOwnersErrors(), this.finalizers);
  }

  /** ValidateObjectMetaUpdate. */
  objectMetaUpdate(): readonly FieldError[] {
    return (this.update ??= joined(updateOnlyErrors(this.meta, this.old), this.labelsAnnotationsOwnersErrors()));
  }

  /** rest.BeforeUpdate's validateCommonFields. */
  commonFields(): readonly FieldError[] {
    return joined(this.objectMeta('path-segment'), this.objectMetaUpdate());
  }

  /**
   * Core's ValidateObjectMetaUpdate (pkg/apis/core/validation), which the update and status checks of every built-in
   * group but apiextensions and apiregistration call: apimachinery's, then the finalizer-name rule.
   */
  coreObjectMetaUpdate(): readonly FieldError[] {
    return joined(this.objectMetaUpdate(), this.kubeFinalizerNames());
  }

  /** Core's finalizer-name rule (validateKubeFinalizerNames). */
  kubeFinalizerNames(): readonly FieldError[] {
    return (this.kubeFinalizers ??= validateKubeFinalizerNames(this.meta));
  }

  private labelsAnnotationsOwnersErrors(): readonly FieldError[] {
    return (this.labelsAnnotationsOwners ??= validateLabelsAnnotationsOwners(this.meta));
  }
}

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream's MaxGeneratedNameLength: a generated name fits a DNS label (63) with its 5 random characters. */
const maxGeneratedNameLength = 63 - 5;

/** A name made from a generateName (upstream's SimpleNameGenerator): a longer prefix is cut to fit. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)];
  return prefix.slice(0, maxGeneratedNameLength) + suffix;
}

/** The last second nowTime formatted, and its text: every write in the same second carries the same time. */
let lastSecond = NaN;
let lastText = '';

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function nowTime(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

/**
 * Clears what the server owns of an object sent to be created (upstream's create handler: WipeObjectMetaSystemFields;
 * not the resourceVersion, which storage refuses),
 * before admission, so that mutating admission sees none of it.
 */
export function wipeSystemFields(meta: StoredObject): void {
  delete meta.uid;
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

const maxUint64 = 2n ** 64n - 1n;

/**
 * What storage does with a new object's resourceVersion (upstream's etcd3 Create): one Go reads as a non-zero
 * uint64 is refused with a plain error, which the client sees as a 500 without a reason; any other is cleared
 * (PrepareObjectForStorage). The create handler never clears it, so admission sees it as sent.
 */
export function clearResourceVersionForCreate(meta: StoredObject): void {
  const rv = meta.resourceVersion;
  if (typeof rv === 'string' && /^[0-9]+$/.test(rv) && BigInt(rv) !== 0n && BigInt(rv) <= maxUint64) {
    throw failure(500, undefined, 'resourceVersion should not be set on objects to be created');
  }
  delete meta.resourceVersion;
}

/**
 * The metadata without its resourceVersion, as a new object in the same order: deleting a member from the middle
 * of an object leaves V8 a slow dictionary that every later read, copy and encode of the request pays for.
 */
export function withoutResourceVersion(meta: StoredObject): StoredObject {
  if (!Object.hasOwn(meta, 'resourceVersion')) return meta;
  const out: StoredObject = {};
  for (const key of Object.keys(meta)) if (key !== 'resourceVersion') setMember(out, key, meta[key]);
  return out;
}

/** ObjectMeta's fields in the order Go writes them. */
const objectMetaOrder = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/**
 * Server-owned fields of a new object, set by the store once admission has mutated it (FillObjectMetaSystemFields).
 * The metadata is made again in Go's order, as responses write it: a no-op PUT of a response body then stores the
 * very same bytes (storage compares them). A new object rather than the same one reordered: deleting every member
 * to add it back would leave V8 a slow dictionary that every later read, copy and encode of this request pays for.
 */
export function fillSystemFields(obj: StoredObject): StoredObject {
  const meta = obj.metadata as StoredObject;
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTime();
  const ordered: StoredObject = {};
  for (const key of objectMetaOrder) if (Object.hasOwn(meta, key)) ordered[key] = meta[key];
  for (const key of Object.keys(meta)) if (!Object.hasOwn(ordered, key)) setMember(ordered, key, meta[key]);
  obj.metadata = ordered;
  return ordered;
}

/** Whether the store makes the object's name from its generateName (upstream's needsNameGeneration). */
export function needsGeneratedName(meta: StoredObject): boolean {
  return !meta.name && Boolean(meta.generateName);
}
