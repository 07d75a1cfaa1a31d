import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podNameWarnings } from '../apps/pod-name-warning.ts';
import { jobSpecWarnings } from './job.ts';

/** CronJobs: the default spec/status rules, with upstream's warnings for names and job templates. */
class CronJobStrategy extends DefaultStrategy {
  /** A /status write is not validated upstream (cronJobStatusStrategy's ValidateUpdate answers no errors). */
  validateStatusUpdate(_obj: StoredObject, _old: StoredObject): FieldError[] {
    return [];
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...jobSpecWarnings(obj.spec?.jobTemplate?.spec, 'spec.jobTemplate.spec')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    const out = obj.metadata?.generation !== old.metadata?.generation ? jobSpecWarnings(obj.spec?.jobTemplate?.spec, 'spec.jobTemplate.spec') : [];
    if (String(obj.spec?.schedule ?? '').includes('TZ')) {
      out.push('cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details');
    }
    return out;
  }
}

registerStrategy('batch', 'CronJob', (kind, schema, config) => new CronJobStrategy(kind, schema, config));
