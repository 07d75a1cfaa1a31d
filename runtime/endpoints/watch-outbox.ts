/**
 * The frames one watch is given in one task, written as one chunk once the task is done. Each write to
 * a watcher's connection costs a TLS record and a system call (with a loopback peer the kernel's receive work too),
 * whatever its size: over HTTP/1.1 that is most of what a delivery costs. A watcher handed several events in one
 * task (a watch's initial events, its replay from the event buffer, the events of writes committed together, which
 * the watch cache dispatches as one batch) gets them in one write: the frames concatenated, each still framed on its
 * own (one chunk of the chunked coding per event, one length-prefixed protobuf frame per event).
 *
 * One microtask flushes every watch with frames waiting, not one per watch or per event. A microtask rather than an
 * immediate: the fan-out of a write still runs before the write's own response goes out. With an immediate the
 * writer's next request was handled before the deliveries of its last one, which all waited for it (bench, 200 x 200
 * over HTTP/1.1: p50 45 -> 114 ms). A watch that gathers `maxBytes` writes at once (large objects), and a watch that
 * ends writes what it has first (flush).
 */

/**
 * The outboxes with frames waiting for the end of this task, in the order they were first given one. Two lists taken
 * in turn: with a thousand watchers of a change this list has a thousand entries, made again for every change.
 */
let waiting: WatchOutbox[] = [];
let spare: WatchOutbox[] = [];
let scheduled = false;

function flushWaiting(): void {
  scheduled = false;
  const boxes = waiting;
  waiting = spare;
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i]!;
    box.queued = false;
    box.flush();
  }
  boxes.length = 0;
  spare = boxes;
}

export class WatchOutbox {
  /**
   * The first frame waiting, and any after it: a watch given one event per task (the usual fan-out of a change)
   * writes it as it is, with no list made for it.
   */
  private first: Uint8Array | undefined = undefined;
  private more: Uint8Array[] | undefined = undefined;
  private bytes = 0;
  /** Whether this outbox is in `waiting` (set until the flush has passed it, even if it was flushed before). */
  queued = false;

  /** `write` takes one chunk: a single frame as it is, or several concatenated. */
  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    private readonly maxBytes = 64 << 10,
  ) {}

  push(frame: Uint8Array): void {
    if (this.first === undefined) this.first = frame;
    else (this.more ??= []).push(frame);
    this.bytes += frame.byteLength;
    if (this.bytes >= this.maxBytes) return this.flush();
    if (this.queued) return;
    this.queued = true;
    waiting.push(this);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flushWaiting);
    }
  }

  /** Writes the frames waiting, if any, now. */
  flush(): void {
    const first = this.first;
    if (first === undefined) return;
    const more = this.more;
    const bytes = this.bytes;
    this.first = undefined;
    this.more = undefined;
    this.bytes = 0;
    this.write(more ? Buffer.concat([first, ...more], bytes) : first);
  }
}
