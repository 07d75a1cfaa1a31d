/**
 * Makes SQLite commits durable without blocking the event loop. With `synchronous = FULL` every COMMIT fsyncs the
 * WAL file on the calling thread, and better-sqlite3 runs on the event loop: each write batch stalled every request
 * for the disk flush (about 0.3 ms per write here). Instead the store commits with `synchronous = NORMAL` (frames
 * written to the WAL, not flushed) and this fsyncs the WAL file in libuv's thread pool; whatever depends on a commit
 * being durable (its writers' answers, its watch events) runs only after an fsync that started after that commit. So
 * an acknowledged write is on disk as before, and commits made while one fsync runs share the next (group commit).
 *
 * Sound because the WAL file keeps its inode while the database is open (SQLite rewinds it after a checkpoint but
 * neither truncates nor replaces it unless asked to, and nothing here asks), and fsync flushes a file's every dirty
 * page whichever descriptor wrote it. Checkpoints still flush on the loop, as SQLite syncs the WAL and the database
 * around each one in NORMAL mode too; they come once per ~1000 pages written. A read may see a commit whose flush
 * is under way (a fraction of a millisecond): only a power loss within that window would take back what it saw.
 */
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export class WalSync {
  /** Commits not covered by a running fsync (they wait for the next one), in commit order. */
  private waiting: ((err?: Error) => void)[] = [];
  private running = false;
  private drained: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly fd: number) {}

  /**
   * For the database at `path`, already open in WAL mode: undefined when it has no WAL file of its own to flush
   * (e.g. an in-memory database), and the store must then commit with `synchronous = FULL`.
   */
  static open(path: string): WalSync | undefined {
    let fd: number;
    try {
      fd = openSync(`${path}-wal`, 'r');
    } catch {
      return undefined;
    }
    syncDirectory(dirname(path));
    return new WalSync(fd);
  }

  /** Calls `durable` once everything committed so far is on disk (with the error, if the flush failed). */
  afterCommit(durable: (err?: Error) => void): void {
    this.waiting.push(durable);
    if (!this.running) this.flush();
  }

  private flush(): void {
    const covered = this.waiting;
    this.waiting = [];
    this.running = true;
    fsync(this.fd, (err) => {
      this.running = false;
      for (const durable of covered) durable(err ?? undefined);
      if (this.waiting.length > 0) this.flush();
      else for (const resolve of this.drained.splice(0)) resolve();
    });
  }

  /** Waits for the commits made so far to be flushed, then lets the file go. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.running || this.waiting.length > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * The WAL file may be new: its directory entry must reach the disk too, once. Best effort, as SQLite's own directory
 * sync: some file systems refuse to sync a directory, and the file's contents are what each flush guarantees.
 */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
