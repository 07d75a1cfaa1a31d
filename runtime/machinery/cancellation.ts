/**
 * A request's cancellation, as the layers under its handler read it. Upstream hands the request's context.Context to
 * admission, the registry and storage: once its deadline passed or its client went away, a webhook call fails with
 * the context's error, the storage client starts no call, and nothing is written after the client was told the
 * request timed out. Here the handler chain makes one Cancellation per request (runtime/server/request-cancellation.ts)
 * and puts it on the RestRequest, the registry's RequestContext and the admission attributes; a layer reads `err`
 * before work that should not start, and gives `signal` to calls it can abort. The server's own calls (controllers,
 * post-start hooks) carry none and are never cancelled.
 */
import { timeout, type StatusError } from './status.ts';

/** Go's context errors (context.Canceled, context.DeadlineExceeded), in their own words. */
export type ContextErr = 'context canceled' | 'context deadline exceeded';

export interface Cancellation {
  /** Go's ctx.Err(): why the request's work should stop, or undefined while its answer is still wanted. Cheap to read. */
  readonly err: ContextErr | undefined;
  /**
   * Aborted when the request is cancelled (its reason a ContextError), for calls that take a signal (an HTTP request).
   * Made on first read: a request that never reads it pays nothing for it.
   */
  readonly signal: AbortSignal;
  /** performance.now() at the request's deadline, or undefined when it has none. */
  readonly deadline: number | undefined;
}

/** The reason a cancelled request's signal is aborted with: the context's error, as Go's transports report it. */
export class ContextError extends Error {
  constructor(readonly err: ContextErr) {
    super(err);
  }
}

/**
 * A Cancellation its owner cancels, as Go's context.WithCancel: an HTTP request's (request-cancellation.ts) or a
 * watch's, whose work (converting events through a webhook) ends when the watch stops. Its signal is made on first
 * read, aborted at once if it is cancelled already.
 */
export class CancellationSource implements Cancellation {
  #err: ContextErr | undefined;
  #controller: AbortController | undefined;

  constructor(readonly deadline: number | undefined = undefined) {}

  get err(): ContextErr | undefined {
    return this.#err;
  }

  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = (this.#controller = new AbortController());
    const err = this.err;
    if (err) controller.abort(new ContextError(err));
    else this.signalMade();
    return controller.signal;
  }

  /** Called once, when the signal is first made and not already aborted: for a source that follows another one. */
  protected signalMade(): void {}

  /** Cancels (once: the first reason stands), aborting the signal if one was made. */
  cancel(err: ContextErr = 'context canceled'): void {
    if (this.#err) return;
    this.#err = err;
    this.#controller?.abort(new ContextError(err));
  }
}

/**
 * The 504 of a request cancelled before its answer: with the context's error as upstream's handlers word it (the
 * timeout filter, finisher.go's FinishRequest), or without one as the webhook dispatchers do. What a layer throws
 * when it finds its request cancelled: the client has its 504 already, or is gone, so this only ends the work.
 */
export function requestCancelled(err?: ContextErr): StatusError {
  return timeout(err ? `request did not complete within requested timeout - ${err}` : 'request did not complete within requested timeout', 0);
}

/** Throws requestCancelled when the request was cancelled; nothing without a cancellation (the server's own calls). */
export function throwIfCancelled(cancellation: Cancellation | undefined): void {
  const err = cancellation?.err;
  if (err) throw requestCancelled(err);
}
