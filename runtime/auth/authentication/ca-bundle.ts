/**
 * CA bundles that follow their file on disk: `--client-ca-file` and `--requestheader-client-ca-file` are re-read
 * when the file changes (polled by mtime/size, which also catches an atomic rename), so a rotated CA takes effect
 * without a restart, as upstream's dynamic CA content providers do. A file that stops parsing keeps the last good
 * bundle and logs why.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from 'pino';
import { certificateBlocks } from '../../certificates/pem.ts';

export interface CABundleContent {
  /** The PEM text as read (what TLS advertises as acceptable client CAs). */
  pem: string;
  certs: X509Certificate[];
  /** Changes whenever the content does: verification caches key on it. */
  generation: number;
}

export interface CABundle {
  readonly name: string;
  current(): CABundleContent;
  /** Called after every successful reload. */
  onChange(listener: () => void): void;
  close(): void;
}

/**
 * Parses a PEM bundle as cert.ParseCertsPEM picks its blocks (what lies between them is skipped); throws when it holds
 * no certificate or one that does not parse.
 */
export function parseCABundle(pem: string, source: string): X509Certificate[] {
  const blocks = certificateBlocks(pem);
  if (blocks.length === 0) throw new Error(`${source}: no PEM certificate found`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block.bytes);
    } catch (e) {
      throw new Error(`${source}: certificate ${i + 1} does not parse: ${(e as Error).message}`);
    }
  });
}

let generations = 0;

/** A bundle fixed at start-up (tests, or material that is not on disk). */
export function staticCABundle(name: string, pem: string): CABundle {
  const content = { pem, certs: parseCABundle(pem, name), generation: ++generations };
  return { name, current: () => content, onChange: () => {}, close: () => {} };
}

/**
 * A bundle read from `path` now (a bad file fails start-up) and again whenever the file changes.
 * `intervalMs`: how often the file's metadata is checked.
 */
export function fileCABundle(path: string, opts: { log?: Logger; intervalMs?: number } = {}): CABundle {
  const read = (): CABundleContent => {
    const pem = readFileSync(path, 'utf8');
    return { pem, certs: parseCABundle(pem, path), generation: ++generations };
  };
  let content = read();
  const listeners: Array<() => void> = [];
  const changed = (now: Stats, before: Stats) => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size && now.ino === before.ino) return;
    if (now.nlink === 0 && now.size === 0) return; // removed: keep serving the last bundle until it comes back
    try {
      const next = read();
      if (next.pem === content.pem) return;
      content = next;
      opts.log?.info({ path, certificates: next.certs.length }, 'CA bundle reloaded');
      for (const l of listeners) l();
    } catch (e) {
      opts.log?.error({ path, err: (e as Error).message }, 'CA bundle changed but cannot be used; keeping the previous one');
    }
  };
  watchFile(path, { interval: opts.intervalMs ?? 1000, persistent: false }, changed);
  return {
    name: path,
    current: () => content,
    onChange: (l) => listeners.push(l),
    close: () => unwatchFile(path, changed),
  };
}
