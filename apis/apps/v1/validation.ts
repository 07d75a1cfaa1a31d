import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goInt, goIntOrString, goPointee, goPointer, goString, goStruct, goValue, type GoType } from '../../../runtime/machinery/go-syntax.ts';
import { goLabelSelector, goStringMap } from '../../meta/v1/go-internal.ts';
import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import { validate_PodTemplateSpec } from '../../core/v1/validation.ts';
import type { ValidationOptions } from '../../../runtime/machinery/validation-options.ts';
import { rawTextOf } from '../../../runtime/machinery/raw-json.ts';
import { validateAnnotations } from '../../../runtime/registry/objectmeta.ts';
import { podSpecificAnnotationErrors } from '../../core/v1/pod-annotations.ts';
import { hasInvalidLabelValueInAffinitySelector } from '../../core/v1/podspec-validation.ts';
import type { LabelSelector } from '../../meta/v1/types.ts';
import {
  goIntOrPercent,
  intOrPercentValue,
  isEmptySelector,
  nonNegative,
  notMoreThan100Percent,
  selectorMatches,
  validateLabels,
  validateLabelSelector,
  validatePositiveIntOrPercent,
} from '../../meta/v1/validation-helpers.ts';
import type { ControllerRevision } from './controllerrevision.ts';
import type { DaemonSet } from './daemonset.ts';
import type { Deployment } from './deployment.ts';
import type { ReplicaSet } from './replicaset.ts';
import type { StatefulSet } from './statefulset.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { quantityAmountKey } from '../../../runtime/machinery/quantity.ts';
import type { PersistentVolumeClaim } from '../../core/v1/persistentvolumeclaim.ts';

const templateMismatch = '`selector` does not match template `labels`';

/** Selector present, valid and non-empty (`what` names the kind in upstream's message). */
function validateSelector(sel: LabelSelector | undefined, what: string): FieldError[] {
  if (!sel) return [required('spec.selector', '')];
  const errors = validateLabelSelector(sel, 'spec.selector');
  if (isEmptySelector(sel)) errors.push(invalid('spec.selector', goPointee(goLabelSelector, sel), `empty selector is invalid for ${what}`));
  return errors;
}

/**
 * A Deployment's or ReplicaSet's selector, then its template: upstream turns the selector into a labels.Selector
 * first, and when that fails (the same faults the selector checks find) says the whole selector is invalid and
 * leaves the template unchecked.
 */
function validateSelectorAndTemplate(sel: LabelSelector | undefined, template: PodTemplateSpec | undefined, old: PodTemplateSpec | undefined, opts: ValidationOptions): FieldError[] {
  const errors = validateSelector(sel, 'deployment');
  if (sel && validateLabelSelector(sel, 'spec.selector').length) {
    return [...errors, invalid('spec.selector', goPointee(goLabelSelector, sel), 'invalid label selector')];
  }
  return [...errors, ...validateTemplate(sel, template, 'ReplicaSet', old, opts)];
}

/**
 * The checks upstream applies to the pod template of every workload that restarts its pods forever
 * (ValidatePodTemplateSpecForReplicaSet and friends): selector and labels agree, the template is a valid pod
 * template, restartPolicy Always, no activeDeadlineSeconds.
 */
function validateTemplate(sel: LabelSelector | undefined, template: PodTemplateSpec | undefined, kind: string, old: PodTemplateSpec | undefined, opts: ValidationOptions): FieldError[] {
  if (!template) return [required('spec.template', '')];
  const errors: FieldError[] = [];
  // No selector at all selects nothing upstream (labels.Nothing()), so no template matches it either.
  if (!sel || (!isEmptySelector(sel) && selectorMatches(sel, template.metadata?.labels) === false)) {
    errors.push(invalid('spec.template.metadata.labels', goValue(goStringMap, template.metadata?.labels), templateMismatch));
  }
  if (kind === 'StatefulSet') {
    // Upstream leaves a StatefulSet's pod spec to the pods it makes (its volume mounts may name claim templates,
    // not volumes): only the template's labels and annotations are checked, at these paths, the annotations as a
    // pod's (ValidatePodSpecificAnnotations: deletion cost, seccomp, AppArmor, ...).
    const annotations = template.metadata?.annotations ?? {};
    errors.push(
      ...validateLabels(template.metadata?.labels, 'spec.template.labels'),
      ...validateAnnotations(annotations, 'spec.template.annotations'),
      ...podSpecificAnnotationErrors(annotations, template.spec, 'spec.template.annotations', old?.metadata?.annotations),
    );
  } else {
    errors.push(...validate_PodTemplateSpec(template, old, 'spec.template', opts));
  }
  return [...errors, ...restartRules(template, kind)];
}

/** Pods of these workloads restart forever: restartPolicy Always, no activeDeadlineSeconds. */
function restartRules(template: PodTemplateSpec | undefined, kind: string): FieldError[] {
  const errors: FieldError[] = [];
  const restartPolicy = template?.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  if (template?.spec?.activeDeadlineSeconds != null) {
    errors.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errors;
}

const goDeploymentStrategy = goStruct('apps.DeploymentStrategy', [['Type', goString('apps.DeploymentStrategyType')], ['RollingUpdate', goPointer('apps.RollingUpdateDeployment')]]);
const goStatefulSetUpdateStrategy = goStruct('apps.StatefulSetUpdateStrategy', [
  ['Type', goString('apps.StatefulSetUpdateStrategyType')],
  ['RollingUpdate', goPointer('apps.RollingUpdateStatefulSetStrategy')],
]);
const goRollingUpdateStatefulSetStrategy = goStruct('apps.RollingUpdateStatefulSetStrategy', [['Partition', goInt()], ['MaxUnavailable', goPointer(goIntOrString)]]);
const goDaemonSetUpdateStrategy = goStruct('apps.DaemonSetUpdateStrategy', [['Type', goString('apps.DaemonSetUpdateStrategyType')], ['RollingUpdate', goPointer('apps.RollingUpdateDaemonSet')]]);

/** Where apps/v1 keeps the deprecated spec.rollbackTo (its revision), which upstream's conversion restores. */
export const rollbackToAnnotation = 'deprecated.deployment.rollback.to';

/** The rollback revision the annotation stands for, checked at the internal field's path (spec.rollback.version). */
function validateRollbackTo(obj: Deployment): FieldError[] {
  const value = obj.metadata?.annotations?.[rollbackToAnnotation];
  if (!value || !/^[+-]?\d+$/.test(value)) return [];
  return nonNegative(Number(value), 'spec.rollback.version');
}

export function validate_Deployment(obj: Deployment, old: Deployment | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<Deployment['spec']>);
  const errors = [
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...validateSelectorAndTemplate(spec.selector, spec.template, old?.spec?.template, opts),
  ];
  const strategy = spec.strategy ?? {};
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) errors.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) {
        errors.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
        break;
      }
      errors.push(...validatePositiveIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errors.push(...validatePositiveIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errors.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', goIntOrPercent(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errors.push(...notMoreThan100Percent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      break;
    }
    default:
      errors.push(notSupported('spec.strategy', goValue(goDeploymentStrategy, strategy), ['Recreate', 'RollingUpdate']));
  }
  errors.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errors.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errors.push(...validateRollbackTo(obj));
  if (spec.progressDeadlineSeconds != null) {
    errors.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errors.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errors;
}

export function validate_ReplicaSet(obj: ReplicaSet, old: ReplicaSet | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<ReplicaSet['spec']>);
  const errors = [
    ...nonNegative(spec.replicas, 'spec.replicas'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec.selector, spec.template, old?.spec?.template, opts),
  ];
  return errors;
}

/**
 * Spec fields of a StatefulSet that an update may change (v1.32: revisionHistoryLimit is not one of them yet);
 * changing any other is forbidden.
 */
const statefulSetMutable = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

/**
 * The spec without the fields an update may change, for comparing what must stay as it was; the claim templates'
 * resource amounts are compared by value, as Go compares Quantities.
 */
function statefulSetFixedSpec(spec: StatefulSet['spec']): Record<string, unknown> {
  const fixed: Record<string, unknown> = Object.fromEntries(Object.entries(spec ?? {}).filter(([k]) => !statefulSetMutable.has(k)));
  if (spec?.volumeClaimTemplates) fixed.volumeClaimTemplates = spec.volumeClaimTemplates.map(claimTemplateByAmount);
  return fixed;
}

function claimTemplateByAmount(template: PersistentVolumeClaim): unknown {
  const resources = template?.spec?.resources;
  if (!resources) return template;
  const byAmount = (list: Record<string, string> | undefined) => list && Object.fromEntries(Object.entries(list).map(([name, q]) => [name, quantityAmountKey(String(q)) ?? q]));
  return { ...template, spec: { ...template.spec, resources: { ...resources, requests: byAmount(resources.requests), limits: byAmount(resources.limits) } } };
}

export function validate_StatefulSet(obj: StatefulSet, old: StatefulSet | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<StatefulSet['spec']>);
  const errors: FieldError[] = [];
  switch (spec.podManagementPolicy) {
    case undefined:
      errors.push(required('spec.podManagementPolicy', ''));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errors.push(invalid('spec.podManagementPolicy', spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case undefined:
      errors.push(required('spec.updateStrategy', ''));
      break;
    case 'OnDelete':
      if (strategy.rollingUpdate) {
        const value = goPointee(goRollingUpdateStatefulSetStrategy, strategy.rollingUpdate);
        errors.push(invalid('spec.updateStrategy.rollingUpdate', value, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (ru) {
        errors.push(...nonNegative(ru.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (ru.maxUnavailable != null) {
          const at = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
          const bad = validatePositiveIntOrPercent(ru.maxUnavailable, at);
          errors.push(...bad);
          if (!bad.length && intOrPercentValue(ru.maxUnavailable) === 0) errors.push(invalid(at, goIntOrPercent(ru.maxUnavailable), 'cannot be 0'));
          errors.push(...notMoreThan100Percent(ru.maxUnavailable, at));
        }
      }
      break;
    }
    default:
      errors.push(invalid('spec.updateStrategy', goValue(goStatefulSetUpdateStrategy, strategy), "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    for (const key of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[key];
      if (v !== 'Retain' && v !== 'Delete') errors.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, v ?? '', ['Retain', 'Delete']));
    }
  }
  if (spec.ordinals) errors.push(...nonNegative(spec.ordinals.start, 'spec.ordinals.start'));
  errors.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errors.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errors.push(...validateSelector(spec.selector, 'statefulset'));
  if (spec.selector && validateLabelSelector(spec.selector, 'spec.selector').length) {
    // Upstream cannot turn the selector into a labels.Selector: it says so without a detail, and leaves the
    // template's labels and annotations unchecked.
    errors.push(invalid('spec.selector', goPointee(goLabelSelector, spec.selector), ''));
    errors.push(...(spec.template ? restartRules(spec.template, 'StatefulSet') : [required('spec.template', '')]));
  } else {
    errors.push(...validateTemplate(spec.selector, spec.template, 'StatefulSet', old?.spec?.template, opts));
  }
  if (old) {
    // Compared as Go values (upstream's Semantic.DeepEqual): key order and absent versus empty do not count.
    if (!semanticEqual(statefulSetFixedSpec(spec), statefulSetFixedSpec(old.spec))) {
      errors.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errors;
}

export function validate_DaemonSet(obj: DaemonSet, old: DaemonSet | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<DaemonSet['spec']>);
  const errors: FieldError[] = [];
  // Unlike the other workloads, a DaemonSet without a selector is not told so: it selects nothing, so only its
  // template's labels are refused.
  if (spec.selector) {
    errors.push(...validateLabelSelector(spec.selector, 'spec.selector', hasInvalidLabelValueInAffinitySelector(old?.spec?.template?.spec)));
    if (isEmptySelector(spec.selector)) errors.push(invalid('spec.selector', goPointee(goLabelSelector, spec.selector), 'empty selector is invalid for daemonset'));
  }
  errors.push(...validateTemplate(spec.selector, spec.template, 'DaemonSet', old?.spec?.template, opts));
  errors.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) {
        errors.push(required('spec.updateStrategy.rollingUpdate', ''));
        break;
      }
      const at = 'spec.updateStrategy.rollingUpdate';
      errors.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${at}.maxUnavailable`));
      errors.push(...validatePositiveIntOrPercent(ru.maxSurge, `${at}.maxSurge`));
      errors.push(...notMoreThan100Percent(ru.maxUnavailable, `${at}.maxUnavailable`));
      errors.push(...notMoreThan100Percent(ru.maxSurge, `${at}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errors.push(invalid(`${at}.maxSurge`, goIntOrPercent(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errors.push(required(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errors.push(notSupported('spec.updateStrategy', goValue(goDaemonSetUpdateStrategy, strategy), ['RollingUpdate', 'OnDelete']));
  }
  errors.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errors;
}

/**
 * A ControllerRevision's data as upstream's error shows it: the internal type holds it as a *runtime.Unknown (its raw
 * JSON bytes, content type JSON), printed with `%#v`. The bytes are the JSON text as the client sent it (kept by
 * machinery/raw-json.ts).
 */
const goRawUnknown: GoType = {
  name: 'runtime.Unknown',
  print: (v) => {
    const raw = [...Buffer.from(rawTextOf(v ?? null))].map((b) => `0x${b.toString(16)}`).join(', ');
    return `runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{${raw}}, ContentEncoding:"", ContentType:"application/json"}`;
  },
};

export function validate_ControllerRevision(obj: ControllerRevision, old?: ControllerRevision): FieldError[] {
  const errors: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errors.push(required('data', 'data is mandatory'));
  errors.push(...nonNegative(obj.revision, 'revision'));
  // Upstream compares the bytes: the same value written with other spacing, member order or number forms differs.
  if (old && rawTextOf(old.data ?? null) !== rawTextOf(obj.data ?? null)) errors.push(invalid('data', goValue(goRawUnknown, obj.data), 'field is immutable'));
  return errors;
}
