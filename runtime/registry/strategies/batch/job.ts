/** Strategy overrides for batch kinds whose deletion rules go beyond their generated registration. */
import type { DeleteOptions, GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

const jobOrphanWarning = 'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning';

/** batch/v1 Jobs orphan their pods by default (kept upstream for compatibility), and say so when a delete relies on it. */
class JobStrategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }
  warningsOnDelete(opts: DeleteOptions): string[] {
    return opts.propagationPolicy === undefined && opts.orphanDependents === undefined && this.garbageCollectionPolicy() === 'OrphanDependents' ? [jobOrphanWarning] : [];
  }
}

registerStrategy('batch', 'Job', (kind, schema, config) => new JobStrategy(kind, schema, config));
