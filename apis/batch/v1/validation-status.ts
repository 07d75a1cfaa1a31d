/**
 * What a write through a Job's /status may report (kubernetes v1.32 pkg/apis/batch/validation's validateJobStatus
 * and ValidateJobStatusUpdate, with the options pkg/registry/batch/job's status strategy picks). Most rules apply
 * only when the fields they speak of change, so that a controller can go on writing a status that an older
 * server let through.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, GoValue, invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { goTimeString, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { nonNegative } from '../../meta/v1/validation-helpers.ts';
import type { Job, JobCondition } from './job.ts';
import { failedOverlapsCompleted, parseIndexes } from './validation-policies.ts';
import { goUncountedTerminatedPods } from './go-internal.ts';

/** Which of upstream's optional status rules apply to one write. */
interface JobStatusRules {
  rejectDecreasingSucceededCounter: boolean;
  rejectDecreasingFailedCounter: boolean;
  rejectDisablingTerminalCondition: boolean;
  rejectInvalidCompletedIndexes: boolean;
  rejectInvalidFailedIndexes: boolean;
  rejectFailedIndexesOverlappingCompleted: boolean;
  rejectCompletedIndexesForNonIndexedJob: boolean;
  rejectFailedIndexesForNoBackoffLimitPerIndex: boolean;
  rejectFailedJobWithoutFailureTarget: boolean;
  rejectCompleteJobWithoutSuccessCriteriaMet: boolean;
  rejectFinishedJobWithActivePods: boolean;
  rejectFinishedJobWithoutStartTime: boolean;
  rejectFinishedJobWithUncountedTerminatedPods: boolean;
  rejectStartTimeUpdateForUnsuspendedJob: boolean;
  rejectCompletionTimeBeforeStartTime: boolean;
  rejectMutatingCompletionTime: boolean;
  rejectCompleteJobWithoutCompletionTime: boolean;
  rejectNotCompleteJobWithCompletionTime: boolean;
  rejectCompleteJobWithFailedCondition: boolean;
  rejectCompleteJobWithFailureTargetCondition: boolean;
  allowForSuccessCriteriaMetInExtendedScope: boolean;
  rejectMoreReadyThanActivePods: boolean;
  rejectFinishedJobWithTerminatingPods: boolean;
}

function conditionTrue(conditions: JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c?.type === type && c.status === 'True');
}

const isComplete = (job: Job) => conditionTrue(job.status?.conditions, 'Complete');
const isFailed = (job: Job) => conditionTrue(job.status?.conditions, 'Failed');
const isFinished = (job: Job) => isComplete(job) || isFailed(job);
const isFailureTarget = (job: Job) => conditionTrue(job.status?.conditions, 'FailureTarget');
const isSuccessCriteriaMet = (job: Job) => conditionTrue(job.status?.conditions, 'SuccessCriteriaMet');
const isIndexed = (job: Job) => job.spec?.completionMode === 'Indexed';

/**
 * The rules of a status write from `old` to `job`, as upstream's status strategy chooses them with JobManagedBy
 * on (beta, on by default in v1.32): most apply only when the fields they check change in this write, so a status
 * that already broke a rule may be written again unchanged. The FailureTarget, SuccessCriteriaMet, ready and
 * terminating rules came with v1.31 and, in v1.32, apply only under JobManagedBy, like the others.
 */
export function jobStatusRules(job: Job, old: Job): JobStatusRules {
  const s = job.status ?? {};
  const o = old.status ?? {};
  const finishedChanged = isFinished(old) !== isFinished(job);
  const completeChanged = isComplete(old) !== isComplete(job);
  const failedChanged = isFailed(old) !== isFailed(job);
  const failureTargetChanged = isFailureTarget(old) !== isFailureTarget(job);
  const successCriteriaMetChanged = isSuccessCriteriaMet(old) !== isSuccessCriteriaMet(job);
  const completedIndexesChanged = (o.completedIndexes ?? '') !== (s.completedIndexes ?? '');
  const failedIndexesChanged = (o.failedIndexes ?? null) !== (s.failedIndexes ?? null);
  const activeChanged = (o.active ?? 0) !== (s.active ?? 0);
  const readyChanged = (o.ready ?? null) !== (s.ready ?? null);
  const terminatingChanged = (o.terminating ?? null) !== (s.terminating ?? null);
  const startTimeChanged = !sameTime(o.startTime, s.startTime);
  const completionTimeChanged = !sameTime(o.completionTime, s.completionTime);
  const uncountedChanged = !semanticEqual(o.uncountedTerminatedPods, s.uncountedTerminatedPods);
  return {
    // Indexed jobs whose completions follow their parallelism may be scaled down, and lose succeeded pods.
    rejectDecreasingSucceededCounter: !isIndexed(job) || (job.spec?.completions ?? null) !== (job.spec?.parallelism ?? null),
    rejectDecreasingFailedCounter: true,
    rejectDisablingTerminalCondition: true,
    rejectInvalidCompletedIndexes: completedIndexesChanged,
    rejectInvalidFailedIndexes: failedIndexesChanged,
    rejectCompletedIndexesForNonIndexedJob: completedIndexesChanged,
    rejectFailedIndexesForNoBackoffLimitPerIndex: failedIndexesChanged,
    rejectFailedIndexesOverlappingCompleted: failedIndexesChanged || completedIndexesChanged,
    rejectFailedJobWithoutFailureTarget: failedChanged || failedIndexesChanged,
    rejectCompleteJobWithoutSuccessCriteriaMet: completeChanged || successCriteriaMetChanged,
    rejectFinishedJobWithActivePods: finishedChanged || activeChanged,
    rejectFinishedJobWithoutStartTime: finishedChanged || startTimeChanged,
    rejectFinishedJobWithUncountedTerminatedPods: finishedChanged || uncountedChanged,
    rejectStartTimeUpdateForUnsuspendedJob: startTimeChanged,
    rejectCompletionTimeBeforeStartTime: startTimeChanged || completionTimeChanged,
    rejectMutatingCompletionTime: true,
    rejectNotCompleteJobWithCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteJobWithoutCompletionTime: completeChanged || completionTimeChanged,
    rejectCompleteJobWithFailedCondition: completeChanged || failedChanged,
    rejectCompleteJobWithFailureTargetCondition: completeChanged || failureTargetChanged,
    allowForSuccessCriteriaMetInExtendedScope: true,
    rejectMoreReadyThanActivePods: readyChanged || activeChanged,
    rejectFinishedJobWithTerminatingPods: finishedChanged || terminatingChanged,
  };
}

function timeValue(t: string | undefined | null): number | undefined {
  if (t == null) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function sameTime(a: string | undefined | null, b: string | undefined | null): boolean {
  if (a == null || b == null) return a == null && b == null;
  return timeValue(a) === timeValue(b);
}

/** A *metav1.Time's bad value: its String(), `"null"` when unset. */
function goTime(t: string | undefined | null): GoValue | null {
  return timeValue(t) === undefined ? null : new GoValue(goTimeString(t));
}

/** Upstream's validateJobStatus. */
export function validateJobStatus(job: Job, rules: JobStatusRules): FieldError[] {
  const errors: FieldError[] = [];
  const s = job.status ?? {};
  const spec = job.spec;
  for (const key of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) errors.push(...nonNegative(s[key], `status.${key}`));
  if (s.uncountedTerminatedPods) {
    const seen = new Set<string>();
    for (const which of ['succeeded', 'failed'] as const) {
      (s.uncountedTerminatedPods[which] ?? []).forEach((uid, i) => {
        const at = `status.uncountedTerminatedPods.${which}[${i}]`;
        if (uid === '') errors.push(invalid(at, uid, 'must not be empty'));
        else if (seen.has(uid)) errors.push(duplicate(at, uid));
        else seen.add(uid);
      });
    }
  }
  const complete = isComplete(job);
  const failed = isFailed(job);
  const finished = complete || failed;
  const successCriteriaMet = isSuccessCriteriaMet(job);
  const conditions = (detail: string) => invalid('status.conditions', undefined, detail);
  if (rules.rejectCompleteJobWithFailedCondition && complete && failed) errors.push(conditions('cannot set Complete=True and Failed=true conditions'));
  if (rules.rejectCompleteJobWithFailureTargetCondition && complete && isFailureTarget(job)) errors.push(conditions('cannot set Complete=True and FailureTarget=true conditions'));
  if (rules.rejectNotCompleteJobWithCompletionTime && s.completionTime != null && !complete) {
    errors.push(invalid('status.completionTime', goTime(s.completionTime), 'cannot set completionTime when there is no Complete=True condition'));
  }
  if (rules.rejectCompleteJobWithoutCompletionTime && s.completionTime == null && complete) errors.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
  if (rules.rejectCompletionTimeBeforeStartTime && s.startTime != null && s.completionTime != null && timeValue(s.completionTime)! < timeValue(s.startTime)!) {
    errors.push(invalid('status.completionTime', goTime(s.completionTime), 'completionTime cannot be set before startTime'));
  }
  if (rules.rejectFailedJobWithoutFailureTarget && failed && !isFailureTarget(job)) errors.push(conditions('cannot set Failed=True condition without the FailureTarget=true condition'));
  if (rules.rejectCompleteJobWithoutSuccessCriteriaMet && complete && !successCriteriaMet) errors.push(conditions('cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  if (rules.rejectFinishedJobWithActivePods && (s.active ?? 0) > 0 && finished) errors.push(invalid('status.active', s.active, 'active>0 is invalid for finished job'));
  if (rules.rejectFinishedJobWithoutStartTime && s.startTime == null && finished) errors.push(required('status.startTime', 'startTime is required for finished job'));
  const uncounted = s.uncountedTerminatedPods;
  if (rules.rejectFinishedJobWithUncountedTerminatedPods && finished && uncounted && (uncounted.failed?.length ?? 0) + (uncounted.succeeded?.length ?? 0) > 0) {
    errors.push(invalid('status.uncountedTerminatedPods', goValue(goUncountedTerminatedPods, uncounted), 'uncountedTerminatedPods needs to be empty for finished job'));
  }
  const completions = spec?.completions;
  if (rules.rejectInvalidCompletedIndexes && completions != null) {
    const parsed = parseIndexes(s.completedIndexes ?? '', completions);
    if (typeof parsed === 'string') errors.push(invalid('status.completedIndexes', s.completedIndexes ?? '', `error parsing completedIndexes: ${parsed}`));
  }
  if (rules.rejectInvalidFailedIndexes && completions != null && spec?.backoffLimitPerIndex != null && s.failedIndexes != null) {
    const parsed = parseIndexes(s.failedIndexes, completions);
    if (typeof parsed === 'string') errors.push(invalid('status.failedIndexes', s.failedIndexes, `error parsing failedIndexes: ${parsed}`));
  }
  if (rules.rejectCompletedIndexesForNonIndexedJob && (s.completedIndexes ?? '') !== '' && !isIndexed(job)) {
    errors.push(invalid('status.completedIndexes', s.completedIndexes, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (rules.rejectFailedIndexesForNoBackoffLimitPerIndex && spec?.backoffLimitPerIndex == null && s.failedIndexes != null) {
    errors.push(invalid('status.failedIndexes', s.failedIndexes, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if (rules.rejectFailedIndexesOverlappingCompleted && completions != null && s.failedIndexes != null) {
    const overlap = failedOverlapsCompleted(s.completedIndexes ?? '', s.failedIndexes, completions);
    if (overlap) errors.push(invalid('status.failedIndexes', s.failedIndexes, overlap));
  }
  if (rules.rejectFinishedJobWithTerminatingPods && (s.terminating ?? 0) > 0 && finished) errors.push(invalid('status.terminating', s.terminating, 'terminating>0 is invalid for finished job'));
  if (rules.rejectMoreReadyThanActivePods && s.ready != null && s.ready > (s.active ?? 0)) errors.push(invalid('status.ready', s.ready, 'cannot set more ready pods than active'));
  if (!rules.allowForSuccessCriteriaMetInExtendedScope && !isIndexed(job) && successCriteriaMet) errors.push(conditions('cannot set SuccessCriteriaMet to NonIndexed Job'));
  if (successCriteriaMet && failed) errors.push(conditions('cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  if (successCriteriaMet && isFailureTarget(job)) errors.push(conditions('cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  if (!rules.allowForSuccessCriteriaMetInExtendedScope && spec?.successPolicy == null && successCriteriaMet) errors.push(conditions('cannot set SuccessCriteriaMet=True for Job without SuccessPolicy'));
  if (spec?.successPolicy != null && !successCriteriaMet && complete) errors.push(conditions('cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'));
  return errors;
}

/** Upstream's ValidateJobStatusUpdate (without the metadata checks, which the strategy adds). */
export function validateJobStatusUpdate(job: Job, old: Job, rules: JobStatusRules = jobStatusRules(job, old)): FieldError[] {
  const errors = validateJobStatus(job, rules);
  const s = job.status ?? {};
  const o = old.status ?? {};
  if (rules.rejectDisablingTerminalCondition) {
    for (const type of ['Failed', 'Complete', 'FailureTarget']) {
      if (conditionTrue(o.conditions, type) && !conditionTrue(s.conditions, type)) {
        errors.push(invalid('status.conditions', undefined, `cannot disable the terminal ${type}=True condition`));
      }
    }
  }
  if (rules.rejectDecreasingFailedCounter && (s.failed ?? 0) < (o.failed ?? 0)) errors.push(invalid('status.failed', s.failed ?? 0, 'cannot decrease the failed counter'));
  if (rules.rejectDecreasingSucceededCounter && (s.succeeded ?? 0) < (o.succeeded ?? 0)) errors.push(invalid('status.succeeded', s.succeeded ?? 0, 'cannot decrease the succeeded counter'));
  if (rules.rejectMutatingCompletionTime && s.completionTime != null && o.completionTime != null && !sameTime(s.completionTime, o.completionTime)) {
    errors.push(invalid('status.completionTime', goTime(s.completionTime), 'completionTime cannot be mutated'));
  }
  if (rules.rejectStartTimeUpdateForUnsuspendedJob && o.startTime != null && !sameTime(o.startTime, s.startTime) && job.spec?.suspend !== true) {
    errors.push(required('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  if (isSuccessCriteriaMet(old) && !isSuccessCriteriaMet(job)) errors.push(invalid('status.conditions', undefined, 'cannot disable the SuccessCriteriaMet=True condition'));
  if (isComplete(old) && !isSuccessCriteriaMet(old) && isSuccessCriteriaMet(job)) {
    errors.push(invalid('status.conditions', undefined, 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'));
  }
  return errors;
}
