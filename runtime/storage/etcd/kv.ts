/**
 * etcd v3 backend. The KV contract is etcd's own model, so this is a thin adapter. Range and Txn calls and Watch
 * streams, on every request's path, go over our own HTTP/2 connections to the member etcd3's pool picks
 * (unary-channel.ts, watch-channel.ts), their messages coded by messages.ts; the other calls (leases, compaction,
 * status) go through the `etcd3` npm client's pooled gRPC channels.
 *
 *  - Writes are single transactions: create = `if Create(key) == 0 then put else get`, update = `if Mod(key) ==
 *    rev then put else get`, delete = `if Mod(key) == rev (or Create(key) > 0) then delete(prev_kv) else get`.
 *  - TTLs are leases, shared between objects with similar TTLs (see LeaseManager) instead of one lease per object.
 *  - Watches use a raw gRPC Watch stream (one stream per KV watch) rather than etcd3's Watcher: that wrapper
 *    silently reconnects and resumes from the response *header* revision (which can skip history still being
 *    replayed), and drops `compact_revision` from compaction cancels (etcd 3.4 sends them with an empty
 *    cancel_reason). We need exact semantics: a broken stream is reported to the caller (who relists), and a
 *    compacted start revision becomes CompactedError.
 *  - Fail fast: every unary call has a deadline (default 3 s) and there is no circuit breaker (it would keep
 *    failing for seconds after etcd is back). etcd3's own retry policy is off because it also retries write
 *    transactions, which is unsafe (a create whose commit was applied but not acknowledged would come back as
 *    "already exists"); instead reads get one immediate retry on UNAVAILABLE (etcd3 has then reset the channel,
 *    which covers a connection that died while idle). Connection errors surface as StorageUnavailableError.
 *
 * Behaviour checked against etcd 3.4: the minimum lease TTL is 2 s (a 1 s TTL is rounded up by the server);
 * reads at a compacted/future revision fail with OUT_OF_RANGE and the mvcc message; a compacted watch gets a
 * `created` response followed by a cancel carrying `compact_revision`.
 */
import {
  Etcd3,
  GRPCUnavailableError,
  castGrpcError,
  isRecoverableError,
  type IOptions,
} from 'etcd3';
import type { ConnectionPool, Host } from 'etcd3/lib/connection-pool.js';
import { ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError, noop } from 'cockatiel';
import {
  CompactedError,
  FutureRevisionError,
  RequestTooLargeError,
  StorageUnavailableError,
  type KV,
  type KVWatch,
  type KVWatchEvent,
  type KVWatchHandlers,
  type KeyValue,
  type PrefixChanges,
  type RangeOptions,
  type RangeResult,
  type TxnResult,
} from '../kv.ts';
import {
  decodeRangeResponse,
  decodeTxnResponse,
  encodeRangeRequest,
  encodeTxnRequest,
  encodeWatchRequest,
  type EtcdKeyValue,
  type RangeRequest,
  type TxnRequest,
  type TxnResponse,
  type WatchResponse,
} from './messages.ts';
import { openUnaryChannel, type UnaryTransport } from './unary-channel.ts';
import { WatchChannel, type WatchStream, type WatchStreamHandler } from './watch-channel.ts';

interface Lease {
  id: string;
  /** Conservative local estimate: request start + granted TTL. */
  expiresAt: number;
}

/**
 * Shares leases between objects with the same TTL, like kube-apiserver's lease manager: a lease is granted for
 * `ttl + reuse` seconds (reuse = 5% of ttl, at most 60 s) and handed out while at least `ttl` seconds remain, so a
 * key lives between ttl and ttl + reuse seconds and a burst of events costs one lease, not one per object.
 */
export class LeaseManager {
  private readonly cache = new Map<number, { p: Promise<Lease>; lease?: Lease }>();

  constructor(private readonly grant: (ttlSeconds: number) => Promise<{ id: string; ttlSeconds: number }>) {}

  async leaseFor(ttlSeconds: number): Promise<string> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const cached = this.cache.get(ttl);
    if (cached) {
      const lease = await cached.p.catch(() => undefined);
      if (lease && lease.expiresAt - Date.now() >= ttl * 1000) return lease.id;
      // Someone else replaced the entry while we waited: use theirs.
      if (this.cache.get(ttl) !== cached) return this.leaseFor(ttl);
    }
    const reuse = Math.min(60, Math.floor(ttl * 0.05));
    const started = Date.now();
    const entry: { p: Promise<Lease>; lease?: Lease } = {
      p: this.grant(ttl + reuse).then((g) => {
        entry.lease = { id: g.id, expiresAt: started + g.ttlSeconds * 1000 };
        return entry.lease;
      }),
    };
    this.cache.set(ttl, entry);
    entry.p.catch(() => {
      if (this.cache.get(ttl) === entry) this.cache.delete(ttl);
    });
    if (this.cache.size > 64) this.dropExpired();
    return (await entry.p).id;
  }

  /** Stops handing out a lease etcd no longer knows. */
  forget(id: string): void {
    for (const [ttl, e] of this.cache) if (e.lease?.id === id) this.cache.delete(ttl);
  }

  clear(): void {
    this.cache.clear();
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [ttl, e] of this.cache) if (e.lease && e.lease.expiresAt <= now) this.cache.delete(ttl);
  }
}

export interface EtcdKVOptions {
  /** Client URLs, e.g. http://127.0.0.1:2379 */
  endpoints: string | string[];
  /** Deadline for each unary call (ms). Default 3000. */
  callTimeoutMs?: number;
  /** gRPC keepalive ping interval (ms), so a watch on a hung etcd fails. Default 10000 (etcd rejects < 5 s). */
  keepaliveMs?: number;
  /** For https endpoints: the CA bundle that signs etcd's serving certificates, and a client certificate. */
  tls?: EtcdTLS;
}

/** PEM contents (not paths), as `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile` name them. */
export interface EtcdTLS {
  /** Absent: the system's roots. */
  ca?: Buffer;
  /** Client certificate (chain) and its key, for an etcd that asks for one (`--client-cert-auth`). */
  cert?: Buffer;
  key?: Buffer;
}

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
const TOO_LARGE = 'etcdserver: request is too large';
/** etcd's gRPC limit on a request (--max-request-bytes plus 512 KiB), and Go's client's send limit: 2 MiB. */
const maxCallSendBytes = 2 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

const toKey = (k: string) => Buffer.from(k, 'utf8');

/** etcd's prefix range end: the prefix with its last byte incremented (trailing 0xff bytes dropped). */
export function prefixRangeEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix, 'utf8');
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 0xff) {
      const end = Buffer.from(b.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return Buffer.from([0]); // empty (or all-0xff) prefix: to the end of the keyspace
}

function toKv(kv: EtcdKeyValue): KeyValue {
  return { key: kv.key.toString('utf8'), value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision };
}

/** etcd3's client with its connection pool in reach, for the KV calls this backend encodes itself (messages.ts). */
class EtcdClient extends Etcd3 {
  constructor(options: IOptions) {
    super(options);
  }

  get connections(): ConnectionPool {
    return this.pool;
  }
}

/** The address etcd3's pool keeps a member under (its endpoint without the scheme; a field its types keep private). */
const memberAddress = (host: unknown): string => (host as { host: string }).host;

/**
 * A write etcd refused for its size: over --max-request-bytes (INVALID_ARGUMENT, etcd's own words), or over the
 * gRPC message limit above it (RESOURCE_EXHAUSTED), which kube-apiserver treats as too large as well and reports
 * in Go's gRPC wording. Checked before isUnavailable, which would take the latter for a lost connection.
 */
function tooLargeError(msg: string): RequestTooLargeError | undefined {
  if (msg.includes(TOO_LARGE)) return new RequestTooLargeError(TOO_LARGE);
  const exhausted = /RESOURCE_EXHAUSTED: (.*message larger than max.*)$/.exec(msg);
  if (exhausted) return new RequestTooLargeError(`rpc error: code = ResourceExhausted desc = ${exhausted[1]}`);
  return undefined;
}

/** Connection-level failures: etcd down, unreachable, too slow, or our client closed. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (isBrokenCircuitError(err) || isRecoverableError(err)) return true;
  return /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|ECONNRESET|Connection dropped|No connection established|client.*closed|closed client|etcdserver: (request timed out|no leader|leader changed|too many requests)/i.test(
    err.message,
  );
}

/**
 * A call that was never applied: no connection to the member, every member skipped for now, or etcd refused it
 * for want of a leader. Safe to send again.
 */
function neverSent(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return isBrokenCircuitError(err) || /No connection established|ECONNREFUSED|Connection pool has no hosts|etcdserver: no leader/i.test(err.message);
}

/** The member's connection failed (as opposed to etcd answering with an error). */
function connectionLost(err: unknown): boolean {
  return err instanceof Error && isRecoverableError(err) && /No connection established|ECONNREFUSED|ECONNRESET|Connection dropped/i.test(err.message);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One put: its key and value as sent, and the compare it is made on. */
interface PutWrite {
  key: string;
  k: Buffer;
  v: Buffer;
  target: 'Create' | 'Mod';
  expected: number;
  ttlSeconds: number | undefined;
}

/** A put's Txn: `w.v` at `w.k` under `lease` if the compare holds, else the key's current value. */
function putRequest(w: PutWrite, lease: string): TxnRequest {
  return {
    compare: [{ key: w.k, result: 'Equal', target: w.target, revision: w.expected }],
    success: [{ put: { key: w.k, value: w.v, lease, prevKv: true } }],
    failure: [{ range: { key: w.k } }],
  };
}

/** Whether an etcd server version orders requested progress notifications with events (see progressRequestsSupported). */
export function progressRequestsOrdered(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor > 5;
}

export class EtcdKV implements KV {
  readonly client: EtcdClient;
  private readonly callTimeoutMs: number;
  private readonly leases: LeaseManager;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;
  /** A lower bound for the compacted revision (it only grows), to start the search in compactedRevision(). */
  private knownCompacted = 0;
  private progressSupport?: Promise<boolean>;

  static async open(opts: EtcdKVOptions): Promise<EtcdKV> {
    return new EtcdKV(opts);
  }

  /** How many members the client knows: a failed call is retried on each of the others at most once. */
  private readonly endpoints: number;
  private readonly endpointUrls: string[];
  /** Range and Txn sessions, by member address. */
  private readonly channels = new Map<string, UnaryTransport>();
  /** Watch streams' connections, by member address. */
  private readonly watchChannels = new Map<string, WatchChannel>();
  private readonly keepaliveMs: number;
  private readonly pingTimeoutMs: number;
  private readonly tls?: EtcdTLS;

  constructor(opts: EtcdKVOptions) {
    this.endpointUrls = typeof opts.endpoints === 'string' ? [opts.endpoints] : opts.endpoints;
    this.endpoints = this.endpointUrls.length;
    const timeout = (this.callTimeoutMs = opts.callTimeoutMs ?? 3000);
    const keepalive = (this.keepaliveMs = opts.keepaliveMs ?? 10_000);
    this.pingTimeoutMs = Math.min(keepalive, 5000);
    this.tls = opts.tls;
    this.client = new EtcdClient({
      hosts: opts.endpoints,
      // grpc-js takes null roots for the system's.
      credentials: opts.tls && { rootCertificate: opts.tls.ca ?? (null as unknown as Buffer), certChain: opts.tls.cert, privateKey: opts.tls.key },
      dialTimeout: timeout,
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
      faultHandling: {
        // With several members, one that fails is skipped at once for the next second (then tried again), so
        // calls go to the others instead of failing for seconds; with one there is nowhere else to go.
        // Only a broken connection counts against a member: an election or a slow quorum is not its fault.
        host: () => (this.endpoints > 1 ? circuitBreaker(handleWhen(connectionLost), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(1) }) : noop),
        global: noop,
      },
      grpcOptions: {
        'grpc.keepalive_time_ms': keepalive,
        'grpc.keepalive_timeout_ms': Math.min(keepalive, 5000),
        // Pings only while a call or watch is open, as etcd's own client: etcd (PermitWithoutStream off) answers
        // pings on an idle connection with GOAWAY too_many_pings. Unary calls have deadlines of their own.
        'grpc.keepalive_permit_without_calls': 0,
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
      },
    });
    this.leases = new LeaseManager(async (ttl) => {
      const res = await this.client.leaseClient.leaseGrant({ TTL: ttl });
      return { id: res.ID, ttlSeconds: Number(res.TTL) };
    });
  }

  /**
   * One KV call to the member etcd3's pool picks (it skips a failing one), on our own HTTP/2 session to that member
   * (unary-channel.ts), with the messages encoded and decoded here rather than by etcd3's codec (see messages.ts).
   */
  private unary<Req, Res>(method: 'Range' | 'Txn', encode: (req: Req) => Uint8Array, decode: (bytes: Buffer) => Res, req: Req): Promise<Res> {
    const message = encode(req);
    const only = this.onlyMember;
    if (only) {
      try {
        return this.channelTo(memberAddress(only)).call(`/etcdserverpb.KV/${method}`, message, this.callTimeoutMs).then(decode, this.failedOnOnlyMember);
      } catch (err) {
        return this.failedOnOnlyMember(err as Error);
      }
    }
    return this.client.connections.withConnection('KV', async ({ resource }) => {
      try {
        return decode(await this.channelTo(memberAddress(resource)).call(`/etcdserverpb.KV/${method}`, message, this.callTimeoutMs));
      } catch (err) {
        throw castGrpcError(err as Error);
      }
    });
  }

  /**
   * The member, when the client knows one: the pool would pick it every time, its fault handling is a no-op and our
   * calls need none of its metadata, so a call goes straight to its channel (the pool's promise layers, generator
   * and cockatiel execution: ~3.4 KB and several microtasks per call). Undefined with several members.
   */
  private get onlyMember(): Host | undefined {
    if (this.endpoints !== 1) return undefined;
    return (this.soleHost ??= (this.client.connections as unknown as { hosts: Host[] }).hosts[0]);
  }

  private soleHost?: Host;

  /**
   * A failed call to the only member, as etcd3's pool reports it: typed, and the member's grpc-js clients (watches,
   * leases) reset when it is down. One function for every call, not a closure per call.
   */
  private readonly failedOnOnlyMember = (err: Error): Promise<never> => {
    const typed = castGrpcError(err);
    if (isRecoverableError(typed)) this.soleHost!.resetAllServices();
    return Promise.reject(typed);
  };

  /** The unary channel to a member, by the address etcd3's pool names it with (the endpoint without its scheme). */
  private channelTo(address: string): UnaryTransport {
    let channel = this.channels.get(address);
    if (!channel) {
      if (this.closed) throw new StorageUnavailableError('etcd client is closed');
      channel = openUnaryChannel(this.memberUrl(address), { pingTimeoutMs: this.pingTimeoutMs, tls: this.tls });
      this.channels.set(address, channel);
    }
    return channel;
  }

  /** As etcd3: one https endpoint makes every member's connection TLS. */
  private memberUrl(address: string): string {
    return `${this.endpointUrls.some((u) => u.startsWith('https:')) ? 'https' : 'http'}://${address}`;
  }

  /**
   * A Watch stream, `first` its first request, to the member etcd3's pool picks (it skips a failing one), on our
   * watch connection to that member (watch-channel.ts). A stream that ends tells the pool, which skips the member
   * for a while if its connection failed.
   */
  openWatchStream(first: Uint8Array, handler: WatchStreamHandler): Promise<WatchStream> {
    const pool = this.client.connections;
    return pool.withConnection('Watch', ({ resource }) =>
      this.watchChannelTo(memberAddress(resource)).open(first, {
        response: (res) => handler.response(res),
        end: (err) => {
          pool.markFailed(resource, err);
          handler.end(err);
        },
      }),
    );
  }

  private watchChannelTo(address: string): WatchChannel {
    let channel = this.watchChannels.get(address);
    if (!channel) {
      if (this.closed) throw new StorageUnavailableError('etcd client is closed');
      channel = new WatchChannel(this.memberUrl(address), { keepaliveMs: this.keepaliveMs, pingTimeoutMs: this.pingTimeoutMs, tls: this.tls });
      this.watchChannels.set(address, channel);
    }
    return channel;
  }

  private rangeCall(req: RangeRequest) {
    return this.unary('Range', encodeRangeRequest, decodeRangeResponse, req);
  }

  private txnCall(req: TxnRequest) {
    return this.unary('Txn', encodeTxnRequest, decodeTxnResponse, req);
  }

  // ---- reads ----

  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv?: KeyValue; revision: number }> {
    return this.read(async () => {
      const res = await this.rangeCall({ key: toKey(key), revision: opts.revision || 0 });
      return { kv: res.kvs[0] && toKv(res.kvs[0]), revision: opts.revision || res.revision };
    }, opts.revision);
  }

  async range(prefix: string, opts: RangeOptions & { fromKey?: string } = {}): Promise<RangeResult> {
    return this.read(async () => {
      const start = opts.fromKey !== undefined && opts.fromKey > prefix ? opts.fromKey : prefix;
      const res = await this.rangeCall({
        key: toKey(start),
        rangeEnd: prefixRangeEnd(prefix),
        revision: opts.revision || 0,
        limit: opts.limit && opts.limit > 0 ? opts.limit : 0,
      });
      return { kvs: res.kvs.map(toKv), count: res.count, revision: opts.revision || res.revision };
    }, opts.revision);
  }

  async changesSince(prefix: string, revision: number): Promise<PrefixChanges> {
    return this.read(async () => {
      // etcd counts the whole range before it filters by min_mod_revision, so `count` is every key under the prefix.
      const res = await this.rangeCall({ key: toKey(prefix), rangeEnd: prefixRangeEnd(prefix), keysOnly: true, minModRevision: revision + 1, limit: 1 });
      return { revision: res.revision, count: res.count, written: res.kvs.length > 0 };
    });
  }

  async currentRevision(): Promise<number> {
    return this.read(async () => {
      const res = await this.rangeCall({ key: Buffer.from([0]), countOnly: true });
      return res.revision;
    });
  }

  /**
   * etcd has no cheap "compacted revision" query, so binary-search the smallest revision a range can still read
   * at (a count-only read of one key, ~log2(revision) calls). 0 means nothing was ever compacted.
   */
  async compactedRevision(): Promise<number> {
    return this.read(async () => {
      const readable = async (rev: number) => {
        try {
          await this.rangeCall({ key: Buffer.from([0]), revision: rev, countOnly: true });
          return true;
        } catch (err) {
          if (err instanceof Error && err.message.includes(COMPACTED)) return false;
          throw err;
        }
      };
      let hi = await this.currentRevision();
      let lo = Math.max(1, this.knownCompacted);
      if (await readable(lo)) return lo === 1 ? 0 : lo;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (await readable(mid)) hi = mid;
        else lo = mid;
      }
      this.knownCompacted = Math.max(this.knownCompacted, hi);
      return hi;
    });
  }

  /**
   * Requested progress notifications are ordered with events from etcd 3.4.31 and 3.5.13 on (etcd-io/etcd#15220,
   * #17567), the versions kube-apiserver requires for consistent reads from its cache. Asked once per client.
   */
  async progressRequestsSupported(): Promise<boolean> {
    this.progressSupport ??= this.read(async () => {
      const res = await this.client.maintenance.status();
      return progressRequestsOrdered(res.version);
    }).catch((err) => {
      this.progressSupport = undefined; // ask again next time
      throw err;
    });
    return this.progressSupport;
  }

  async ping(): Promise<void> {
    await this.read(async () => {
      // A linearizable read: it needs a leader and a quorum, like kube-apiserver's etcd health check.
      await this.rangeCall({ key: toKey('health'), countOnly: true });
    });
  }

  // ---- writes ----

  create(key: string, value: Uint8Array, opts: { ttlSeconds?: number } = {}): Promise<TxnResult> {
    return this.put(key, value, 'Create', 0, opts.ttlSeconds);
  }

  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    opts: { ttlSeconds?: number } = {},
  ): Promise<TxnResult> {
    return this.put(key, value, 'Mod', expectedModRevision, opts.ttlSeconds);
  }

  /** On success `kv` is the value that was deleted and `revision` the deleting revision. */
  async delete(key: string, expectedModRevision?: number): Promise<TxnResult> {
    const k = toKey(key);
    return this.call(async () => {
      const res = await this.txnCall({
        compare: [
          expectedModRevision === undefined
            ? { key: k, result: 'Greater', target: 'Create', revision: 0 }
            : { key: k, result: 'Equal', target: 'Mod', revision: expectedModRevision },
        ],
        success: [{ deleteRange: { key: k, prevKv: true } }],
        failure: [{ range: { key: k } }],
      });
      const revision = res.revision;
      if (!res.succeeded) return this.failed(revision, res.responses[0]?.range?.kvs);
      const prev = res.responses[0].deletePrevKvs![0];
      return { succeeded: true, revision, kv: toKv(prev) };
    });
  }

  private put(
    key: string,
    value: Uint8Array,
    target: 'Create' | 'Mod',
    expected: number,
    ttlSeconds: number | undefined,
  ): Promise<TxnResult> {
    const k = toKey(key);
    const v = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    // Refused here rather than by etcd's gRPC server, whose refusal the client takes for a broken connection and
    // answers by reopening it (ending every watch on it), as Go's client refuses above its send limit.
    const size = k.length + v.length;
    if (size > maxCallSendBytes) return Promise.reject(new RequestTooLargeError(`rpc error: code = ResourceExhausted desc = trying to send message larger than max (${size} vs. ${maxCallSendBytes})`));
    const w: PutWrite = { key, k, v, target, expected, ttlSeconds };
    if (ttlSeconds && ttlSeconds > 0) return this.call(() => this.putAttempts(w, false, 0));
    if (this.closed) return Promise.reject(new StorageUnavailableError('etcd client is closed'));
    // Nearly every write: no lease, answered at once. One promise chain, not the retrying loop's async frame and
    // closure (~1.1 KB per write); a failure goes on as that loop and call() would have gone on.
    return this.txnCall(putRequest(w, '0')).then(
      (res) => this.putAnswer(w, res, false),
      (err: unknown) => this.putFailed(w, err),
    );
  }

  /** After a lease-free put's first attempt failed: as call() around putAttempts would have continued. */
  private putFailed(w: PutWrite, err: unknown): Promise<TxnResult> {
    const again = () => this.putAttempts(w, false, 0);
    if (!this.ambiguousRetry(err, 0)) return this.recover(err, again, undefined, neverSent);
    return pause(0)
      .then(() => this.putAttempts(w, true, 1))
      .catch((last: unknown) => this.recover(last, again, undefined, neverSent));
  }

  /** Whether a write whose outcome was lost with its member is sent again elsewhere (see putAttempts). */
  private ambiguousRetry(err: unknown, retries: number): boolean {
    return retries < 3 && this.endpoints > 1 && isUnavailable(err) && !neverSent(err) && !this.closed;
  }

  /** A put's attempts from `retries` on: a lease per TTL, and the ambiguous retries a lost member calls for. */
  private async putAttempts(w: PutWrite, ambiguous: boolean, retries: number): Promise<TxnResult> {
    for (let attempt = 0; ; attempt++) {
      const lease = w.ttlSeconds && w.ttlSeconds > 0 ? await this.leases.leaseFor(w.ttlSeconds) : '0';
      try {
        return this.putAnswer(w, await this.txnCall(putRequest(w, lease)), ambiguous);
      } catch (err) {
        // A cached lease can vanish (revoked, or expired while etcd was down): forget it and grant a new one.
        if (lease !== '0' && attempt === 0 && err instanceof Error && /lease not found/.test(err.message)) {
          this.leases.forget(lease);
          continue;
        }
        // The member went away with our write in flight: ask again, elsewhere; the compare tells whether the
        // first one was applied (see putAnswer), so it is never applied twice.
        if (this.ambiguousRetry(err, retries)) {
          ambiguous = true;
          await pause(200 * retries++);
          continue;
        }
        throw err;
      }
    }
  }

  /** A put's Txn answer as the store's result; `ambiguous`: an earlier attempt's outcome was lost. */
  private putAnswer(w: PutWrite, res: TxnResponse, ambiguous: boolean): TxnResult {
    const revision = res.revision;
    if (!res.succeeded) {
      const current = res.responses[0]?.range?.kvs[0];
      // After an attempt whose outcome was lost, finding exactly our bytes newer than what we compared
      // against means that attempt was applied (each stored object carries its own uid and times).
      if (ambiguous && current && w.v.equals(current.value) && current.modRevision > (w.target === 'Mod' ? w.expected : 0)) {
        return { succeeded: true, revision: current.modRevision, kv: toKv(current) };
      }
      return this.failed(revision, res.responses[0]?.range?.kvs);
    }
    const prev = res.responses[0].putPrevKv;
    const createRevision = prev ? prev.createRevision : revision;
    return { succeeded: true, revision, kv: { key: w.key, value: w.v, createRevision, modRevision: revision } };
  }

  private failed(revision: number, kvs: EtcdKeyValue[] | undefined): TxnResult {
    const cur = kvs?.[0];
    return { succeeded: false, revision, current: cur && toKv(cur) };
  }

  async compact(revision: number): Promise<void> {
    await this.call(async () => {
      try {
        await this.client.kv.compact({ revision, physical: false });
        this.knownCompacted = Math.max(this.knownCompacted, revision);
      } catch (err) {
        // Compacting at or below the current compacted revision is a no-op for us, as in the SQLite backend.
        if (err instanceof Error && err.message.includes(COMPACTED)) return;
        throw err;
      }
    }, revision);
  }

  // ---- watches ----

  watch(prefix: string, afterRevision: number, handlers: KVWatchHandlers): KVWatch {
    if (this.closed) throw new StorageUnavailableError('etcd client is closed');
    const w = new EtcdWatch(this, prefix, afterRevision, handlers, (x) => this.watches.delete(x));
    this.watches.add(w);
    w.start();
    return { cancel: () => w.cancel(), requestProgress: () => w.requestProgress() };
  }

  /** Error mapping shared with EtcdWatch. */
  async mapError(err: unknown, requested?: number): Promise<Error> {
    if (err instanceof CompactedError || err instanceof FutureRevisionError || err instanceof StorageUnavailableError || err instanceof RequestTooLargeError) {
      return err;
    }
    const msg = err instanceof Error ? err.message : String(err);
    const tooLarge = tooLargeError(msg);
    if (tooLarge) return tooLarge;
    if (msg.includes(COMPACTED)) {
      const compacted = await this.compactedRevision().catch(() => this.knownCompacted);
      return new CompactedError(requested ?? 0, compacted);
    }
    if (msg.includes(FUTURE)) {
      const current = await this.currentRevision().catch(() => 0);
      return new FutureRevisionError(requested ?? 0, current);
    }
    if (this.closed || isUnavailable(err)) {
      return new StorageUnavailableError(`etcd unavailable: ${msg}`, { cause: err });
    }
    return err instanceof Error ? err : new Error(msg);
  }

  /**
   * A write, sent again on another member only when it certainly never reached the first: its connection was
   * never established. A write that may have been applied is not repeated (its outcome is unknown: the caller
   * gets the error), as etcd's own clients do.
   */
  private call<T>(fn: () => Promise<T>, requestedRevision?: number, retriable: (err: unknown) => boolean = neverSent): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('etcd client is closed'));
    // The first attempt outside the retry loop: nearly every call succeeds at once, and each async layer between the
    // caller and etcd's answer costs a write a few microtasks.
    return fn().catch((err: unknown) => this.recover(err, fn, requestedRevision, retriable));
  }

  /** After a call's first attempt failed: the next ones (see failover), then the error as the store reports it. */
  private async recover<T>(err: unknown, fn: () => Promise<T>, requestedRevision: number | undefined, retriable: (err: unknown) => boolean): Promise<T> {
    try {
      return await this.failover(fn, retriable, err);
    } catch (last) {
      throw await this.mapError(last, requestedRevision);
    }
  }

  /** For reads: sent again on another member whenever the channel was unavailable (never after a deadline). */
  private async read<T>(fn: () => Promise<T>, requestedRevision?: number): Promise<T> {
    return this.call(fn, requestedRevision, (err) => err instanceof GRPCUnavailableError || neverSent(err));
  }

  /**
   * After the first attempt failed with `firstError`: sends again, after 0, 100, 200, ... ms, while `retriable` says the failure allows it and there are members to
   * try (each at most twice): long enough to ride out an election, short of the request's own timeout.
   */
  private async failover<T>(fn: () => Promise<T>, retriable: (err: unknown) => boolean, firstError: unknown): Promise<T> {
    let err = firstError;
    for (let failed = 0; ; failed++) {
      if (this.closed || failed >= this.endpoints * 2 || !retriable(err)) throw err;
      if (failed > 0) await pause(100 * failed);
      try {
        return await fn();
      } catch (e) {
        err = e;
      }
    }
  }

  // ---- lifecycle ----

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watches) w.cancel();
    this.watches.clear();
    this.leases.clear();
    for (const channel of [...this.channels.values(), ...this.watchChannels.values()]) channel.close();
    this.channels.clear();
    this.watchChannels.clear();
    this.client.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** One KV watch = one gRPC Watch stream with one etcd watcher on it. */
class EtcdWatch implements WatchStreamHandler {
  private stream?: WatchStream;
  private done = false;

  constructor(
    private readonly kv: EtcdKV,
    private readonly prefix: string,
    private readonly afterRevision: number,
    private readonly handlers: KVWatchHandlers,
    private readonly onDone: (w: EtcdWatch) => void,
  ) {}

  start(): void {
    const create = encodeWatchRequest({
      key: toKey(this.prefix),
      rangeEnd: prefixRangeEnd(this.prefix),
      startRevision: this.afterRevision + 1,
      prevKv: true,
      progressNotify: true,
    });
    this.kv.openWatchStream(create, this).then(
      (stream) => {
        if (this.done) return stream.cancel();
        this.stream = stream;
      },
      (err) => this.fail(err),
    );
  }

  response(res: WatchResponse): void {
    this.onResponse(res);
  }

  end(err: Error): void {
    this.fail(err);
  }

  private onResponse(res: WatchResponse): void {
    if (this.done) return;
    if (res.canceled) {
      const compactRev = res.compactRevision;
      if (compactRev > 0) {
        this.fail(new CompactedError(this.afterRevision, compactRev));
      } else {
        this.fail(new StorageUnavailableError(`etcd canceled the watch: ${res.cancelReason || 'no reason given'}`));
      }
      return;
    }
    if (res.created) return;
    if (res.events.length === 0) {
      // Progress notification: everything up to header.revision has been sent.
      try {
        this.handlers.onProgress?.(res.revision);
      } catch {
        // handler errors must not kill the stream
      }
      return;
    }
    const events: KVWatchEvent[] = res.events.map((e) => {
      const prevKv = e.prevKv ? toKv(e.prevKv) : undefined;
      if (e.type === 'Delete') {
        return {
          type: 'delete',
          kv: { key: e.kv.key.toString('utf8'), value: EMPTY, createRevision: 0, modRevision: e.kv.modRevision },
          prevKv,
        };
      }
      return { type: 'put', kv: toKv(e.kv), prevKv };
    });
    try {
      this.handlers.onEvents(events);
    } catch {
      // handler errors must not kill the stream
    }
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.finish();
    if (this.kv.isClosed) return;
    void this.kv.mapError(err, this.afterRevision).then((mapped) => {
      // A watch that breaks for any reason other than compaction means "relist and re-watch".
      const out =
        mapped instanceof CompactedError || mapped instanceof StorageUnavailableError
          ? mapped
          : new StorageUnavailableError(`etcd watch failed: ${mapped.message}`, { cause: err });
      this.handlers.onError(out);
    });
  }

  private finish(): void {
    this.done = true;
    this.onDone(this);
    this.stream?.cancel();
  }

  cancel(): void {
    if (this.done) return;
    this.finish();
  }

  /** etcd answers with an empty response whose header revision is the store revision, once this watcher is synced. */
  requestProgress(): void {
    if (!this.done) this.stream?.send(encodeWatchRequest());
  }
}
