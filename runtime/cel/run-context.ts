/**
 * The state of the evaluation in progress. CEL evaluation is synchronous, so one module-level slot is enough: the
 * evaluator sets it around a run, and library functions and the cost meter read it.
 */
export interface EvalRun {
  /** Cost spent so far by this evaluation. */
  cost: number;
  /** Cost at which the evaluation is cancelled. */
  limit: number;
  /** Set to stop the evaluation at the next function boundary (cost exceeded, an authorization to fetch). */
  interrupt?: Error;
}

let current: EvalRun | undefined;

export function currentRun(): EvalRun | undefined {
  return current;
}

export function withRun<T>(run: EvalRun, f: () => T): T {
  const saved = current;
  current = run;
  try {
    return f();
  } finally {
    current = saved;
  }
}

/** Thrown (and reported) when an evaluation goes over its cost limit. Message as cel-go's. */
export class CostLimitExceeded extends Error {
  constructor() {
    super('operation cancelled: actual cost limit exceeded');
  }
}

/** Adds cost to the running evaluation and interrupts it beyond its limit. */
export function charge(cost: number): void {
  const run = current;
  if (!run) return;
  run.cost += cost;
  if (run.cost > run.limit && !run.interrupt) run.interrupt = new CostLimitExceeded();
}
