/**
 * Embedded KV backend: etcd's MVCC model emulated on one SQLite file (better-sqlite3, synchronous).
 *
 * Layout:
 *  - `history(rev PK, key, value, create_rev, deleted)`: one row per write. Every write here touches exactly one
 *    key, so the global revision is simply the row's primary key. Deletes are tombstone rows (deleted = 1).
 *  - `latest(key PK, value, create_rev, mod_rev, expires_at)`: the live state, maintained in the same transaction,
 *    so reads at the latest revision and prefix scans are plain primary-key range queries.
 *  - `meta(name PK, value)`: the compacted revision.
 * The current revision is derived on open as max(max history rev, compacted revision, 1) and kept in memory after
 * that, so no per-write counter row is needed. Like etcd, an empty store is at revision 1 and the first write gets
 * revision 2.
 *
 * Durability: WAL + synchronous=FULL, so a write whose promise resolved survives SIGKILL / power loss. The flush
 * stays on the event loop: `synchronous = NORMAL` with the WAL's fdatasync on libuv's thread pool was measured
 * twice and served no more creates or updates (the group commit already shares one flush among
 * the writes of a turn), while the handoff cost the raw store 20-30 % of its put rate.
 *
 * Watches are in-process. Because better-sqlite3 is synchronous and we are single-threaded, "read history up to
 * the current revision, then switch to live delivery" is a gap-free, duplicate-free handover as long as the check
 * and the switch happen in the same synchronous turn. A watcher catches up from `history` in chunks (yielding
 * between them so a huge replay does not block the event loop), then receives live events pushed after each
 * commit; delivery is always asynchronous (microtask), never inside a transaction.
 *
 * TTL: `expires_at` on `latest`; a 1 s unref'd sweep deletes expired keys as ordinary deletes, so watchers see
 * delete events, like etcd lease expiry.
 *
 * Shared mode (`shared: true`, for `--workers`): several processes open the file, each with its own SqliteKV.
 * `history` is then the log they all follow: each instance remembers the highest revision it has published to its
 * watchers (`rev`), and `tail()` publishes the rows past it, in revision order, as the replay does. A write tails
 * first inside its IMMEDIATE transaction (which SQLite serializes across processes), so its revision follows every
 * other process's and their events reach our watchers before ours. A read at the latest revision tails first in
 * the same read snapshot, so it sees every write acknowledged anywhere (etcd's linearizable reads) and reports the
 * revision its data holds at. `PRAGMA data_version` tells cheaply whether another connection committed, so a tail
 * with nothing new costs one pragma. Other processes' writes are noticed by a short poll, or at once when the
 * server relays a commit nudge (`onCommit` in the writer, `refresh()` in the others). A compaction another process
 * made past what we published ends the watchers that missed events with a compaction error (they relist). A write
 * that finds the write lock taken retries on a timer rather than in SQLite's busy wait, which sleeps the event loop.
 */
import Database from 'better-sqlite3';
import {
  CompactedError,
  defaultMaxRequestBytes,
  FutureRevisionError,
  RequestTooLargeError,
  StorageUnavailableError,
  type KV,
  type KVWatch,
  type KVWatchEvent,
  type KVWatchHandlers,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type TxnResult,
} from '../kv.ts';

/**
 * The smallest string greater than every string starting with `prefix`, in SQLite's BINARY (UTF-8 byte) order,
 * which equals code-point order: the prefix with its last code point incremented. An empty prefix means all keys.
 */
export function prefixEnd(prefix: string): string {
  const cps = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (cps.length > 0) {
    let last = cps.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
    if (last <= 0x10ffff) return String.fromCodePoint(...cps, last);
  }
  return '\u{10FFFF}\u{10FFFF}';
}

export interface SqliteKVOptions {
  /** How often expired TTL keys are swept (ms). Default 1000. */
  sweepIntervalMs?: number;
  /** Rows read per catch-up step of a watch replay. Default 1000. */
  replayChunk?: number;
  /** How often idle live watchers get a progress notification when the store revision moved (ms). Default 5000; 0 disables. */
  progressIntervalMs?: number;
  /**
   * The largest write taken, key and value together, in bytes (etcd's --max-request-bytes, whose default it
   * shares): larger ones fail with RequestTooLargeError, so an object that would not fit in etcd does not fit here.
   */
  maxRequestBytes?: number;
  /** Other processes open the same file (`--workers`): follow their writes through `history` (see the top). */
  shared?: boolean;
  /** Shared mode: how often other processes' writes are looked for when nobody asks (ms). Default 20. */
  tailIntervalMs?: number;
  /** Shared mode: called after each commit of ours, so the caller can tell the other processes to `refresh()`. */
  onCommit?: () => void;
}

interface HistoryRow {
  rev: number;
  key: string;
  value: Buffer;
  create_rev: number;
  deleted: number;
}

interface LatestRow {
  key: string;
  value: Buffer;
  create_rev: number;
  mod_rev: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  create_rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS history_key_rev ON history (key, rev);
CREATE TABLE IF NOT EXISTS latest (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS latest_expires ON latest (expires_at) WHERE expires_at IS NOT NULL;
`;

const EMPTY = new Uint8Array(0);

/** How long a write waits for another process's write lock before it fails (SQLite's busy timeout). */
const busyTimeoutMs = 5000;

/** Whether a write failed because another process held the write lock. */
function isBusy(err: unknown): boolean {
  const code = ((err as Error).cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function toBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function latestToKv(r: LatestRow): KeyValue {
  return { key: r.key, value: r.value, createRevision: r.create_rev, modRevision: r.mod_rev };
}

class Watcher {
  /** Every event with revision <= cursor has been queued for delivery. */
  cursor: number;
  live = false;
  done = false;
  pending: KVWatchEvent[] = [];
  scheduled = false;
  lastProgress = 0;

  constructor(
    readonly prefix: string,
    readonly end: string,
    afterRevision: number,
    readonly handlers: KVWatchHandlers,
  ) {
    this.cursor = afterRevision;
  }

  matches(key: string): boolean {
    return key >= this.prefix && key < this.end;
  }
}

export class SqliteKV implements KV {
  private readonly db: Database.Database;
  private rev: number;
  private compacted: number;
  private closed = false;
  private readonly watchers = new Set<Watcher>();
  private readonly sweepTimer: NodeJS.Timeout;
  private progressTimer?: NodeJS.Timeout;
  private readonly replayChunk: number;
  private readonly maxRequestBytes: number;
  private readonly st: ReturnType<SqliteKV['prepare']>;
  private readonly shared: boolean;
  private readonly onCommit?: () => void;
  private tailTimer?: NodeJS.Timeout;
  /** `PRAGMA data_version` at the last complete tail: unchanged means no other connection committed since. */
  private seenDataVersion = -1;
  /** Runs a read in one snapshot, after a tail in that snapshot (shared mode). */
  private readonly snapshot: <T>(fn: () => T) => T;

  /** Opens (creating if needed) the database file at `path`. */
  static async open(path: string, opts: SqliteKVOptions = {}): Promise<SqliteKV> {
    return new SqliteKV(path, opts);
  }

  constructor(path: string, opts: SqliteKVOptions = {}) {
    this.db = new Database(path);
    this.db.pragma(`busy_timeout = ${busyTimeoutMs}`); // first: in shared mode another process may hold the lock
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.st = this.prepare();
    this.compacted = (this.st.getMeta.get('compacted') as { value: number } | undefined)?.value ?? 0;
    const maxRev = (this.st.maxRev.get() as { m: number | null }).m ?? 0;
    this.rev = Math.max(maxRev, this.compacted, 1);
    this.replayChunk = opts.replayChunk ?? 1000;
    this.maxRequestBytes = opts.maxRequestBytes ?? defaultMaxRequestBytes;
    this.sweepTimer = setInterval(() => this.sweepExpired(), opts.sweepIntervalMs ?? 1000);
    this.sweepTimer.unref();
    this.shared = opts.shared ?? false;
    this.onCommit = opts.onCommit;
    const readTxn = this.db.transaction((fn: () => unknown) => {
      this.tail();
      return fn();
    });
    this.snapshot = this.shared ? <T>(fn: () => T) => readTxn.deferred(fn) as T : <T>(fn: () => T) => fn();
    this.writeTransaction = this.db.transaction((fn: () => unknown) => {
      // Shared mode: the write lock is ours, so after this tail `rev` is the true latest revision, and other
      // processes' events are published before ours.
      this.tail();
      this.txnStartRev = this.rev;
      return fn();
    });
    if (this.shared) {
      this.tailTimer = setInterval(() => this.refresh(), opts.tailIntervalMs ?? 20);
      this.tailTimer.unref();
    }
    const progressMs = opts.progressIntervalMs ?? 5000;
    if (progressMs > 0) {
      this.progressTimer = setInterval(() => this.sendProgress(), progressMs);
      this.progressTimer.unref();
    }
  }

  private prepare() {
    const db = this.db;
    const HIST_COLS = 'rev, key, value, create_rev, deleted';
    return {
      getMeta: db.prepare('SELECT value FROM meta WHERE name = ?'),
      setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      maxRev: db.prepare('SELECT max(rev) AS m FROM history'),
      getLatest: db.prepare('SELECT key, value, create_rev, mod_rev FROM latest WHERE key = ?'),
      rangeLatest: db.prepare(
        'SELECT key, value, create_rev, mod_rev FROM latest WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
      ),
      countLatest: db.prepare('SELECT count(*) AS n FROM latest WHERE key >= ? AND key < ?'),
      getAt: db.prepare(
        `SELECT ${HIST_COLS} FROM history WHERE key = ? AND rev <= ? ORDER BY rev DESC LIMIT 1`,
      ),
      // For each key in [from, end) its newest row at or before the revision, keeping only live ones. Walking
      // history_key_rev in key order with a correlated max() lookup lets LIMIT stop early (no sort of the range).
      rangeAt: db.prepare(
        `SELECT h.key, h.value, h.create_rev, h.rev FROM history h
         WHERE h.key >= ? AND h.key < ? AND h.deleted = 0
           AND h.rev = (SELECT max(rev) FROM history h2 WHERE h2.key = h.key AND h2.rev <= ?)
         ORDER BY h.key LIMIT ?`,
      ),
      // SQLite takes the bare columns from the max() row of each group.
      countAt: db.prepare(
        `SELECT count(*) AS n FROM (
           SELECT deleted, max(rev) AS rev FROM history WHERE key >= ? AND key < ? AND rev <= ? GROUP BY key
         ) WHERE deleted = 0`,
      ),
      prevOf: db.prepare(
        `SELECT ${HIST_COLS} FROM history WHERE key = ? AND rev < ? ORDER BY rev DESC LIMIT 1`,
      ),
      historySince: db.prepare(`SELECT ${HIST_COLS} FROM history WHERE rev > ? ORDER BY rev LIMIT ?`),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      busyWaitOff: db.prepare('PRAGMA busy_timeout = 0'),
      busyWaitOn: db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`),
      historyAfter: db.prepare(
        `SELECT ${HIST_COLS} FROM history WHERE rev > ? AND rev <= ? AND key >= ? AND key < ? ORDER BY rev LIMIT ?`,
      ),
      insertHistory: db.prepare(
        'INSERT INTO history (rev, key, value, create_rev, deleted) VALUES (?, ?, ?, ?, ?)',
      ),
      upsertLatest: db.prepare(
        `INSERT INTO latest (key, value, create_rev, mod_rev, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, create_rev = excluded.create_rev,
           mod_rev = excluded.mod_rev, expires_at = excluded.expires_at`,
      ),
      deleteLatest: db.prepare('DELETE FROM latest WHERE key = ?'),
      anyExpired: db.prepare('SELECT 1 FROM latest WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT 1'),
      expired: db.prepare(
        'SELECT key, value, create_rev, mod_rev FROM latest WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT 1000',
      ),
      // Compaction keeps, per key, the newest row at or before the compact revision unless it is a tombstone.
      compactSuperseded: db.prepare(
        `DELETE FROM history WHERE rev < @rev AND EXISTS (
           SELECT 1 FROM history h2 WHERE h2.key = history.key AND h2.rev > history.rev AND h2.rev <= @rev)`,
      ),
      compactTombstones: db.prepare('DELETE FROM history WHERE rev <= @rev AND deleted = 1'),
    };
  }

  // ---- reads ----

  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv?: KeyValue; revision: number }> {
    this.checkOpen();
    return this.snapshot(() => this.getNow(key, opts.revision));
  }

  private getNow(key: string, revision: number | undefined): { kv?: KeyValue; revision: number } {
    const at = this.readRevision(revision);
    if (at === this.rev) {
      const row = this.st.getLatest.get(key) as LatestRow | undefined;
      return { kv: row && latestToKv(row), revision: this.rev };
    }
    const row = this.st.getAt.get(key, at) as HistoryRow | undefined;
    if (!row || row.deleted) return { revision: at };
    return { kv: { key, value: row.value, createRevision: row.create_rev, modRevision: row.rev }, revision: at };
  }

  async range(prefix: string, opts: RangeOptions & { fromKey?: string } = {}): Promise<RangeResult> {
    this.checkOpen();
    return this.snapshot(() => this.rangeNow(prefix, opts));
  }

  private rangeNow(prefix: string, opts: RangeOptions & { fromKey?: string }): RangeResult {
    const at = this.readRevision(opts.revision);
    const end = prefixEnd(prefix);
    const from = opts.fromKey !== undefined && opts.fromKey > prefix ? opts.fromKey : prefix;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    if (at === this.rev) {
      const rows = this.st.rangeLatest.all(from, end, limit) as LatestRow[];
      const count =
        limit > 0 && rows.length === limit ? (this.st.countLatest.get(from, end) as { n: number }).n : rows.length;
      return { kvs: rows.map(latestToKv), count, revision: at };
    }
    const rows = this.st.rangeAt.all(from, end, at, limit) as { key: string; value: Buffer; create_rev: number; rev: number }[];
    const count =
      limit > 0 && rows.length === limit ? (this.st.countAt.get(from, end, at) as { n: number }).n : rows.length;
    return {
      kvs: rows.map((r) => ({ key: r.key, value: r.value, createRevision: r.create_rev, modRevision: r.rev })),
      count,
      revision: at,
    };
  }

  async currentRevision(): Promise<number> {
    return this.revisionNow();
  }

  revisionNow(): number {
    this.checkOpen();
    this.tail();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    this.tail();
    return this.compacted;
  }

  /** Ordered by construction: a progress notification reports the cursor, which only publish() moves. */
  async progressRequestsSupported(): Promise<boolean> {
    return true;
  }

  async ping(): Promise<void> {
    this.checkOpen();
    this.db.prepare('SELECT 1').get();
  }

  /** Validates a requested read revision and returns the effective one. */
  private readRevision(revision: number | undefined): number {
    if (!revision || revision === this.rev) return this.rev;
    if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    return revision;
  }

  // ---- writes ----

  async create(key: string, value: Uint8Array, opts: { ttlSeconds?: number } = {}): Promise<TxnResult> {
    this.checkOpen();
    this.checkSize(key, value);
    return this.groupWrite(() => {
      const cur = this.st.getLatest.get(key) as LatestRow | undefined;
      if (cur) return { succeeded: false, revision: this.rev, current: latestToKv(cur) };
      return this.put(key, value, undefined, opts.ttlSeconds);
    });
  }

  async update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    opts: { ttlSeconds?: number } = {},
  ): Promise<TxnResult> {
    this.checkOpen();
    this.checkSize(key, value);
    return this.groupWrite(() => {
      const cur = this.st.getLatest.get(key) as LatestRow | undefined;
      if (!cur || cur.mod_rev !== expectedModRevision) {
        return { succeeded: false, revision: this.rev, current: cur && latestToKv(cur) };
      }
      return this.put(key, value, cur, opts.ttlSeconds);
    });
  }

  /** Refuses a write etcd would refuse for its size (its limit counts the key too; framing is left out). */
  private checkSize(key: string, value: Uint8Array): void {
    if (value.byteLength + Buffer.byteLength(key) > this.maxRequestBytes) throw new RequestTooLargeError();
  }

  /** On success `kv` is the value that was deleted and `revision` the deleting revision. */
  async delete(key: string, expectedModRevision?: number): Promise<TxnResult> {
    this.checkOpen();
    return this.groupWrite(() => {
      const cur = this.st.getLatest.get(key) as LatestRow | undefined;
      if (!cur || (expectedModRevision !== undefined && cur.mod_rev !== expectedModRevision)) {
        return { succeeded: false, revision: this.rev, current: cur && latestToKv(cur) };
      }
      return this.remove(cur);
    });
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (!this.shared && revision <= this.compacted) return;
    const compacted = this.db.transaction(() => {
      // Shared mode: the tail learns the revision and any compaction another process made meanwhile.
      this.tail();
      if (revision > this.rev) throw new FutureRevisionError(revision, this.rev);
      if (revision <= this.compacted) return false;
      this.st.compactSuperseded.run({ rev: revision });
      this.st.compactTombstones.run({ rev: revision });
      this.st.setMeta.run('compacted', revision);
      return true;
    }).immediate();
    if (compacted) this.compacted = revision;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction. `fn` records the events it produced in `this.txnEvents`; they are
   * published to watchers only after COMMIT, and the in-memory revision is rolled back if the transaction fails.
   */
  private txnEvents: KVWatchEvent[] = [];
  /** The revision before the write transaction in progress, restored when it fails. */
  private txnStartRev = 0;
  /**
   * Runs its argument as writeTxn's body, made once: better-sqlite3's `transaction()` builds a wrapper and its four
   * variants per call, which was paid per committed batch.
   */
  private readonly writeTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  private writeTxn<T>(fn: () => T): T {
    this.txnStartRev = this.rev;
    this.txnEvents = [];
    let result: T;
    try {
      result = this.writeTransaction.immediate(fn) as T;
    } catch (err) {
      this.rev = this.txnStartRev;
      this.txnEvents = [];
      throw new StorageUnavailableError(`sqlite write failed: ${(err as Error).message}`, { cause: err });
    }
    const events = this.txnEvents;
    this.txnEvents = [];
    for (const ev of events) this.publish(ev);
    if (events.length > 0 && this.shared) this.onCommit?.();
    return result;
  }

  /**
   * Group commit: the writes that arrive within one turn of the event loop run one after the other in a single
   * transaction, so one fsync acknowledges all of them instead of blocking the loop once per write. Each write
   * still sees the ones queued before it (same transaction, in order), and none is answered before COMMIT. The
   * queue is run in one synchronous step, so reads never see a write that is not committed.
   */
  private writeQueue: { fn: () => TxnResult; resolve: (r: TxnResult) => void; reject: (e: unknown) => void }[] = [];
  /** Shared mode: when the queued batch first found the write lock taken (0: it did not), and its retry. */
  private busySince = 0;
  private busyRetry?: NodeJS.Timeout;
  private groupWrite(fn: () => TxnResult): Promise<TxnResult> {
    return new Promise((resolve, reject) => {
      this.writeQueue.push({ fn, resolve, reject });
      if (this.writeQueue.length === 1 && !this.busyRetry) setImmediate(() => this.commitQueued());
    });
  }

  private commitQueued(patient = false): void {
    this.busyRetry = undefined;
    const batch = this.writeQueue;
    this.writeQueue = [];
    if (batch.length === 0) return;
    let results: TxnResult[];
    try {
      if (this.closed) throw new StorageUnavailableError('sqlite store is closed');
      const run = () => this.writeTxn(() => batch.map((w) => w.fn()));
      results = patient ? run() : this.withoutBusyWait(run);
    } catch (err) {
      if (isBusy(err) && Date.now() - (this.busySince ||= Date.now()) < busyTimeoutMs) {
        // Another process holds the write lock: try again shortly, serving meanwhile; writes that arrive join the batch.
        this.writeQueue = batch.concat(this.writeQueue);
        this.busyRetry = setTimeout(() => this.commitQueued(), 1);
        return;
      }
      this.busySince = 0;
      for (const w of batch) w.reject(err);
      return;
    }
    this.busySince = 0;
    batch.forEach((w, i) => w.resolve(results[i]));
  }

  /**
   * Shared mode: runs `fn` with SQLite's busy wait off. That wait sleeps, blocking the event loop, while another
   * process holds the write lock (hundreds of ms under a steady stream of writes); the caller retries on a timer
   * instead. Single-process, the lock is never held by anyone else and this is `fn()`.
   */
  private withoutBusyWait<T>(fn: () => T): T {
    if (!this.shared) return fn();
    this.st.busyWaitOff.get();
    try {
      return fn();
    } finally {
      this.st.busyWaitOn.get();
    }
  }

  private put(key: string, value: Uint8Array, prev: LatestRow | undefined, ttlSeconds?: number): TxnResult {
    const rev = this.rev + 1;
    const buf = toBuffer(value);
    const createRev = prev ? prev.create_rev : rev;
    const expiresAt = ttlSeconds && ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : null;
    this.st.insertHistory.run(rev, key, buf, createRev, 0);
    this.st.upsertLatest.run(key, buf, createRev, rev, expiresAt);
    this.rev = rev;
    const kv: KeyValue = { key, value: buf, createRevision: createRev, modRevision: rev };
    this.txnEvents.push({ type: 'put', kv, prevKv: prev && latestToKv(prev) });
    return { succeeded: true, revision: rev, kv };
  }

  private remove(cur: LatestRow): TxnResult {
    const rev = this.rev + 1;
    this.st.insertHistory.run(rev, cur.key, Buffer.alloc(0), 0, 1);
    this.st.deleteLatest.run(cur.key);
    this.rev = rev;
    const prevKv = latestToKv(cur);
    this.txnEvents.push({
      type: 'delete',
      kv: { key: cur.key, value: EMPTY, createRevision: 0, modRevision: rev },
      prevKv,
    });
    return { succeeded: true, revision: rev, kv: prevKv };
  }

  private sweepExpired(): void {
    if (this.closed) return;
    try {
      if (!this.st.anyExpired.get(Date.now())) return; // cheap indexed probe; no write lock when idle
      this.withoutBusyWait(() =>
        this.writeTxn(() => {
          const rows = this.st.expired.all(Date.now()) as LatestRow[];
          for (const r of rows) this.remove(r);
          return { succeeded: false, revision: this.rev };
        }),
      );
    } catch {
      // Transient (e.g. disk full, or another process writing): the next sweep retries.
    }
  }

  // ---- following other processes (shared mode) ----

  /**
   * Publishes what other processes committed after `rev`, in revision order, and learns their compactions. A no-op
   * unless shared, and one pragma when no other connection committed since the last tail.
   */
  private tail(): void {
    if (!this.shared) return;
    const version = this.st.dataVersion.get() as number; // read first: a commit after it shows at the next tail
    if (version === this.seenDataVersion) return;
    for (;;) {
      const rows = this.st.historySince.all(this.rev, this.replayChunk) as HistoryRow[];
      // Read after the rows: a compaction that could have removed some of them shows here.
      const compacted = this.readCompacted();
      if (compacted > this.rev) {
        // Another process compacted past what we published: events may be gone, so watchers that had not seen them
        // end with a compaction error (they relist), as a too-slow etcd watcher does; we continue from there.
        for (const w of this.watchers) {
          if (w.live && w.cursor < compacted) this.fail(w, new CompactedError(w.cursor + 1, compacted));
        }
        this.rev = compacted;
        continue;
      }
      for (const r of rows) {
        this.publish(this.historyEvent(r));
        this.rev = r.rev;
      }
      if (rows.length < this.replayChunk) break;
    }
    this.seenDataVersion = version;
  }

  private readCompacted(): number {
    const c = (this.st.getMeta.get('compacted') as { value: number } | undefined)?.value ?? 0;
    if (c > this.compacted) this.compacted = c;
    return c;
  }

  /** Shared mode: looks for other processes' writes now (e.g. when one of them says it committed). */
  refresh(): void {
    if (this.closed || !this.shared) return;
    try {
      this.tail();
    } catch {
      // Transient (busy, disk): the next poll retries.
    }
  }

  // ---- watches ----

  watch(prefix: string, afterRevision: number, handlers: KVWatchHandlers): KVWatch {
    this.checkOpen();
    this.refresh(); // shared mode: a revision another process handed out is not taken for a future one
    const w = new Watcher(prefix, prefixEnd(prefix), afterRevision, handlers);
    this.watchers.add(w);
    if (afterRevision > this.rev) {
      // etcd accepts a future start revision and waits for it; so do we: nothing to replay, go live now. The
      // cursor stays at afterRevision, so publish() skips writes up to it and no progress is claimed before then.
      w.live = true;
      w.lastProgress = afterRevision;
    }
    queueMicrotask(() => this.catchUp(w, afterRevision));
    return {
      cancel: () => {
        w.done = true;
        this.watchers.delete(w);
      },
      // After the pending deliveries (microtasks) have run, report the cursor; a live watcher has seen every write.
      // Shared mode: after a tail, whose deliveries are queued before the report.
      requestProgress: () => {
        setImmediate(() => {
          this.refresh();
          queueMicrotask(() => {
            if (w.live && !w.done) this.progress(w, w.cursor);
          });
        });
      },
    };
  }

  /** Replays history in chunks until the watcher reaches the current revision, then switches it to live. */
  private catchUp(w: Watcher, afterRevision: number): void {
    if (w.done) return;
    if (w.live) return; // future start revision
    if (this.closed) return;
    if (w.cursor < this.compacted) {
      this.fail(w, new CompactedError(afterRevision, this.compacted));
      return;
    }
    let rows: HistoryRow[];
    try {
      rows = this.st.historyAfter.all(w.cursor, this.rev, w.prefix, w.end, this.replayChunk) as HistoryRow[];
    } catch (err) {
      this.fail(w, new StorageUnavailableError(`sqlite read failed: ${(err as Error).message}`, { cause: err }));
      return;
    }
    // Shared mode: another process may have compacted while we read; checked after the read, as in tail().
    if (this.shared && w.cursor < this.readCompacted()) {
      this.fail(w, new CompactedError(afterRevision, this.compacted));
      return;
    }
    const events = rows.map((r) => this.historyEvent(r));
    // Rows come filtered by prefix and ordered by revision, so every matching row up to the last one is read.
    if (rows.length > 0) w.cursor = rows[rows.length - 1].rev;
    if (rows.length < this.replayChunk) {
      // Everything up to this.rev has been read in this synchronous turn: hand over to live delivery.
      w.cursor = this.rev;
      w.live = true;
    }
    if (events.length > 0) this.deliver(w, events);
    if (w.live) {
      const rev = w.cursor;
      queueMicrotask(() => this.progress(w, rev));
    } else {
      setImmediate(() => this.catchUp(w, afterRevision));
    }
  }

  private historyEvent(r: HistoryRow): KVWatchEvent {
    const prev = this.st.prevOf.get(r.key, r.rev) as HistoryRow | undefined;
    const prevKv: KeyValue | undefined =
      prev && !prev.deleted
        ? { key: prev.key, value: prev.value, createRevision: prev.create_rev, modRevision: prev.rev }
        : undefined;
    if (r.deleted) {
      return { type: 'delete', kv: { key: r.key, value: EMPTY, createRevision: 0, modRevision: r.rev }, prevKv };
    }
    return {
      type: 'put',
      kv: { key: r.key, value: r.value, createRevision: r.create_rev, modRevision: r.rev },
      prevKv,
    };
  }

  private publish(ev: KVWatchEvent): void {
    const rev = ev.kv.modRevision;
    for (const w of this.watchers) {
      if (!w.live || rev <= w.cursor) continue;
      w.cursor = rev;
      if (w.matches(ev.kv.key)) this.deliver(w, [ev]);
    }
  }

  /** Queues events and flushes them in a microtask, coalescing bursts into one call. */
  private deliver(w: Watcher, events: KVWatchEvent[]): void {
    for (const e of events) w.pending.push(e);
    if (w.scheduled) return;
    w.scheduled = true;
    queueMicrotask(() => {
      w.scheduled = false;
      const batch = w.pending;
      w.pending = [];
      if (w.done || batch.length === 0) return;
      w.lastProgress = batch[batch.length - 1].kv.modRevision;
      try {
        w.handlers.onEvents(batch);
      } catch {
        // A throwing handler must not break other watchers or the store.
      }
    });
  }

  private progress(w: Watcher, rev: number): void {
    if (w.done || !w.handlers.onProgress || w.pending.length > 0) return;
    w.lastProgress = rev;
    try {
      w.handlers.onProgress(rev);
    } catch {
      // ignore handler errors
    }
  }

  private sendProgress(): void {
    for (const w of this.watchers) {
      if (w.live && w.cursor > w.lastProgress) this.progress(w, w.cursor);
    }
  }

  private fail(w: Watcher, err: Error): void {
    if (w.done) return;
    w.done = true;
    this.watchers.delete(w);
    queueMicrotask(() => w.handlers.onError(err));
  }

  /** EXPLAIN QUERY PLAN of the range/watch queries, for the test that guards against full-table scans. */
  explainPlans(): Record<string, string> {
    const plan = (sql: string, ...args: unknown[]) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    const src = (name: keyof ReturnType<SqliteKV['prepare']>) => this.st[name].source;
    return {
      rangeLatest: plan(src('rangeLatest'), 'a', 'b', 10),
      countLatest: plan(src('countLatest'), 'a', 'b'),
      rangeAt: plan(src('rangeAt'), 'a', 'b', 5, 10),
      countAt: plan(src('countAt'), 'a', 'b', 5),
      getAt: plan(src('getAt'), 'a', 5),
      prevOf: plan(src('prevOf'), 'a', 5),
      historyAfter: plan(src('historyAfter'), 1, 5, 'a', 'b', 10),
      historySince: plan(src('historySince'), 1, 10),
      expired: plan(src('expired'), 5),
    };
  }

  // ---- lifecycle ----

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.busyRetry);
    this.commitQueued(true); // writes already accepted are committed (waiting for the lock if need be), not dropped
    this.closed = true;
    clearInterval(this.sweepTimer);
    if (this.tailTimer) clearInterval(this.tailTimer);
    if (this.progressTimer) clearInterval(this.progressTimer);
    for (const w of this.watchers) w.done = true;
    this.watchers.clear();
    this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageUnavailableError('sqlite store is closed');
  }
}
