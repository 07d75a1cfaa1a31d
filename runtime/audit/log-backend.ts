/**
 * The log backend (`--audit-log-path`): one JSON event per line, to a file or to stdout (`-`). Writing never holds up
 * a request: events are queued in memory and written by one asynchronous writer, which takes whatever has queued up
 * while the previous write ran. A full queue (`--audit-log-batch-buffer-size`) drops events with a log line.
 *
 * Rotation follows lumberjack, which kube-apiserver uses: before a line would take the file past
 * `--audit-log-maxsize` MB (0: 100 MB) the file is renamed to `<name>-<UTC time 2006-01-02T15-04-05.000><ext>` and a
 * new one started; then backups beyond `--audit-log-maxbackup` (0: all kept) and older than `--audit-log-maxage`
 * days (0: no limit) are removed.
 */
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { reportDropped, type AuditBackend, type BackendLogger } from './backend.ts';

export interface LogBackendOptions {
  path: string;
  maxAgeDays: number;
  maxBackups: number;
  maxSizeMB: number;
  bufferSize: number;
  log: BackendLogger;
  /** batch: queued, written in the background; blocking: written before the request goes on; blocking-strict: and a failed write fails the request. */
  mode?: 'batch' | 'blocking' | 'blocking-strict';
}

const megabyte = 1024 * 1024;

/** lumberjack's backup name: `<name>-2006-01-02T15-04-05.000<ext>` in UTC. */
export function backupName(path: string, at: Date): string {
  const ext = extname(path);
  const prefix = basename(path, ext);
  const stamp = at.toISOString().slice(0, 23).replace(/:/g, '-');
  return join(dirname(path), `${prefix}-${stamp}${ext}`);
}

function parseBackupTime(file: string, prefix: string, ext: string): number | undefined {
  if (!file.startsWith(`${prefix}-`) || !file.endsWith(ext)) return undefined;
  const stamp = file.slice(prefix.length + 1, file.length - ext.length);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/.exec(stamp);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(t) ? undefined : t;
}

export class LogBackend implements AuditBackend {
  readonly name = 'log';
  private queue: string[] = [];
  private writing?: Promise<void>;
  private file?: FileHandle;
  private size = 0;
  private dropped = 0;
  private readonly maxBytes: number;
  private blockingChain: Promise<boolean> = Promise.resolve(true);

  constructor(private readonly opts: LogBackendOptions) {
    this.maxBytes = (opts.maxSizeMB > 0 ? opts.maxSizeMB : 100) * megabyte;
    if (opts.path !== '-') {
      // Fail at start-up, not on the first request, when the file cannot be created (as upstream's ensureLogFile).
      mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
      closeSync(openSync(opts.path, 'a', 0o600));
    }
  }

  processEvents(lines: string[]): void | Promise<boolean> {
    if (this.opts.mode === 'blocking' || this.opts.mode === 'blocking-strict') return this.writeNow(lines);
    const room = Math.max(this.opts.bufferSize - this.queue.length, 0);
    if (room < lines.length) {
      this.dropped = reportDropped('log', this.dropped, lines.length - room, this.opts.log);
      lines = lines.slice(0, room);
    }
    for (const l of lines) this.queue.push(l);
    if (!this.writing && this.queue.length) this.writing = this.drain();
  }

  /** Blocking modes: these lines are written (after any earlier ones) before the returned promise resolves. */
  private writeNow(lines: string[]): Promise<boolean> {
    const write = async () => {
      try {
        if (this.opts.path === '-') await writeStdout(lines.join('\n') + '\n');
        else await this.writeLines(lines);
        return true;
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message }, `Error in audit plugin 'log': cannot write ${this.opts.path}`);
        // A broken handle is reopened by the next write.
        await this.file?.close().catch(() => {});
        this.file = undefined;
        return this.opts.mode !== 'blocking-strict';
      }
    };
    const done = (this.blockingChain = this.blockingChain.then(write));
    // Shutdown waits for `writing`; it is cleared once the last write queued so far is done.
    const writing = (this.writing = done.then(() => {
      if (this.writing === writing) this.writing = undefined;
    }));
    return done;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const lines = this.queue;
        this.queue = [];
        if (this.opts.path === '-') await writeStdout(lines.join('\n') + '\n');
        else await this.writeLines(lines);
      }
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, `Error in audit plugin 'log': cannot write ${this.opts.path}`);
    } finally {
      this.writing = undefined;
      if (this.queue.length) this.writing = this.drain();
    }
  }

  private async openFile(): Promise<FileHandle> {
    if (!this.file) {
      this.file = await open(this.opts.path, 'a', 0o600);
      this.size = (await this.file.stat()).size;
    }
    return this.file;
  }

  /** Appends lines, rotating before a line that would take the file past the size limit. */
  private async writeLines(lines: string[]): Promise<void> {
    let chunk: string[] = [];
    let chunkBytes = 0;
    let file = await this.openFile();
    for (const line of lines) {
      const n = Buffer.byteLength(line) + 1;
      if (this.size + chunkBytes + n > this.maxBytes && this.size + chunkBytes > 0) {
        if (chunk.length) await file.write(chunk.join('\n') + '\n');
        chunk = [];
        chunkBytes = 0;
        await this.rotate();
        file = await this.openFile();
      }
      chunk.push(line);
      chunkBytes += n;
    }
    if (chunk.length) {
      await file.write(chunk.join('\n') + '\n');
      this.size += chunkBytes;
    }
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    await rename(this.opts.path, backupName(this.opts.path, new Date()));
    this.size = 0;
    await this.removeOldBackups().catch((err) => this.opts.log.error({ err: (err as Error).message }, 'audit log: cannot remove old backups'));
  }

  private async removeOldBackups(): Promise<void> {
    const { maxBackups, maxAgeDays } = this.opts;
    if (maxBackups <= 0 && maxAgeDays <= 0) return;
    const dir = dirname(this.opts.path);
    const ext = extname(this.opts.path);
    const prefix = basename(this.opts.path, ext);
    const backups = (await readdir(dir))
      .map((f) => ({ f, t: parseBackupTime(f, prefix, ext) }))
      .filter((b): b is { f: string; t: number } => b.t !== undefined)
      .sort((a, b) => b.t - a.t);
    const cutoff = Date.now() - maxAgeDays * 24 * 3600 * 1000;
    for (const [i, b] of backups.entries()) {
      if ((maxBackups > 0 && i >= maxBackups) || (maxAgeDays > 0 && b.t < cutoff)) await unlink(join(dir, b.f)).catch(() => {});
    }
  }

  async shutdown(): Promise<void> {
    while (this.writing) await this.writing;
    await this.file?.close();
    this.file = undefined;
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
