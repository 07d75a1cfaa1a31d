import type { ObjectReference } from '../../core/v1/serviceaccount.ts';
import type { int32, int64, ObjectMeta, Time } from '../../meta/v1/types.ts';
import type { JobSpec } from './job.ts';

/**
 * CronJob creates Jobs on a repeating schedule written in cron syntax.
 * @resource cronjobs
 * @metadataOnUpdate update
 * @shortNames cj
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Schedule string .spec.schedule
 * @printColumn Timezone string timeZone() The time zone the schedule is read in; <none> for the controller's local
 *   zone.
 * @printColumn Suspend boolean suspend() Whether new runs are held back.
 * @printColumn Active integer .status.active
 * @printColumn "Last Schedule" string lastSchedule() How long ago a job was last scheduled.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Containers string containers() 1 The names of the containers in the pod template.
 * @printColumn Images string images() 1 The images the containers of the pod template run.
 * @printColumn Selector string selector() 1 The label selector that picks the pods the object manages.
 */
export interface CronJob {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Schedule and job template.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: CronJobSpec;
  /**
   * Most recently observed state.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: CronJobStatus;
}

/** Schedule and job template of a CronJob. */
export interface CronJobSpec {
  /**
   * When to run, in cron format, e.g. "0 * * * *" or "@hourly".
   * @protobuf 1
   * @alwaysWritten
   */
  schedule: string;
  /**
   * IANA time zone the schedule is read in, e.g. Europe/Berlin; absent means the controller's local time zone.
   * @protobuf 8
   * @pointer
   */
  timeZone?: string;
  /**
   * Seconds after a missed scheduled time during which the job may still be started late.
   * @protobuf 2
   * @pointer
   */
  startingDeadlineSeconds?: int64;
  /**
   * What to do when a run is due while the previous one is still going: Allow (the default), Forbid (skip the
   * new run) or Replace (stop the old run).
   * @protobuf 3
   */
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /**
   * When true, no new runs start; running ones continue. Defaults to false.
   * @protobuf 4
   * @pointer
   */
  suspend?: boolean;
  /**
   * The job created for each run.
   * @protobuf 5
   * @alwaysWritten
   */
  jobTemplate: JobTemplateSpec;
  /**
   * How many finished successful jobs to keep. Defaults to 3.
   * @protobuf 6
   * @pointer
   */
  successfulJobsHistoryLimit?: int32;
  /**
   * How many finished failed jobs to keep. Defaults to 1.
   * @protobuf 7
   * @pointer
   */
  failedJobsHistoryLimit?: int32;
}

/** The metadata and spec of jobs a CronJob creates. */
export interface JobTemplateSpec {
  /**
   * Metadata given to created jobs.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Spec of created jobs.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: JobSpec;
}

/** Observed state of a CronJob. */
export interface CronJobStatus {
  /**
   * The jobs currently running.
   * @protobuf 1
   * @listType atomic
   */
  active?: ObjectReference[];
  /**
   * When a job was last started.
   * @protobuf 4
   */
  lastScheduleTime?: Time;
  /**
   * When a job last completed successfully.
   * @protobuf 5
   */
  lastSuccessfulTime?: Time;
}
