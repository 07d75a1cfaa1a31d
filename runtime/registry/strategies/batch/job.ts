/** The Job strategy: upstream's pkg/registry/batch/job. */
import { validateJobStatusUpdate } from '../../../../apis/batch/v1/validation-status.ts';
import type { Job } from '../../../../apis/batch/v1/job.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import type { DeleteOptions, GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podNameWarnings } from '../apps/pod-name-warning.ts';
import { podWarnings } from '../core/pod-warnings.ts';

const jobOrphanWarning = 'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning';

/** The labels a Job's pods get so that they match this job only (batch.kubernetes.io/* and their legacy names). */
const jobNameLabels = ['job-name', 'batch.kubernetes.io/job-name'];
const controllerUidLabels = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';

/**
 * Jobs: unless manualSelector is true, create labels the pod template with the job's name and uid and selects on
 * the uid (labels the client set stay, for validation to refuse when they conflict). batch/v1 Jobs orphan their
 * pods by default (kept upstream for compatibility), and say so when a delete relies on it.
 */
class JobStrategy extends DefaultStrategy {
  override prepareForCreate(obj: StoredObject): void {
    if (obj.spec && obj.spec.manualSelector !== true) generateSelector(obj);
    super.prepareForCreate(obj);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...jobSpecWarnings(obj.spec, 'spec')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return obj.metadata?.generation !== old.metadata?.generation ? jobSpecWarnings(obj.spec, 'spec') : [];
  }
  /** A /status write: upstream's ValidateJobUpdateStatus (the spec is the stored one, and not checked again). */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateJobStatusUpdate(obj as Job, old as Job)];
  }
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }
  warningsOnDelete(opts: DeleteOptions): string[] {
    return opts.propagationPolicy === undefined && opts.orphanDependents === undefined && this.garbageCollectionPolicy() === 'OrphanDependents' ? [jobOrphanWarning] : [];
  }
}

/** Upstream's WarningsForJobSpec: huge indexed jobs, and the pod template's warnings. */
export function jobSpecWarnings(spec: StoredObject | undefined, path: string): string[] {
  const out: string[] = [];
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > 100_000 && (spec.parallelism ?? 0) > 10_000) {
    out.push(`${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`);
  }
  return [...out, ...podWarnings(spec?.template, `${path}.template.`)];
}

/**
 * Upstream's generateSelector. An unlabelled job shows its template's labels (defaulting aliases the two maps
 * upstream, so the generated labels land on the job too).
 */
function generateSelector(job: StoredObject): void {
  const meta = job.metadata;
  const template = (job.spec.template ??= {});
  template.metadata ??= {};
  const unlabelled = Object.keys(meta.labels ?? {}).length === 0;
  const labels: Record<string, string> = (template.metadata.labels ??= {});
  for (const key of jobNameLabels) if (!(key in labels)) labels[key] = meta.name ?? '';
  for (const key of controllerUidLabels) if (!(key in labels)) labels[key] = meta.uid ?? '';
  const selector = (job.spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  if (!(controllerUidLabel in matchLabels)) matchLabels[controllerUidLabel] = meta.uid ?? '';
  if (unlabelled) meta.labels = { ...labels };
}

registerStrategy('batch', 'Job', (kind, schema, config) => new JobStrategy(kind, schema, config));
