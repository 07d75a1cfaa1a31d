/** kube-controller-manager's garbage collector flags, with its defaults. */
import type { Command } from 'commander';
import { bool, int, type ParsedFlags } from '../../server/flag-parsers.ts';

export const controllerName = 'garbage-collector-controller';

export interface GarbageCollectorFlags {
  /** --enable-garbage-collector (false: the controller does not run, whatever --controllers says). */
  enabled: boolean;
  /** --concurrent-gc-syncs: workers per queue. */
  workers: number;
}

export function addGarbageCollectorFlags(program: Command): Command {
  return program
    .option('--enable-garbage-collector [bool]', 'run the garbage collector (must match the apiserver\'s; false when a kube-controller-manager collects)', bool, true)
    .option('--concurrent-gc-syncs <n>', 'number of garbage collector workers allowed to sync concurrently', int, 20);
}

export function garbageCollectorFlags(o: ParsedFlags, errors: string[]): GarbageCollectorFlags {
  if (o.concurrentGcSyncs < 1) errors.push('--concurrent-gc-syncs must be at least 1');
  return { enabled: o.enableGarbageCollector !== false, workers: o.concurrentGcSyncs };
}
