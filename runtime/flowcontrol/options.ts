/** The flag of API Priority and Fairness, upstream's name and default. */
import type { Command } from 'commander';

export interface FlowControlOptions {
  /** --enable-priority-and-fairness: APF instead of the max-in-flight filter. */
  enabled: boolean;
}

export function addFlowControlFlags(program: Command, parsers: { bool: (text: string) => boolean }): void {
  program.option(
    '--enable-priority-and-fairness <bool>',
    'if true, replace the max-in-flight handler with an enhanced one that queues and dispatches with priority and fairness',
    parsers.bool,
    true,
  );
}

export function flowControlOptions(o: Record<string, unknown>): FlowControlOptions {
  return { enabled: o.enablePriorityAndFairness !== false };
}
