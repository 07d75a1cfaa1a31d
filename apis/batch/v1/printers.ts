/** Computed `kubectl get` columns of batch/v1 kinds, as upstream's printers show them. */
import { ageCell } from '../../../runtime/endpoints/table.ts';
import { containerImages, containerNames, formatLabelSelector } from '../../meta/v1/printer-helpers.ts';
import type { CronJob } from './cronjob.ts';
import type { Job } from './job.ts';

export function print_Job_status(obj: Job): string {
  const conditions = obj.status?.conditions ?? [];
  const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

/** Succeeded out of wanted completions, e.g. 1/1 (or 2/1 of 3 with parallelism). */
export function print_Job_completions(obj: Job): string {
  const succeeded = obj.status?.succeeded ?? 0;
  if (obj.spec?.completions !== undefined && obj.spec.completions !== null) return `${succeeded}/${obj.spec.completions}`;
  const parallelism = obj.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From start to completion (or to now while running), as a short duration. */
export function print_Job_duration(obj: Job): string {
  const start = obj.status?.startTime ? Date.parse(obj.status.startTime) : undefined;
  if (start === undefined) return '';
  const end = obj.status?.completionTime ? Date.parse(obj.status.completionTime) : Date.now();
  const s = Math.max(0, Math.round((end - start) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}` : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

export function print_Job_containers(obj: Partial<Job>): string {
  return containerNames(obj.spec?.template?.spec);
}

export function print_Job_images(obj: Partial<Job>): string {
  return containerImages(obj.spec?.template?.spec);
}

export function print_Job_selector(obj: Partial<Job>): string {
  return formatLabelSelector(obj.spec?.selector);
}

export function print_CronJob_timeZone(obj: Partial<CronJob>): string {
  return obj.spec?.timeZone ?? '<none>';
}

/** printBoolPtr: `True`/`False` (a string in a boolean column, as upstream), `<unset>` without a value. */
export function print_CronJob_suspend(obj: Partial<CronJob>): string {
  const v = obj.spec?.suspend;
  return v === undefined || v === null ? '<unset>' : v ? 'True' : 'False';
}

/** How long ago the last job was scheduled, `<none>` before the first. */
export function print_CronJob_lastSchedule(obj: Partial<CronJob>): string {
  const t = obj.status?.lastScheduleTime;
  return t ? ageCell(t, new Date()) : '<none>';
}

export function print_CronJob_containers(obj: Partial<CronJob>): string {
  return containerNames(obj.spec?.jobTemplate?.spec?.template?.spec);
}

export function print_CronJob_images(obj: Partial<CronJob>): string {
  return containerImages(obj.spec?.jobTemplate?.spec?.template?.spec);
}

export function print_CronJob_selector(obj: Partial<CronJob>): string {
  return formatLabelSelector(obj.spec?.jobTemplate?.spec?.selector);
}
