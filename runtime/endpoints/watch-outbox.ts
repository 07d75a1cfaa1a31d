/**
 * The frames one watch sends within a turn of the event loop, written as one chunk when the turn ends. Each write to
 * a watcher's connection costs a TLS record and a system call (with a loopback peer the kernel's receive work too),
 * whatever its size: over HTTP/1.1 that is most of what a delivery costs. A watcher handed several events in one
 * turn (a watch's initial events, its replay from the event buffer, the events of writes committed together, a feed
 * that read several events at once) gets them in one write: the frames concatenated, each still framed on its own
 * (one chunk of the chunked coding per event, one length-prefixed protobuf frame per event).
 *
 * One immediate flushes every watch with frames waiting, not one per watch or per event. A watch that gathers
 * `maxBytes` writes at once (large objects), and a watch that ends writes what it has first (flush).
 */

/** The outboxes with frames waiting for the end of this turn, in the order they were first given one. */
let waiting: WatchOutbox[] = [];
let scheduled = false;

function flushWaiting(): void {
  scheduled = false;
  const boxes = waiting;
  waiting = [];
  for (const box of boxes) {
    box.queued = false;
    box.flush();
  }
}

export class WatchOutbox {
  private frames: Uint8Array[] = [];
  private bytes = 0;
  /** Whether this outbox is in `waiting` (set until the turn's flush has passed it, even if it was flushed before). */
  queued = false;

  /** `write` takes one chunk: a single frame as it is, or several concatenated. */
  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    private readonly maxBytes = 64 << 10,
  ) {}

  push(frame: Uint8Array): void {
    this.frames.push(frame);
    this.bytes += frame.byteLength;
    if (this.bytes >= this.maxBytes) return this.flush();
    if (this.queued) return;
    this.queued = true;
    waiting.push(this);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flushWaiting);
    }
  }

  /** Writes the frames waiting, if any, now. */
  flush(): void {
    const frames = this.frames;
    if (frames.length === 0) return;
    this.frames = [];
    const bytes = this.bytes;
    this.bytes = 0;
    this.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames, bytes));
  }
}
