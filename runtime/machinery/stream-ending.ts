/**
 * Long-running bodies (watches) that their producer can end cleanly from outside and that tell when they ended.
 * Filters that must end such a body (graceful shutdown) or know its end (audit's ResponseComplete) use this
 * instead of wrapping it in a stream of their own: every wrapping layer costs each chunk one more read and enqueue,
 * for every watcher of every event. For the same reason such a body may offer to write itself to the Node response
 * (writeTo), which the server then takes instead of reading it as a stream.
 */
export interface StreamEnding {
  /** Ends the body as if it had finished (a clean end of the chunked response). */
  end(): void;
  /** Calls `fn` once the body has ended, for whatever reason (at once if it already has). */
  onEnd(fn: () => void): void;
  /**
   * Writes the body's chunks to `out` from now on, each as it is made, and ends `out` when the body ends; the stream
   * is then never read. Called at most once, before anything read the stream, after the response head was written.
   */
  writeTo?(out: BodySink): void;
}

/** What a body writes itself to: a Node response (HTTP/1.1 or HTTP/2), as far as a body needs it. */
export interface BodySink {
  /** Writes one chunk, passed through `framing.frame` first when the sink has a framing. */
  write(chunk: Uint8Array): boolean;
  end(): void;
  /** 'close': the response is over (finished, or the client went away); 'drain': its queued bytes are all sent. */
  once(event: 'close' | 'drain', fn: () => void): unknown;
  /** The bytes written and not yet sent: what the client has not read. */
  readonly writableLength: number;
  /** Ends the response at once, dropping what is queued (the connection for HTTP/1.1, the stream for HTTP/2). */
  destroy(): void;
  /**
   * Present when the sink writes straight to the connection: every chunk must come framed as the transfer coding
   * wants it. The framed bytes depend only on the chunk and the framing, so a body that sends the same chunk to many
   * sinks (a watch event) frames it once per framing (`key`) and shares the result.
   */
  framing?: WireFraming;
}

/** How a chunk is put on the wire by a sink that writes to the connection itself. */
export interface WireFraming {
  /** Names the framing, for memos of framed bytes. */
  readonly key: string;
  frame(chunk: Uint8Array): Uint8Array;
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
