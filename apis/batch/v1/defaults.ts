import type { CronJob } from './cronjob.ts';
import type { Job, JobSpec } from './job.ts';

const maxInt32 = 2147483647;

/** The spec defaults of a Job (upstream applies them to Jobs only, not to CronJob job templates). */
function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism == null) spec.parallelism = 1;
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex != null ? maxInt32 : 6;
  if (!spec.completionMode) spec.completionMode = 'NonIndexed';
  if (spec.suspend == null) spec.suspend = false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
  }
  if (!spec.podReplacementPolicy) spec.podReplacementPolicy = spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
}

/**
 * Job defaults, as upstream's SetDefaults_Job: manualSelector false, and an unlabelled job takes its template's
 * labels (the selector and labels generated from the job's uid come from the Job strategy, at create).
 */
export function setDefaults_Job(obj: Job): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  defaultJobSpec(spec);
  if (spec.manualSelector == null) spec.manualSelector = false;
  obj.metadata ??= {};
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
}

export function setDefaults_CronJob(obj: CronJob): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (spec.suspend == null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit == null) spec.successfulJobsHistoryLimit = 3;
  if (spec.failedJobsHistoryLimit == null) spec.failedJobsHistoryLimit = 1;
}
