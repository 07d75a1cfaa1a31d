/**
 * Encryption at rest (`--encryption-provider-config`), as upstream's value transformers: what stands between the
 * object store and the KV backend. See transformers.ts for the stored byte layout, config.ts for the file format and
 * kv.ts for how it is applied to both backends.
 */
import type { KV } from '../kv.ts';
import { loadEncryptionConfig } from './config.ts';
import { EncryptingKV, keyResolver, type GroupResource } from './kv.ts';

export { loadEncryptionConfig, parseEncryptionConfig, type EncryptionConfig } from './config.ts';
export { EncryptingKV, keyResolver } from './kv.ts';

export interface EncryptionAtRestOptions {
  /** `--encryption-provider-config`; absent: values are stored as they are. */
  configPath?: string;
  etcdPrefix: string;
  /** The served group resources (asked lazily, so kinds added later are found). */
  kinds: () => Iterable<GroupResource>;
  log?: { info(obj: object, msg: string): void };
}

/** The KV the object store should use: `kv` itself, or `kv` behind the configured encryption. Throws on a bad file. */
export function withEncryptionAtRest(kv: KV, opts: EncryptionAtRestOptions): KV {
  if (!opts.configPath) return kv;
  const config = loadEncryptionConfig(opts.configPath);
  opts.log?.info({ resources: config.resources }, 'encryption at rest is on');
  return new EncryptingKV(kv, config, keyResolver(opts.etcdPrefix, opts.kinds));
}
