/** The flag of API Priority and Fairness, with upstream's name and default. */
import type { Command } from 'commander';
import { bool, type ParsedFlags } from '../server/flag-parsers.ts';

export interface FlowControlOptions {
  /** --enable-priority-and-fairness: APF instead of the max-in-flight filter. */
  enabled: boolean;
}

export function addFlowControlFlags(program: Command): Command {
  return program.option(
    '--enable-priority-and-fairness <bool>',
    'if true, replace the max-in-flight handler with an enhanced one that queues and dispatches with priority and fairness',
    bool,
    true,
  );
}

export function flowControlOptions(o: ParsedFlags): { flowControl: FlowControlOptions } {
  return { flowControl: { enabled: o.enablePriorityAndFairness !== false } };
}
