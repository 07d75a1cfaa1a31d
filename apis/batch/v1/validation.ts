import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, goLabelSelector, goStringMap, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validate_PodTemplateSpec } from '../../core/v1/validation.ts';
import type { LabelSelector } from '../../meta/v1/types.ts';
import { nonNegative, selectorMatches, validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { CronJob, JobTemplateSpec } from './cronjob.ts';
import type { Job, JobSpec } from './job.ts';
import { isDNS1123Label } from '../../../runtime/machinery/string-checks.ts';

const maxIndexedJobSize = 100000;
const controllerUidLabel = 'batch.kubernetes.io/controller-uid';

/** The checks of a job spec shared by Jobs and CronJob job templates (upstream's validateJobSpec). */
function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    errors.push(...nonNegative(spec[key], `${path}.${key}`));
  }
  if (spec.backoffLimitPerIndex != null) {
    errors.push(...nonNegative(spec.backoffLimitPerIndex, `${path}.backoffLimitPerIndex`));
    if (spec.completionMode !== 'Indexed') errors.push(forbidden(`${path}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes != null) {
    errors.push(...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (spec.backoffLimitPerIndex == null) errors.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    errors.push(notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed') {
    if (spec.completions == null) errors.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    if ((spec.parallelism ?? 0) > maxIndexedJobSize) {
      errors.push(invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${maxIndexedJobSize} when completion mode is Indexed`));
    }
  }
  if (spec.successPolicy && spec.completionMode !== 'Indexed') {
    errors.push(invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
  }
  if (spec.template) errors.push(...validate_PodTemplateSpec(spec.template, undefined, `${path}.template`));
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errors.push(notSupported(`${path}.template.spec.restartPolicy`, restartPolicy ?? '', ['OnFailure', 'Never']));
  }
  if (spec.podFailurePolicy) {
    if (restartPolicy !== 'Never') {
      errors.push(invalid(`${path}.template.spec.restartPolicy`, restartPolicy ?? '', 'only "Never" is supported when podFailurePolicy is specified'));
    }
    (spec.podFailurePolicy.rules ?? []).forEach((rule, i) => {
      const at = `${path}.podFailurePolicy.rules[${i}]`;
      const hasExit = rule.onExitCodes != null;
      const hasConditions = rule.onPodConditions != null;
      if (hasExit && hasConditions) errors.push(invalid(at, '', 'specifying both OnExitCodes and OnPodConditions is not supported'));
      else if (!hasExit && !hasConditions) errors.push(invalid(at, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
      if (rule.onExitCodes) {
        const values = rule.onExitCodes.values ?? [];
        if (values.length === 0) errors.push(required(`${at}.onExitCodes.values`, 'at least one value is required'));
        if (rule.onExitCodes.operator === 'In' && values.includes(0)) {
          errors.push(invalid(`${at}.onExitCodes.values[${values.indexOf(0)}]`, 0, 'must not be 0 for the In operator'));
        }
      }
    });
  }
  return errors;
}

function validateSelectorMatchesTemplate(spec: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec.selector) return [required(`${path}.selector`, '')];
  errors.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  if (selectorMatches(spec.selector, spec.template?.metadata?.labels) === false) {
    errors.push(invalid(`${path}.template.metadata.labels`, goStringMap(spec.template?.metadata?.labels), '`selector` does not match template `labels`'));
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
  return labels[key] === expected ? [] : [invalid(at, goStringMap(labels), `must be '${expected}'`)];
}

/**
 * Without manualSelector the Job strategy generated the selector and labels; whatever the client sent must agree
 * with them (upstream's validateGeneratedSelector). Jobs stored before the batch.kubernetes.io/ labels existed
 * are held only to the legacy ones.
 */
function validateGeneratedSelector(obj: Job, old?: Job): FieldError[] {
  const spec = obj.spec ?? ({} as JobSpec);
  if (spec.manualSelector === true) return [];
  const uid = obj.metadata?.uid ?? '';
  const name = obj.metadata?.name ?? '';
  const labels = spec.template?.metadata?.labels;
  const oldLabels = old?.spec?.template?.metadata?.labels;
  const prefixed = !old || (oldLabels !== undefined && 'batch.kubernetes.io/job-name' in oldLabels && controllerUidLabel in oldLabels);
  const errors = [...hasLabel(labels, 'controller-uid', uid), ...hasLabel(labels, 'job-name', name)];
  if (prefixed) errors.push(...hasLabel(labels, controllerUidLabel, uid), ...hasLabel(labels, 'batch.kubernetes.io/job-name', name));
  if (!spec.selector) return [...errors, required('spec.selector', '')];
  const expected: Record<string, string> = prefixed ? { [controllerUidLabel]: uid } : { 'controller-uid': uid };
  const matches = selectorMatches(spec.selector, expected);
  if (matches === undefined) errors.push(invalid('spec.selector', goLabelSelector(spec.selector), 'invalid label selector.'));
  else if (!matches) errors.push(invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errors;
}

export function validate_Job(obj: Job, old?: Job): FieldError[] {
  const spec = obj.spec ?? ({} as JobSpec);
  const errors: FieldError[] = validateGeneratedSelector(obj, old);
  // The controller names an indexed job's pods `<job>-<index>`, and pod hostnames must be DNS labels.
  if (spec.completionMode === 'Indexed' && (spec.completions ?? 0) > 0) {
    const hostname = `${obj.metadata?.name ?? ''}-${spec.completions! - 1}`;
    if (isDNS1123Label(hostname).length) {
      errors.push(invalid('metadata.name', obj.metadata?.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  errors.push(...validateSelectorMatchesTemplate(spec, 'spec'));
  errors.push(...validateJobSpecCommon(spec, 'spec'));
  // What a status writer (the job controller) reports: counts are never negative (upstream's validateJobStatus).
  for (const key of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) errors.push(...nonNegative(obj.status?.[key], `status.${key}`));
  if (old) {
    const o = old.spec ?? ({} as JobSpec);
    if (changed(spec.selector, o.selector)) errors.push(invalid('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
    if (changed(spec.completionMode, o.completionMode)) errors.push(invalid('spec.completionMode', spec.completionMode ?? null, 'field is immutable'));
    if (changed(spec.podFailurePolicy, o.podFailurePolicy)) errors.push(invalid('spec.podFailurePolicy', spec.podFailurePolicy ?? null, 'field is immutable'));
    if (changed(spec.backoffLimitPerIndex, o.backoffLimitPerIndex)) errors.push(invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex ?? null, 'field is immutable'));
    if (changed(spec.managedBy, o.managedBy)) errors.push(invalid('spec.managedBy', spec.managedBy ?? null, 'field is immutable'));
    if (changed(spec.successPolicy, o.successPolicy)) errors.push(invalid('spec.successPolicy', spec.successPolicy ?? null, 'field is immutable'));
    if (changed(spec.completions, o.completions)) {
      // Indexed jobs may scale completions together with parallelism (ElasticIndexedJob, on in v1.32).
      if (spec.completionMode !== 'Indexed') errors.push(invalid('spec.completions', spec.completions ?? null, 'field is immutable'));
      else if (spec.completions != null && spec.completions !== spec.parallelism) {
        errors.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
      }
    }
    if (changed(spec.template, mutableTemplateView(spec.template, o.template, o.suspend === true && !old.status?.startTime))) {
      errors.push(invalid('spec.template', spec.template ?? null, 'field is immutable'));
    }
  }
  return errors;
}

// Cron schedules, as robfig/cron's standard parser (minute hour day-of-month month day-of-week, or a descriptor).
const cronFields: Array<{ min: number; max: number; names?: Record<string, number> }> = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } },
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];
const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function cronValue(text: string, f: (typeof cronFields)[number]): number {
  const named = f.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

/** An error message for a bad schedule, or undefined when it parses. */
function cronScheduleError(schedule: string): string | undefined {
  let s = schedule.trim();
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) s = s.slice(s.indexOf(' ') + 1).trim();
  if (s.startsWith('@')) {
    if (descriptors.has(s)) return undefined;
    if (s.startsWith('@every ')) return /^\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h)(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))*$/.test(s.slice(7).trim()) ? undefined : `failed to parse duration ${s}`;
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    fields.forEach((field, i) => {
      const f = cronFields[i];
      for (const part of field.split(',')) {
        const [range, stepText] = part.split('/');
        if (stepText !== undefined && !/^\d+$/.test(stepText)) throw new Error(`failed to parse int from ${stepText}: strconv.Atoi: parsing "${stepText}": invalid syntax`);
        if (range === '*' || range === '?') continue;
        const [lowText, highText] = range.split('-');
        const low = cronValue(lowText, f);
        const high = highText === undefined ? low : cronValue(highText, f);
        if (low < f.min) throw new Error(`beginning of range (${low}) below minimum (${f.min}): ${part}`);
        if (high > f.max) throw new Error(`end of range (${high}) above maximum (${f.max}): ${part}`);
        if (low > high) throw new Error(`beginning of range (${low}) beyond end of range (${high}): ${part}`);
        if (stepText !== undefined && Number(stepText) === 0) throw new Error(`step of range should be a positive number: ${part}`);
      }
    });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function timeZoneError(tz: string): string | undefined {
  if (tz.toLowerCase() === 'local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return undefined;
  } catch {
    return `unknown time zone ${tz}`;
  }
}

function validateJobTemplate(t: JobTemplateSpec | undefined, path: string): FieldError[] {
  const spec = t?.spec ?? ({} as JobSpec);
  const errors = validateJobSpecCommon(spec, `${path}.spec`);
  if (spec.selector) errors.push(invalid(`${path}.spec.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errors.push(notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errors;
}

export function validate_CronJob(obj: CronJob, old?: CronJob): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<CronJob['spec']>);
  const errors: FieldError[] = [];
  // The controller names jobs `<cronjob>-<11-character timestamp>`, and job names are at most 63 characters.
  if (!old && (obj.metadata?.name ?? '').length > 52) errors.push(invalid('metadata.name', obj.metadata?.name, 'must be no more than 52 characters'));
  if (!spec.schedule) errors.push(required('spec.schedule', ''));
  else {
    const problem = cronScheduleError(spec.schedule);
    if (problem) errors.push(invalid('spec.schedule', spec.schedule, problem));
    if (spec.schedule.includes('TZ')) {
      errors.push(
        invalid('spec.schedule', spec.schedule, spec.timeZone != null ? 'cannot use both timeZone field and TZ or CRON_TZ in schedule' : 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
      );
    }
  }
  errors.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!spec.concurrencyPolicy) errors.push(required('spec.concurrencyPolicy', ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) {
    errors.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  }
  errors.push(...validateJobTemplate(spec.jobTemplate, 'spec.jobTemplate'));
  errors.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errors.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  if (spec.timeZone != null) {
    const problem = timeZoneError(spec.timeZone);
    if (problem) errors.push(invalid('spec.timeZone', spec.timeZone, problem));
  }
  return errors;
}
