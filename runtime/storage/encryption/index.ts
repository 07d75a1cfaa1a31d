/**
 * Encryption at rest (`--encryption-provider-config`), as upstream's value transformers: what stands between the
 * object store and the KV backend. See transformers.ts for the stored byte layout, config.ts for the file format and
 * kv.ts for how it is applied to both backends.
 */
import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
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
  /** `--encryption-provider-config-automatic-reload`: pick up changes to the file without a restart. */
  automaticReload?: boolean;
  /** How often the file is checked when reloading automatically (default 2 s). */
  reloadIntervalMs?: number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** The KV the object store should use: `kv` itself, or `kv` behind the configured encryption. Throws on a bad file. */
export function withEncryptionAtRest(kv: KV, opts: EncryptionAtRestOptions): KV {
  if (!opts.configPath) return kv;
  const path = opts.configPath;
  const config = loadEncryptionConfig(path);
  opts.log?.info({ resources: config.resources }, 'encryption at rest is on');
  const encrypting = new EncryptingKV(kv, config, keyResolver(opts.etcdPrefix, opts.kinds));
  if (opts.automaticReload) {
    // As upstream's reload controller: a changed file that is valid replaces the config; an invalid one is logged
    // and the running config stays.
    const digest = (text: string) => createHash('sha256').update(text).digest('hex');
    let current = digest(readFileSync(path, 'utf8'));
    const check = () => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        opts.log?.error({ path, err: (e as Error).message }, 'encryption provider config: cannot read the file; keeping the running config');
        return;
      }
      const d = digest(text);
      if (d === current) return;
      try {
        const next = loadEncryptionConfig(path);
        encrypting.setConfig(next);
        current = d;
        opts.log?.info({ resources: next.resources }, 'encryption provider config reloaded');
      } catch (e) {
        current = d; // report a bad file once, not at every check
        opts.log?.error({ path, err: (e as Error).message }, 'encryption provider config: the new file is invalid; keeping the running config');
      }
    };
    watchFile(path, { interval: opts.reloadIntervalMs ?? 2000, persistent: false }, check);
    encrypting.onClose.push(() => unwatchFile(path, check));
  }
  return encrypting;
}
