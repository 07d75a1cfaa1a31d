import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import type { ValidationOptions } from '../../../runtime/machinery/validation-options.ts';
import { duplicate, forbidden, invalid, notFound, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goStringMap } from '../../meta/v1/go-internal.ts';
import { isConfigMapKey } from '../../../runtime/machinery/string-checks.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { storedReflectEqual, stringMapSchema } from '../../../runtime/registry/stored-reflect-equal.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { ConfigMap } from './configmap.ts';
import type { Endpoints } from './endpoints.ts';
import { validateEndpoints } from './endpoints-validation.ts';
import type { Event } from './event.ts';
import { coreEventView, legacyEventErrors } from './event-validation.ts';
import type { LimitRange } from './limitrange.ts';
import type { Namespace } from './namespace.ts';
import { validateNamespace } from './namespace-validation.ts';
import type { Node } from './node.ts';
import { validateNode, validateNodeUpdate } from './node-validation.ts';
import type { PersistentVolume } from './persistentvolume.ts';
import type { PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import type { Pod, PodTemplateSpec } from './pod.ts';
import type { PodTemplate } from './podtemplate.ts';
import type { ReplicationController } from './replicationcontroller.ts';
import type { ResourceQuota } from './resourcequota.ts';
import { validateLimitRange, validateResourceQuota } from './quota-validation.ts';
import type { Secret } from './secret.ts';
import { ipMsg, jsonDecodeError, portRangeMsg, validPort } from './validation-common.ts';
import { validatePersistentVolumeClaim } from './claim-validation.ts';
import { validatePersistentVolume } from './pv-validation.ts';

const maxTotalDataBytes = 1024 * 1024;

// Keys of data maps become file names in volumes and environment variable names.
function validateDataKeys(path: string, keys: string[]): FieldError[] {
  return keys.flatMap((key) => isConfigMapKey(key).map((msg) => invalid(`${path}[${key}]`, key, msg)));
}

/** Upstream's ValidateConfigMap, after ValidateConfigMapUpdate's immutability rules on an update. */
/** ValidateConfigMapUpdate's own checks, between its ObjectMeta update check and ValidateConfigMap. */
export function validateUpdate_ConfigMap(obj: ConfigMap, old: ConfigMap): FieldError[] {
  return immutableDataErrors(obj, old, ['data', 'binaryData']);
}

export function validate_ConfigMap(obj: ConfigMap, _old?: ConfigMap): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(obj.data ?? {})) {
    errors.push(...validateDataKeys('data', [key]));
    if (obj.binaryData && key in obj.binaryData) errors.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(value, 'utf8');
  }
  for (const [key, value] of Object.entries(obj.binaryData ?? {})) {
    errors.push(...validateDataKeys('binaryData', [key]));
    size += base64Length(value);
  }
  // Upstream reports the size at the empty path: the whole object is too large.
  if (size > maxTotalDataBytes) errors.push(tooLong('', '', maxTotalDataBytes));
  return errors;
}

/** Bytes a base64 text decodes to (Go holds []byte fields decoded, and sizes count those). */
function base64Length(value: string): number {
  return Math.floor((value.length * 3) / 4) - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
}

/**
 * Once `immutable` is true, it stays so and the data maps stay as they are, compared as upstream compares them, with
 * reflect.DeepEqual: regardless of key order, but an empty map sent (`data: {}`) differs from the nil map storage
 * gave back for none.
 */
function immutableDataErrors<T extends { immutable?: boolean }>(obj: T, old: T, fields: (keyof T & string)[]): FieldError[] {
  if (!old.immutable) return [];
  const errors: FieldError[] = [];
  if (!obj.immutable) errors.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!storedReflectEqual(obj[f] ?? null, old[f] ?? null, stringMapSchema)) errors.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errors;
}

const maxSecretBytes = 1024 * 1024;

const decodeBase64 = (v: string | undefined): string => Buffer.from(v ?? '', 'base64').toString('utf8');

/** Each well-known Secret type needs its keys (upstream's ValidateSecret). */
function validateSecretType(obj: Secret): FieldError[] {
  const data = obj.data ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  const dockerConfig = (key: string): FieldError[] => {
    if (!has(key)) return [required(`data[${key}]`)];
    // upstream unmarshals the data into a map[string]interface{} to see that it is well-formed JSON
    const err = jsonDecodeError(decodeBase64(data[key]), 'map[string]interface {}', false);
    return err ? [invalid(`data[${key}]`, '<secret contents redacted>', err)] : [];
  };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      return obj.metadata?.annotations?.['kubernetes.io/service-account.name'] ? [] : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return dockerConfig('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return dockerConfig('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required('data[username]'), required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required('data[tls.crt]')]), ...(has('tls.key') ? [] : [required('data[tls.key]')])];
    default:
      return [];
  }
}

/** Upstream's ValidateSecretUpdate rules first on an update (type, immutability), then ValidateSecret. */
/** ValidateSecretUpdate's own checks, between its ObjectMeta update check and ValidateSecret. */
export function validateUpdate_Secret(obj: Secret, old: Secret): FieldError[] {
  const errors: FieldError[] = [];
  if ((old.type ?? '') !== (obj.type ?? '')) errors.push(invalid('type', obj.type ?? '', 'field is immutable'));
  errors.push(...immutableDataErrors(obj, old, ['data']));
  return errors;
}

export function validate_Secret(obj: Secret, _old?: Secret): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(obj.data ?? {})) {
    errors.push(...validateDataKeys('data', [key]));
    size += base64Length(value);
  }
  if (size > maxSecretBytes) errors.push(tooLong('data', '', maxSecretBytes));
  errors.push(...validateSecretType(obj));
  return errors;
}

import { validate_PodTemplateSpec } from './podspec-validation.ts';
import { validatePod } from './pod-validation.ts';

// Pods and every pod template: podspec-validation.ts (one validator for all kinds that embed a PodSpec).
export { validate_PodSpec, validate_PodTemplateSpec } from './podspec-validation.ts';

/** Declared here, where the generator looks for a kind's hook by name. */
export function validate_Pod(obj: Pod, old: Pod | undefined, opts: ValidationOptions): FieldError[] {
  return validatePod(obj, old, opts);
}

// Services are validated by their strategy (runtime/registry/core/service-validation.ts), as upstream's
// ValidateService needs the allocators' view of cluster IPs and node ports.

// ---- Endpoints, Event, Node ----

export function validate_Endpoints(obj: Endpoints, _old?: Endpoints): FieldError[] {
  return validateEndpoints(obj);
}

/** Core Events pass upstream's legacy rules only (event-validation.ts). */
export function validate_Event(obj: Event, _old?: Event): FieldError[] {
  return legacyEventErrors(coreEventView(obj));
}

/** Upstream's node strategy: ValidateNode, and on update ValidateNodeUpdate as well (node-validation.ts). */
export function validate_Node(obj: Node, old?: Node): FieldError[] {
  return old ? [...validateNode(obj), ...validateNodeUpdate(obj, old)] : validateNode(obj);
}

/** Upstream's ValidateNamespace on create and update (status and finalize writes: the kind's strategy). */
export function validate_Namespace(obj: Namespace, _old?: Namespace): FieldError[] {
  return validateNamespace(obj);
}

// ---- LimitRange, ResourceQuota (quota-validation.ts) ----

export function validate_LimitRange(obj: LimitRange, _old?: LimitRange): FieldError[] {
  return validateLimitRange(obj);
}

/** Create checks spec and status; update the spec, with scopes immutable (status writes: the kind's strategy). */
export function validate_ResourceQuota(obj: ResourceQuota, old?: ResourceQuota): FieldError[] {
  return validateResourceQuota(obj, old);
}

// ---- PersistentVolume, PersistentVolumeClaim ----

/** Volumes: pv-validation.ts. */
export function validate_PersistentVolume(obj: PersistentVolume, old?: PersistentVolume): FieldError[] {
  return validatePersistentVolume(obj, old);
}

/** Claims: claim-validation.ts. */
export function validate_PersistentVolumeClaim(obj: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  return validatePersistentVolumeClaim(obj, old);
}

// ---- PodTemplate, ReplicationController ----

/** Upstream's ValidatePodTemplate: the template as any pod template, at `template`. */
export function validate_PodTemplate(obj: PodTemplate, old: PodTemplate | undefined, opts: ValidationOptions): FieldError[] {
  return validate_PodTemplateSpec(obj.template ?? {}, old?.template, 'template', opts);
}

/** A selector map that selects nothing (upstream's ValidateNonEmptySelector). */
function emptySelectorMap(selector: Record<string, string> | undefined): boolean {
  return Object.keys(selector ?? {}).length === 0;
}

/**
 * Upstream's ValidateReplicationControllerSpec, with ValidatePodTemplateSpecForRC; `oldTemplate` is the stored
 * controller's, against which the template's annotations ratchet (an invalid deletion cost already stored stays).
 */
function validateReplicationControllerSpec(obj: ReplicationController, oldTemplate: PodTemplateSpec | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? {};
  const errors: FieldError[] = [];
  if ((spec.minReadySeconds ?? 0) < 0) errors.push(invalid('spec.minReadySeconds', spec.minReadySeconds, 'must be greater than or equal to 0'));
  if (emptySelectorMap(spec.selector)) errors.push(required('spec.selector', ''));
  if ((spec.replicas ?? 0) < 0) errors.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const template = spec.template;
  if (!template) return [...errors, required('spec.template', '')];
  const labels = template.metadata?.labels ?? {};
  if (!emptySelectorMap(spec.selector) && !Object.entries(spec.selector!).every(([k, v]) => labels[k] === v)) {
    errors.push(invalid('spec.template.metadata.labels', goValue(goStringMap, template.metadata?.labels), 'selector does not match labels in spec.template'));
  }
  errors.push(...validate_PodTemplateSpec(template, oldTemplate, 'spec.template', opts));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    errors.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errors;
}

/** Annotations upstream's conversions once left for fields a version could not hold (NonConvertibleFields). */
const nonConvertiblePrefix = 'non-convertible.kubernetes.io';

/**
 * Upstream's RC strategy refuses an update of a controller whose old annotations name a field that did not convert:
 * a changed selector when the field is a selector, and any update at all otherwise. Go ranges over the map in no
 * set order; these come in the annotations' order.
 */
function nonConvertibleFieldErrors(obj: ReplicationController, old: ReplicationController): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(old.metadata?.annotations ?? {})) {
    const parts = key.split('/');
    if (!key.startsWith(nonConvertiblePrefix) || parts.length !== 2) continue;
    const brokenField = parts[1];
    if (!brokenField.includes('selector')) {
      errors.push({ ...notFound(brokenField, value), detail: 'unknown non-convertible field' });
    } else if (!semanticEqual(old.spec?.selector ?? {}, obj.spec?.selector ?? {})) {
      errors.push(invalid('spec.selector', goValue(goStringMap, obj.spec?.selector), 'cannot update non-convertible selector'));
    }
  }
  return errors;
}

/**
 * Upstream's ValidateReplicationController; on an update the strategy adds ValidateReplicationControllerUpdate, which
 * checks the spec again (every spec error is reported twice; the message names it once), and the non-convertible
 * annotations' rule.
 */
export function validate_ReplicationController(obj: ReplicationController, old: ReplicationController | undefined, opts: ValidationOptions): FieldError[] {
  const oldTemplate = old?.spec?.template;
  const errors = validateReplicationControllerSpec(obj, oldTemplate, opts);
  if (old) errors.push(...validateReplicationControllerSpec(obj, oldTemplate, opts), ...nonConvertibleFieldErrors(obj, old));
  return errors;
}
