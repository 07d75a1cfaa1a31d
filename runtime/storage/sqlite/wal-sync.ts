/**
 * Makes SQLite commits durable without blocking the event loop. The store commits with `synchronous = NORMAL`,
 * which in WAL mode writes a transaction's frames to the WAL file but does not flush it; a WalSync flushes that file
 * with fdatasync on libuv's thread pool and calls back once every frame written before the request is on disk.
 * Only one flush runs at a time: commits made while it runs wait for the next one, so a single fdatasync
 * acknowledges all of them, as etcd batches the fsyncs of its own WAL.
 *
 * Flushing through a descriptor of our own is enough: fdatasync flushes the file, not the descriptor. The WAL is
 * never replaced while the database is open (a checkpoint rewinds it in place, after SQLite has flushed it itself),
 * and SQLite's locks live on the database and `-shm` files, so this descriptor cannot disturb them.
 */
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export class WalSync {
  private fd?: number;
  private flushing = false;
  private waiting: Array<(err: Error | null) => void> = [];
  private idle?: () => void;

  constructor(private readonly walPath: string) {}

  /** Calls `done` once everything written to the WAL before this call is on disk (or the flush failed). */
  afterFlush(done: (err: Error | null) => void): void {
    this.waiting.push(done);
    if (!this.flushing) this.flush();
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.flushing = true;
    const finish = (err: Error | null) => {
      this.flushing = false;
      for (const done of batch) done(err);
      if (this.waiting.length > 0) this.flush();
      else this.idle?.();
    };
    let fd: number;
    try {
      fd = this.open();
    } catch (err) {
      return queueMicrotask(() => finish(err as Error));
    }
    fdatasync(fd, finish);
  }

  /** The WAL exists from the first commit on; its directory entry is flushed once, as SQLite does for a new journal. */
  private open(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.walPath, 'r');
      const dir = openSync(dirname(this.walPath), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.fd;
  }

  /** Waits for the flushes asked for so far, then lets the file go. */
  async close(): Promise<void> {
    if (this.flushing) await new Promise<void>((resolve) => (this.idle = resolve));
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
