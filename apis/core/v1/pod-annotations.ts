/**
 * The annotations a pod's behaviour hangs on (upstream v1.32's ValidatePodSpecificAnnotations,
 * ValidatePodSpecificAnnotationUpdates, the seccomp and AppArmor agreement checks of ValidatePodCreate, and the pod
 * strategy's applyAppArmorVersionSkew): a mirror pod's marker, the alpha tolerations, the deletion cost a ReplicaSet
 * scales down by, and the deprecated seccomp and AppArmor annotations, which must name valid profiles and agree with
 * the fields.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid } from '../../../runtime/machinery/field-errors.ts';
import type { AppArmorProfile, Container, EphemeralContainer, Pod, PodSpec, SeccompProfile } from './pod.ts';
import { localDescendingPathErrors } from './volume-validation.ts';
import { tolerationsAnnotation, tolerationsAnnotationErrors } from './toleration-validation.ts';

const mirrorPod = 'kubernetes.io/config.mirror';
const deletionCost = 'controller.kubernetes.io/pod-deletion-cost';
const seccompPod = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerPrefix = 'container.seccomp.security.alpha.kubernetes.io/';
const appArmorPrefix = 'container.apparmor.security.beta.kubernetes.io/';

type AnyContainer = Container | EphemeralContainer;

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Every container with its path, init containers first (upstream's podshelper.VisitContainersWithPath). */
function containersWithPath(spec: PodSpec | undefined, path = 'spec'): Array<[AnyContainer, string]> {
  const out: Array<[AnyContainer, string]> = [];
  for (const k of containerLists) (spec?.[k] ?? []).forEach((c: AnyContainer, i: number) => out.push([c, `${path}.${k}[${i}]`]));
  return out;
}

/** Every container, init containers first, where no path is wanted (every pod create comes here). */
function allContainers(spec: PodSpec | undefined): AnyContainer[] {
  const out: AnyContainer[] = [];
  for (const k of containerLists) (spec?.[k] ?? []).forEach((c: AnyContainer) => out.push(c));
  return out;
}

/**
 * Whether some annotation's key starts with `prefix`: most pods carry no per-container seccomp or AppArmor
 * annotation, and their checks, which name each container's path, have nothing to look at.
 */
function hasKeyWithPrefix(annotations: Record<string, string>, prefix: string): boolean {
  for (const k in annotations) if (k.startsWith(prefix)) return true;
  return false;
}

/** A deletion cost is a plain 32-bit integer: no sign but `-`, no leading zeros (helper.GetDeletionCostFromPodAnnotations). */
function validDeletionCost(value: string): boolean {
  if (!/^(-[0-9]+|0|[1-9][0-9]*)$/.test(value)) return false;
  const n = Number(value);
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}

/** Upstream's ValidateSeccompProfile for an annotation's value. */
function seccompAnnotationErrors(path: string, profile: string): FieldError[] {
  if (profile === 'runtime/default' || profile === 'docker/default' || profile === 'unconfined') return [];
  if (profile.startsWith('localhost/')) return localDescendingPathErrors(path, profile.slice('localhost/'.length));
  return [invalid(path, profile, 'must be a valid seccomp profile')];
}

/**
 * Upstream's ValidatePodSpecificAnnotations for the annotations at `path` of a pod (`metadata.annotations`) or a pod
 * template (`spec.template.annotations`) whose spec is `spec`. `old` are the stored object's annotations on an
 * update: a bad deletion cost already stored may stay (upstream's AllowInvalidPodDeletionCost).
 */
export function podSpecificAnnotationErrors(annotations: Record<string, string>, spec: PodSpec | undefined, path: string, old?: Record<string, string>): FieldError[] {
  const at = (key: string) => `${path}[${key}]`;
  const errors: FieldError[] = [];
  if (mirrorPod in annotations && !spec?.nodeName) errors.push(invalid(at(mirrorPod), annotations[mirrorPod], 'must set spec.nodeName if mirror pod annotation is set'));
  if (annotations[tolerationsAnnotation]) errors.push(...tolerationsAnnotationErrors(annotations[tolerationsAnnotation], path));
  const oldCost = old?.[deletionCost];
  const allowInvalidCost = oldCost !== undefined && !validDeletionCost(oldCost);
  if (!allowInvalidCost && deletionCost in annotations && !validDeletionCost(annotations[deletionCost])) {
    errors.push(invalid(at(deletionCost), annotations[deletionCost], 'must be a 32bit integer'));
  }
  // Seccomp keys are Child paths upstream, so they read `<path>.<key>`.
  if (seccompPod in annotations) errors.push(...seccompAnnotationErrors(`${path}.${seccompPod}`, annotations[seccompPod]));
  for (const [k, v] of Object.entries(annotations)) if (k.startsWith(seccompContainerPrefix)) errors.push(...seccompAnnotationErrors(`${path}.${k}`, v));
  if (!hasKeyWithPrefix(annotations, appArmorPrefix)) return errors;
  const names = new Set(allContainers(spec).map((c) => c.name));
  for (const [k, v] of Object.entries(annotations)) {
    if (!k.startsWith(appArmorPrefix)) continue;
    const container = k.slice(appArmorPrefix.length);
    if (!names.has(container)) errors.push(invalid(at(k), container, 'container not found'));
    if (v !== '' && v !== 'runtime/default' && v !== 'unconfined' && !v.startsWith('localhost/')) errors.push(invalid(at(k), v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
  }
  return errors;
}

/** A pod's own: on create and on every update. */
export function podAnnotationErrors(pod: Pod, old?: Pod): FieldError[] {
  return podSpecificAnnotationErrors(pod.metadata?.annotations ?? {}, pod.spec, 'metadata.annotations', old?.metadata?.annotations);
}

/**
 * Upstream's ValidatePodSpecificAnnotationUpdates: AppArmor annotations and the mirror pod marker are fixed at
 * creation; then the annotations are checked again as on create (so a bad one is reported twice on a pod update,
 * once by the spec's walk and once here, as upstream does).
 */
export function podAnnotationUpdateErrors(pod: Pod, old: Pod): FieldError[] {
  const annotations = pod.metadata?.annotations ?? {};
  const oldAnnotations = old.metadata?.annotations ?? {};
  const at = (key: string) => `metadata.annotations[${key}]`;
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(oldAnnotations)) {
    if (annotations[k] === v) continue;
    if (k.startsWith(appArmorPrefix)) errors.push(forbidden(at(k), 'may not remove or update AppArmor annotations'));
    if (k === mirrorPod) errors.push(forbidden(at(k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(annotations)) {
    if (k in oldAnnotations) continue;
    if (k.startsWith(appArmorPrefix)) errors.push(forbidden(at(k), 'may not add AppArmor annotations'));
    if (k === mirrorPod) errors.push(forbidden(at(k), 'may not add mirror pod annotation'));
  }
  return [...errors, ...podAnnotationErrors(pod, old)];
}

/** Whether a seccomp annotation names the profile a field sets (upstream's validateSeccompAnnotationsAndFieldsMatch). */
function seccompMismatch(path: string, annotation: string, profile: SeccompProfile): FieldError[] {
  switch (profile.type) {
    case 'Unconfined':
      return annotation === 'unconfined' ? [] : [forbidden(`${path}.type`, 'seccomp type in annotation and field must match')];
    case 'RuntimeDefault':
      return annotation === 'runtime/default' || annotation === 'docker/default' ? [] : [forbidden(`${path}.type`, 'seccomp type in annotation and field must match')];
    case 'Localhost':
      if (!annotation.startsWith('localhost/')) return [forbidden(`${path}.type`, 'seccomp type in annotation and field must match')];
      return profile.localhostProfile != null && annotation.slice('localhost/'.length) === profile.localhostProfile ? [] : [forbidden(`${path}.localhostProfile`, 'seccomp profile in annotation and field must match')];
    default:
      return [];
  }
}

function appArmorMismatch(path: string, annotation: string, profile: AppArmorProfile): FieldError[] {
  switch (profile.type) {
    case 'Unconfined':
      return annotation === 'unconfined' ? [] : [forbidden(`${path}.type`, 'apparmor type in annotation and field must match')];
    case 'RuntimeDefault':
      return annotation === 'runtime/default' ? [] : [forbidden(`${path}.type`, 'apparmor type in annotation and field must match')];
    case 'Localhost':
      if (!annotation.startsWith('localhost/')) return [forbidden(`${path}.type`, 'apparmor type in annotation and field must match')];
      return profile.localhostProfile != null && annotation.slice('localhost/'.length) === profile.localhostProfile ? [] : [forbidden(`${path}.localhostProfile`, 'apparmor profile in annotation and field must match')];
    default:
      return [];
  }
}

/**
 * On a pod's create and in every pod template, where both a deprecated annotation and its field are set they must
 * agree (upstream's validateSeccompAnnotationsAndFields and validateAppArmorAnnotationsAndFieldsMatchOnCreate; the
 * latter skips Windows pods, and takes a container's AppArmor profile from the pod when the container has none).
 */
export function securityAnnotationsMatchFields(annotations: Record<string, string>, spec: PodSpec | undefined, specPath = 'spec'): FieldError[] {
  const errors: FieldError[] = [];
  const podSeccomp = spec?.securityContext?.seccompProfile;
  if (podSeccomp && seccompPod in annotations) errors.push(...seccompMismatch(`${specPath}.securityContext.seccompProfile`, annotations[seccompPod], podSeccomp));
  if (hasKeyWithPrefix(annotations, seccompContainerPrefix)) for (const [c, path] of containersWithPath(spec, specPath)) {
    const profile = c.securityContext?.seccompProfile;
    const key = seccompContainerPrefix + c.name;
    if (profile && key in annotations) errors.push(...seccompMismatch(`${path}.securityContext.seccompProfile`, annotations[key], profile));
  }
  if (spec?.os?.name === 'windows' || !hasKeyWithPrefix(annotations, appArmorPrefix)) return errors;
  const podAppArmor = spec?.securityContext?.appArmorProfile;
  for (const [c, path] of containersWithPath(spec, specPath)) {
    const profile = c.securityContext?.appArmorProfile ?? podAppArmor;
    const key = appArmorPrefix + c.name;
    if (profile && key in annotations) errors.push(...appArmorMismatch(`${path}.securityContext.appArmorProfile`, annotations[key], profile));
  }
  return errors;
}

function appArmorAnnotationFor(profile: AppArmorProfile): string {
  if (profile.type === 'Localhost') return profile.localhostProfile != null ? `localhost/${profile.localhostProfile}` : '';
  if (profile.type === 'RuntimeDefault') return 'runtime/default';
  if (profile.type === 'Unconfined') return 'unconfined';
  return '';
}

function appArmorFieldFor(annotation: string): AppArmorProfile | undefined {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  const local = annotation.startsWith('localhost/') ? annotation.slice('localhost/'.length) : '';
  // A profile the field would refuse (padded or empty) is not copied.
  return local && local.trim() === local ? { type: 'Localhost', localhostProfile: local } : undefined;
}

/**
 * Upstream's applyAppArmorVersionSkew, on create: each (non-Windows) container's AppArmor annotation and field are
 * made to say the same, so old and new readers agree. A field (the container's, else the pod's) writes a missing
 * annotation; an annotation fills a missing container field unless it says what the pod's field says.
 */
export function applyAppArmorVersionSkew(pod: Pod): void {
  const spec = pod.spec;
  if (!spec || spec.os?.name === 'windows') return;
  const podProfile = spec.securityContext?.appArmorProfile;
  for (const c of allContainers(spec)) {
    const key = appArmorPrefix + c.name;
    const annotation = pod.metadata?.annotations?.[key];
    const profile = c.securityContext?.appArmorProfile;
    if (annotation === undefined) {
      const written = profile ? appArmorAnnotationFor(profile) : podProfile ? appArmorAnnotationFor(podProfile) : '';
      if (written) ((pod.metadata ??= {}).annotations ??= {})[key] = written;
    } else if (!profile) {
      const field = appArmorFieldFor(annotation);
      const samePodProfile = field && podProfile && field.type === podProfile.type && (field.localhostProfile ?? null) === (podProfile.localhostProfile ?? null);
      if (field && !samePodProfile) (c.securityContext ??= {}).appArmorProfile = field;
    }
  }
}
