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
 * Unless manualSelector is set, labels the pod template with the job's name and uid and selects on the uid (what
 * upstream's Job strategy does on create; it needs the uid, so it only happens once the server has assigned one).
 * Then copies the template's labels to an unlabelled job. Upstream copies first but defaults again whenever the
 * stored job is read, so what clients see is the job labelled with the generated labels, as here.
 */
export function setDefaults_Job(obj: Job): void {
  const spec = obj.spec;
  if (!spec) return;
  defaultJobSpec(spec);
  obj.metadata ??= {};
  const uid = obj.metadata.uid;
  if (spec.manualSelector !== true && uid && !spec.selector) {
    spec.template ??= {};
    spec.template.metadata ??= {};
    const labels = (spec.template.metadata.labels ??= {});
    const name = obj.metadata.name ?? '';
    for (const key of ['job-name', 'batch.kubernetes.io/job-name']) labels[key] ??= name;
    for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[key] ??= uid;
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  }
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
}

export function setDefaults_CronJob(obj: CronJob): void {
  const spec = obj.spec;
  if (!spec) return;
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (spec.suspend == null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit == null) spec.successfulJobsHistoryLimit = 3;
  if (spec.failedJobsHistoryLimit == null) spec.failedJobsHistoryLimit = 1;
}
