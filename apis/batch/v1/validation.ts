import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goPointee, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goLabelSelector, goStringMap } from '../../meta/v1/go-internal.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validate_PodTemplateSpec } from '../../core/v1/validation.ts';
import { hasInvalidLabelValueInAffinitySelector } from '../../core/v1/podspec-validation.ts';
import type { ValidationOptions } from '../../../runtime/machinery/validation-options.ts';
import { goPodTemplateSpec, internalPodTemplateSpec } from '../../core/v1/go-internal-pod.ts';
import { nonNegative, selectorMatches, validateDomainPrefixedPath, validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { CronJob, JobTemplateSpec } from './cronjob.ts';
import type { Job, JobSpec } from './job.ts';
import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import { isDNS1123Label } from '../../../runtime/machinery/string-checks.ts';
import { cronScheduleError, timeZoneErrors } from './cron-schedule.ts';
import { validatePodFailurePolicy, validateSuccessPolicy } from './validation-policies.ts';
import { goPodFailurePolicy, goSuccessPolicy } from './go-internal.ts';

const maxParallelismForIndexed = 100_000;
const maxFailedIndexesForIndexed = 100_000;
const completionsSoftLimit = 100_000;
const parallelismLimitForHighCompletions = 10_000;
const maxFailedIndexesLimitForHighCompletions = 10_000;
const maxManagedByLength = 63;
const controllerUidLabel = 'batch.kubernetes.io/controller-uid';

/** The index-related limits of an Indexed job (upstream's checks under `completionMode: Indexed`). */
function validateIndexedLimits(spec: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes, backoffLimitPerIndex } = spec;
  if (completions == null) errors.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (parallelism != null && parallelism > maxParallelismForIndexed) {
    errors.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${maxParallelismForIndexed} when completion mode is Indexed`));
  }
  if (completions != null && maxFailedIndexes != null && maxFailedIndexes > completions) {
    errors.push(invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (maxFailedIndexes != null && maxFailedIndexes > maxFailedIndexesForIndexed) {
    errors.push(invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, `must be less than or equal to ${maxFailedIndexesForIndexed}`));
  }
  if (completions != null && completions > completionsSoftLimit && backoffLimitPerIndex != null) {
    const why = `when completions are above ${completionsSoftLimit} and used with backoff limit per index`;
    if (maxFailedIndexes == null) errors.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${completionsSoftLimit}`));
    if (parallelism != null && parallelism > parallelismLimitForHighCompletions) {
      errors.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${parallelismLimitForHighCompletions} ${why}`));
    }
    if (maxFailedIndexes != null && maxFailedIndexes > maxFailedIndexesLimitForHighCompletions) {
      errors.push(invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, `must be less than or equal to ${maxFailedIndexesLimitForHighCompletions} ${why}`));
    }
  }
  return errors;
}

/** Upstream's validatePodReplacementPolicy: with a pod failure policy only Failed. */
function validatePodReplacementPolicy(spec: JobSpec, path: string): FieldError[] {
  const policy = spec.podReplacementPolicy;
  if (policy == null) return [];
  if (spec.podFailurePolicy != null) return policy === 'Failed' ? [] : [notSupported(path, policy, ['Failed'])];
  return policy === 'Failed' || policy === 'TerminatingOrFailed' ? [] : [notSupported(path, policy, ['Failed', 'TerminatingOrFailed'])];
}

/**
 * The checks of a job spec shared by Jobs and CronJob job templates (upstream's validateJobSpec), in its order;
 * `oldTemplate` is the stored object's pod template, against which the template's annotations ratchet.
 */
function validateJobSpecCommon(spec: JobSpec, oldTemplate: PodTemplateSpec | undefined, path: string, opts: ValidationOptions): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    errors.push(...nonNegative(spec[key], `${path}.${key}`));
  }
  if (spec.maxFailedIndexes != null && spec.backoffLimitPerIndex == null) errors.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  if (spec.managedBy != null) {
    errors.push(...validateDomainPrefixedPath(spec.managedBy, `${path}.managedBy`));
    if (Buffer.byteLength(spec.managedBy) > maxManagedByLength) errors.push(tooLong(`${path}.managedBy`, undefined, maxManagedByLength));
  }
  const mode = spec.completionMode;
  if (mode != null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errors.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') errors.push(...validateIndexedLimits(spec, path));
  }
  if (mode == null || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex != null) errors.push(invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes != null) errors.push(invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy != null) errors.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (spec.successPolicy != null) {
    if (mode !== 'Indexed') errors.push(invalid(`${path}.successPolicy`, goValue(goSuccessPolicy, spec.successPolicy), 'requires indexed completion mode'));
    else errors.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  errors.push(...validatePodReplacementPolicy(spec, `${path}.podReplacementPolicy`));
  if (spec.template) errors.push(...validate_PodTemplateSpec(spec.template, oldTemplate, `${path}.template`, opts));
  // An unset restartPolicy reads as Always (the pod default), which a job's pods may not have.
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  const restartPath = `${path}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === '') errors.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errors.push(notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy != null && restartPolicy !== 'Never') errors.push(invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  return errors;
}

/** Upstream's ValidateJobSpec: the shared checks, the selector, and the template's labels matching it. */
function validateJobSpec(spec: JobSpec, oldTemplate: PodTemplateSpec | undefined, path: string, opts: ValidationOptions): FieldError[] {
  const errors = validateJobSpecCommon(spec, oldTemplate, path, opts);
  if (!spec.selector) errors.push(required(`${path}.selector`, ''));
  // A stored template with a pod affinity selector value that is no label value lets the job's selector keep such
  // values too (upstream's AllowInvalidLabelValueInSelector comes from the template's options).
  else errors.push(...validateLabelSelector(spec.selector, `${path}.selector`, hasInvalidLabelValueInAffinitySelector(oldTemplate?.spec)));
  // A null selector matches nothing, so the template's labels never match it.
  if (selectorMatches(spec.selector, spec.template?.metadata?.labels) === false) {
    errors.push(invalid(`${path}.template.metadata.labels`, goValue(goStringMap, spec.template?.metadata?.labels), '`selector` does not match template `labels`'));
  }
  return errors;
}

/**
 * The old template as the new one may differ from it: a suspended job that never started may change its pods'
 * node affinity, node selector, tolerations, labels, annotations and scheduling gates (upstream's
 * AllowMutableSchedulingDirectives); otherwise the template is immutable.
 */
function mutableTemplateView(template: JobSpec['template'] | undefined, old: JobSpec['template'] | undefined, mutable: boolean): unknown {
  if (!mutable || !old) return old;
  const view = structuredClone(old);
  const spec = (view.spec ??= {} as NonNullable<typeof view.spec>);
  const next = template?.spec;
  if (next?.affinity == null && spec.affinity != null) {
    const { nodeAffinity: _n, ...rest } = spec.affinity;
    spec.affinity = Object.keys(rest).length ? rest : undefined;
  } else if (next?.affinity != null) {
    spec.affinity = { ...(spec.affinity ?? {}), nodeAffinity: next.affinity.nodeAffinity };
  }
  spec.nodeSelector = next?.nodeSelector;
  spec.tolerations = next?.tolerations;
  spec.schedulingGates = next?.schedulingGates;
  view.metadata = { ...(view.metadata ?? {}), labels: template?.metadata?.labels, annotations: template?.metadata?.annotations };
  return view;
}

function changed(a: unknown, b: unknown): boolean {
  return !semanticEqual(a, b);
}

/** A template label the generated selector relies on: present, with the job's own value (upstream's ValidateHasLabel). */
function hasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const at = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [required(at, expected)];
  return labels[key] === expected ? [] : [invalid(at, goValue(goStringMap, labels), `must be '${expected}'`)];
}

/**
 * Without manualSelector the Job strategy generated the selector and labels; whatever the client sent must agree
 * with them (upstream's validateGeneratedSelector). Jobs stored before the batch.kubernetes.io/ labels existed
 * are held only to the legacy ones.
 */
function validateGeneratedSelector(obj: Job, old?: Job): FieldError[] {
  const spec = obj.spec ?? ({} as JobSpec);
  if (spec.manualSelector === true || !spec.selector) return [];
  const uid = obj.metadata?.uid ?? '';
  const name = obj.metadata?.name ?? '';
  const errors: FieldError[] = uid === '' ? [required('metadata.uid', '')] : [];
  const labels = spec.template?.metadata?.labels;
  const oldLabels = old?.spec?.template?.metadata?.labels;
  const prefixed = !old || (oldLabels != null && 'batch.kubernetes.io/job-name' in oldLabels && controllerUidLabel in oldLabels);
  errors.push(...hasLabel(labels, 'controller-uid', uid), ...hasLabel(labels, 'job-name', name));
  const expected: Record<string, string> = { 'controller-uid': uid, 'job-name': name };
  if (prefixed) {
    errors.push(...hasLabel(labels, controllerUidLabel, uid), ...hasLabel(labels, 'batch.kubernetes.io/job-name', name));
    Object.assign(expected, { [controllerUidLabel]: uid, 'batch.kubernetes.io/job-name': name });
  }
  if (selectorMatches(spec.selector, expected) === false) errors.push(invalid('spec.selector', goPointee(goLabelSelector, spec.selector), '`selector` not auto-generated'));
  return errors;
}

const goInt = (v: number | undefined | null) => v ?? null;
const goString = (v: string | undefined | null) => v ?? null;

/** Upstream's ValidateJobSpecUpdate after its ValidateJobSpec: the fields an update may not change. */
function validateJobSpecUpdate(obj: Job, old: Job): FieldError[] {
  const spec = obj.spec ?? ({} as JobSpec);
  const o = old.spec ?? ({} as JobSpec);
  const errors: FieldError[] = [];
  if (changed(spec.completions, o.completions)) {
    // Indexed jobs may scale completions together with parallelism (ElasticIndexedJob, on in v1.32); an Indexed
    // job without completions already has its error.
    if (spec.completionMode !== 'Indexed') errors.push(invalid('spec.completions', goInt(spec.completions), 'field is immutable'));
    else if (spec.completions != null && spec.completions !== spec.parallelism) {
      errors.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  }
  if (changed(spec.selector, o.selector)) errors.push(invalid('spec.selector', goPointee(goLabelSelector, spec.selector), 'field is immutable'));
  if (changed(spec.template, mutableTemplateView(spec.template, o.template, o.suspend === true && !old.status?.startTime))) {
    errors.push(invalid('spec.template', goValue(goPodTemplateSpec, internalPodTemplateSpec(spec.template)), 'field is immutable'));
  }
  if (changed(spec.completionMode, o.completionMode)) errors.push(invalid('spec.completionMode', goString(spec.completionMode), 'field is immutable'));
  if (changed(spec.podFailurePolicy, o.podFailurePolicy)) {
    errors.push(invalid('spec.podFailurePolicy', goPointee(goPodFailurePolicy, spec.podFailurePolicy), 'field is immutable'));
  }
  if (changed(spec.backoffLimitPerIndex, o.backoffLimitPerIndex)) errors.push(invalid('spec.backoffLimitPerIndex', goInt(spec.backoffLimitPerIndex), 'field is immutable'));
  if (changed(spec.managedBy, o.managedBy)) errors.push(invalid('spec.managedBy', goString(spec.managedBy), 'field is immutable'));
  if (changed(spec.successPolicy, o.successPolicy)) {
    errors.push(invalid('spec.successPolicy', goPointee(goSuccessPolicy, spec.successPolicy), 'field is immutable'));
  }
  return errors;
}

/** Upstream's ValidateJob (create) and, with `old`, ValidateJobUpdate's spec rules. */
export function validate_Job(obj: Job, old: Job | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as JobSpec);
  const oldTemplate = old?.spec?.template;
  const errors: FieldError[] = [...validateGeneratedSelector(obj, old), ...validateJobSpec(spec, oldTemplate, 'spec', opts)];
  // The controller names an indexed job's pods `<job>-<index>`, and pod hostnames must be DNS labels.
  if (spec.completionMode === 'Indexed' && spec.completions != null && spec.completions > 0) {
    const hostname = `${obj.metadata?.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length) {
      errors.push(invalid('metadata.name', obj.metadata?.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  // Upstream's update runs ValidateJob and then ValidateJobUpdate, which checks the spec again: every spec error
  // is reported twice (the message names it once).
  if (old) errors.push(...validateJobSpec(spec, oldTemplate, 'spec', opts), ...validateJobSpecUpdate(obj, old));
  return errors;
}

/** Upstream's validateScheduleFormat: the parser's error, and TZ in the schedule (kept only by old CronJobs). */
function validateSchedule(schedule: string, allowTZ: boolean, timeZone: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const problem = cronScheduleError(schedule);
  if (problem) errors.push(invalid('spec.schedule', schedule, problem));
  if (schedule.includes('TZ')) {
    if (!allowTZ) errors.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone != null) errors.push(invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errors;
}

/** Upstream's ValidateJobTemplateSpec: the job spec's own checks; the selector is always generated. */
function validateJobTemplate(t: JobTemplateSpec | undefined, old: JobTemplateSpec | undefined, path: string, opts: ValidationOptions): FieldError[] {
  const spec = t?.spec ?? ({} as JobSpec);
  const errors = validateJobSpecCommon(spec, old?.spec?.template, `${path}.spec`, opts);
  if (spec.selector) errors.push(invalid(`${path}.spec.selector`, goPointee(goLabelSelector, spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errors.push(notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errors;
}

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

/** Upstream's ValidateCronJobCreate and, with `old`, ValidateCronJobUpdate (less the metadata checks). */
export function validate_CronJob(obj: CronJob, old: CronJob | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<CronJob['spec']>);
  const oldSpec = old?.spec;
  const errors: FieldError[] = [];
  if (!spec.schedule) errors.push(required('spec.schedule', ''));
  else errors.push(...validateSchedule(spec.schedule, (oldSpec?.schedule ?? '').includes('TZ'), spec.timeZone));
  errors.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  // A time zone is checked when it is set or changed, so that one the zone database has since dropped stays.
  if (spec.timeZone != null && (!old || oldSpec?.timeZone !== spec.timeZone)) {
    for (const detail of timeZoneErrors(spec.timeZone)) errors.push(invalid('spec.timeZone', spec.timeZone, detail));
  }
  const policy: string = spec.concurrencyPolicy ?? '';
  if (policy === '') errors.push(required('spec.concurrencyPolicy', ''));
  else if (!concurrencyPolicies.includes(policy)) errors.push(notSupported('spec.concurrencyPolicy', policy, concurrencyPolicies));
  errors.push(...validateJobTemplate(spec.jobTemplate, oldSpec?.jobTemplate, 'spec.jobTemplate', opts));
  errors.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errors.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  // The controller names jobs `<cronjob>-<11-character timestamp>`, and job names are at most 63 characters; old
  // CronJobs with longer names may still be updated.
  if (!old && (obj.metadata?.name ?? '').length > 52) errors.push(invalid('metadata.name', obj.metadata?.name ?? '', 'must be no more than 52 characters'));
  return errors;
}
