/**
 * The Cancellation of one HTTP request (machinery/cancellation.ts): cancelled at its deadline (the timeout filter
 * calls `cancel`) or when its client's connection or stream closes before the answer is written, as Go's server
 * cancels a request's context. Cheap on purpose, since every request has one and few read more than `err`:
 * - whether the client went away is read from the response when asked (closed, not finished), so nothing listens
 *   for it per request;
 * - the AbortSignal is made only when a layer reads it (a webhook call): then it also follows the client, through
 *   @hono/node-server's request signal, itself made on first read and aborted when the response closes early.
 */
import type { Context } from 'hono';
import { CancellationSource, type ContextErr } from '../machinery/cancellation.ts';
import type { Env } from './filters.ts';

/** What is read of the response: Node's ServerResponse, or (HTTP/2) our StreamResponse or the compatibility layer's. */
interface Outgoing {
  destroyed?: boolean;
  writableFinished?: boolean;
  stream?: { aborted: boolean };
}

export class RequestCancellation extends CancellationSource {
  constructor(
    protected readonly c: Context<Env>,
    deadline: number | undefined,
  ) {
    super(deadline);
  }

  override get err(): ContextErr | undefined {
    return super.err ?? (clientGone((this.c.env as { outgoing?: Outgoing } | undefined)?.outgoing) ? 'context canceled' : undefined);
  }

  protected override signalMade(): void {
    this.c.req.raw.signal.addEventListener('abort', () => this.cancel('context canceled'), { once: true });
  }
}

/** The response closed before it was all written: the client closed its connection or reset its stream. */
function clientGone(out: Outgoing | undefined): boolean {
  if (!out) return false;
  // Node marks an HTTP/2 stream aborted when the client resets it, or the connection goes, before the answer ends.
  if (out.stream) return out.stream.aborted;
  return out.destroyed === true && !out.writableFinished;
}
