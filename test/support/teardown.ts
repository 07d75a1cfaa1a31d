/**
 * Teardown that runs whatever a test's outcome: a failed assertion or a start-up that throws midway must not leave
 * servers, etcd or child processes behind (they keep the test process alive, so the run hangs, and they hold ports).
 * The start helpers (startServer, startEtcd, startWebhookServer...) take a `t` and register their own stop with it.
 */
import { after } from 'node:test';

/** What a start helper registers its stop with: a test's context (`t.after` runs after the test, failed or not). */
export interface Teardown {
  after(fn: () => unknown): void;
}

/**
 * For what a suite starts in its `before` (whose hook has no test context): a Teardown whose stops run in the
 * suite's `after`, last started first, every one even when one fails. Call it in the describe (or at a file's top
 * level). Each start registers itself as it succeeds, so a `before` that fails half way stops what it did start.
 */
export function suiteTeardown(): Teardown {
  const stops: Array<() => unknown> = [];
  after(() => runStops(stops));
  return { after: (fn) => void stops.push(fn) };
}

/**
 * Registers `stop` with `t` so that the stops of one test run last registered first (node:test runs a context's
 * `after` hooks in the order added): a server is stopped before the etcd it stores in, which was started before it.
 */
const stacks = new WeakMap<Teardown, Array<() => unknown>>();
export function stopAfter(t: Teardown | undefined, stop: () => unknown): void {
  if (!t) return;
  let stack = stacks.get(t);
  if (!stack) {
    const stops: Array<() => unknown> = [];
    stacks.set(t, (stack = stops));
    t.after(() => runStops(stops));
  }
  stack.push(stop);
}

/** Runs the stops registered so far, last registered first, every one even when one fails; then throws the first failure. */
async function runStops(stops: Array<() => unknown>): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
