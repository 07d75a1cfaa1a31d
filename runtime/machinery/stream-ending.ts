/**
 * Long-running bodies (watches) that their producer can end cleanly from outside and that tell when they ended.
 * Filters that must end such a body (graceful shutdown) or know its end (audit's ResponseComplete) use this
 * instead of wrapping it in a stream of their own: every wrapping layer costs each chunk one more read and enqueue,
 * for every watcher of every event.
 */
export interface StreamEnding {
  /** Ends the body as if it had finished (a clean end of the chunked response). */
  end(): void;
  /** Calls `fn` once the body has ended, for whatever reason (at once if it already has). */
  onEnd(fn: () => void): void;
}

const endings = new WeakMap<ReadableStream<Uint8Array>, StreamEnding>();

/** Records how `stream` is ended and observed; returns it. */
export function withEnding(stream: ReadableStream<Uint8Array>, ending: StreamEnding): ReadableStream<Uint8Array> {
  endings.set(stream, ending);
  return stream;
}

export function endingOf(stream: ReadableStream<Uint8Array> | null): StreamEnding | undefined {
  return stream ? endings.get(stream) : undefined;
}

/** The listeners of one body's end, called once. */
export class EndListeners {
  private fns: (() => void)[] | undefined = [];

  add(fn: () => void): void {
    if (this.fns) this.fns.push(fn);
    else fn();
  }

  fire(): void {
    const fns = this.fns;
    this.fns = undefined;
    for (const fn of fns ?? []) fn();
  }
}
