/** kube-controller-manager's garbage collector flags, with its defaults. */
import type { Command } from 'commander';
import { bool, int, type ParsedFlags } from '../../server/flag-parsers.ts';

export const controllerName = 'garbage-collector-controller';

export interface GarbageCollectorFlags {
  /**
   * --enable-garbage-collector, kube-apiserver's and kube-controller-manager's flag in one: false, nothing collects,
   * so deletes add no `orphan`/`foregroundDeletion` finalizers and the controller does not run. To hand collection
   * to a kube-controller-manager, keep it true and turn the controller off (`--controllers=-garbage-collector-controller`).
   */
  enabled: boolean;
  /** --concurrent-gc-syncs: workers per queue. */
  workers: number;
}

export function addGarbageCollectorFlags(program: Command): Command {
  return program
    .option('--enable-garbage-collector [bool]', 'enable garbage collection: the collector and the orphan/foregroundDeletion finalizers deletes add (false: neither; to let a kube-controller-manager collect, keep true and use --controllers=-garbage-collector-controller)', bool, true)
    .option('--concurrent-gc-syncs <n>', 'number of garbage collector workers allowed to sync concurrently', int, 20);
}

export function garbageCollectorFlags(o: ParsedFlags, errors: string[]): GarbageCollectorFlags {
  if (o.concurrentGcSyncs < 1) errors.push('--concurrent-gc-syncs must be at least 1');
  return { enabled: o.enableGarbageCollector !== false, workers: o.concurrentGcSyncs };
}
