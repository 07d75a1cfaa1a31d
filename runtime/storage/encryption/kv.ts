/**
 * Encryption at rest as a KV decorator: values are encrypted on their way into the backend and decrypted on their way
 * out (reads, ranges, watch events), so the object store, the watch cache and both backends (SQLite, etcd) share one
 * implementation and never see ciphertext. Which transformer applies is decided per key: the key names the resource
 * (`<prefix>/secrets/ns/name`, `<prefix>/<group>/<resource>/...`).
 *
 * A value that cannot be decrypted is not an exception here: it comes back with `transformError` set, so the layer
 * that decodes it reports it for that key (a 500 for the request, an error entry in the watch cache) and the server
 * keeps running. A value read with other than the write provider comes back `stale`, so an update rewrites it even
 * when nothing changed (how `kubectl replace` rotates keys).
 */
import { specialResourceOfKey } from '../resource-prefixes.ts';
import type { KV, KeyValue, KVWatch, KVWatchEvent, KVWatchHandlers, RangeOptions, RangeResult, TxnResult } from '../kv.ts';
import type { EncryptionConfig } from './config.ts';
import { identityTransformer, type Transformer } from './transformers.ts';

export interface GroupResource {
  group: string;
  resource: string;
}

/**
 * Maps a storage key to the resource it belongs to, from the served kinds: `<prefix>/<group>/<resource>/...` when that
 * group serves that resource (names shared by several groups, custom resources), else `<prefix>/<resource>/...` with
 * the core group preferred. Answers are cached per key prefix; unknown prefixes are asked again (kinds can be added).
 */
export function keyResolver(etcdPrefix: string, kinds: () => Iterable<GroupResource>): (key: string) => GroupResource | undefined {
  const base = etcdPrefix.endsWith('/') ? etcdPrefix : etcdPrefix + '/';
  const cache = new Map<string, GroupResource>();
  return (key) => {
    if (!key.startsWith(base)) return undefined;
    const rest = key.slice(base.length);
    const special = specialResourceOfKey(rest); // minions, services/specs, ... (upstream's names)
    if (special) return special;
    const first = rest.indexOf('/');
    const a = first < 0 ? rest : rest.slice(0, first);
    const second = first < 0 ? -1 : rest.indexOf('/', first + 1);
    const b = first < 0 ? '' : second < 0 ? rest.slice(first + 1) : rest.slice(first + 1, second);
    const hit = cache.get(`${a}/${b}`) ?? cache.get(a);
    if (hit) return hit;
    let qualified: GroupResource | undefined;
    let plain: GroupResource | undefined;
    for (const k of kinds()) {
      if (b && k.group === a && k.resource === b) qualified = { group: k.group, resource: k.resource };
      if (k.resource === a && (!plain || k.group === '')) plain = { group: k.group, resource: k.resource };
    }
    if (qualified) cache.set(`${a}/${b}`, qualified);
    else if (plain) cache.set(a, plain);
    return qualified ?? plain;
  };
}

/** A KV whose values are encrypted at rest according to `config`. */
export class EncryptingKV implements KV {
  private readonly transformers = new Map<string, Transformer>();
  /** Run on close (the config file watcher of --encryption-provider-config-automatic-reload). */
  readonly onClose: (() => void)[] = [];

  readonly revisionNow?: () => number;

  constructor(
    private readonly inner: KV,
    private config: EncryptionConfig,
    private readonly resolve: (key: string) => GroupResource | undefined,
  ) {
    if (inner.revisionNow) this.revisionNow = () => inner.revisionNow!();
  }

  /** Switches to a new config (automatic reload): later reads and writes use it. */
  setConfig(config: EncryptionConfig): void {
    this.config = config;
    this.transformers.clear();
  }

  private transformerFor(key: string): Transformer {
    const gr = this.resolve(key);
    if (!gr) return identityTransformer;
    const id = `${gr.group}/${gr.resource}`;
    let t = this.transformers.get(id);
    if (!t) {
      t = this.config.transformerFor(gr.group, gr.resource) ?? identityTransformer;
      this.transformers.set(id, t);
    }
    return t;
  }

  private encrypt(key: string, value: Uint8Array): Uint8Array {
    return this.transformerFor(key).toStorage(value, key);
  }

  private decrypt(kv: KeyValue): KeyValue;
  private decrypt(kv: KeyValue | undefined): KeyValue | undefined;
  private decrypt(kv: KeyValue | undefined): KeyValue | undefined {
    if (!kv || kv.value.length === 0) return kv;
    try {
      const { data, stale } = this.transformerFor(kv.key).fromStorage(kv.value, kv.key);
      return stale ? { ...kv, value: data, stale } : { ...kv, value: data };
    } catch (e) {
      return { ...kv, transformError: (e as Error).message };
    }
  }

  private decryptTxn(res: TxnResult): TxnResult {
    return res.succeeded ? { ...res, kv: this.decrypt(res.kv) } : { ...res, current: this.decrypt(res.current) };
  }

  async get(key: string, opts?: { revision?: number }): Promise<{ kv?: KeyValue; revision: number }> {
    const res = await this.inner.get(key, opts);
    return { ...res, kv: this.decrypt(res.kv) };
  }

  async range(prefix: string, opts?: RangeOptions & { fromKey?: string }): Promise<RangeResult> {
    const res = await this.inner.range(prefix, opts);
    return { ...res, kvs: res.kvs.map((kv) => this.decrypt(kv)) };
  }

  async create(key: string, value: Uint8Array, opts?: { ttlSeconds?: number }): Promise<TxnResult> {
    const res = await this.inner.create(key, this.encrypt(key, value), opts);
    // The caller decodes what it wrote: hand back its plaintext rather than decrypting our own ciphertext.
    return res.succeeded ? { ...res, kv: { ...res.kv, value } } : { ...res, current: this.decrypt(res.current) };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts?: { ttlSeconds?: number }): Promise<TxnResult> {
    const res = await this.inner.update(key, this.encrypt(key, value), expectedModRevision, opts);
    return res.succeeded ? { ...res, kv: { ...res.kv, value } } : { ...res, current: this.decrypt(res.current) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<TxnResult> {
    return this.decryptTxn(await this.inner.delete(key, expectedModRevision));
  }

  watch(prefix: string, afterRevision: number, handlers: KVWatchHandlers): KVWatch {
    return this.inner.watch(prefix, afterRevision, {
      onEvents: (events: KVWatchEvent[]) =>
        handlers.onEvents(events.map((ev) => ({ type: ev.type, kv: this.decrypt(ev.kv), ...(ev.prevKv ? { prevKv: this.decrypt(ev.prevKv) } : {}) }))),
      onProgress: handlers.onProgress ? (rev) => handlers.onProgress!(rev) : undefined,
      onError: (err) => handlers.onError(err),
    });
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }

  progressRequestsSupported(): Promise<boolean> {
    return this.inner.progressRequestsSupported();
  }

  // Keys are not encrypted, so the inner store answers as it is.
  get changesSince(): KV['changesSince'] {
    return this.inner.changesSince?.bind(this.inner);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    for (const f of this.onClose.splice(0)) f();
    return this.inner.close();
  }
}
