/**
 * The webhook backend (`--audit-webhook-config-file`, a kubeconfig naming the remote server): events are POSTed as an
 * audit.k8s.io/v1 EventList in batches, as upstream's batch mode. A batch goes out when it reaches
 * `--audit-webhook-batch-max-size` (400) events or `--audit-webhook-batch-max-wait` (30 s) after its first event;
 * failures (network errors, 429, 5xx) are retried with exponential backoff from `--audit-webhook-initial-backoff`
 * (10 s, factor 1.5, 5 attempts). Nothing here is awaited by a request: a slow or unreachable webhook only fills the
 * buffer (`--audit-webhook-batch-buffer-size`), beyond which events are dropped with a log line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { reportDropped, type AuditBackend, type BackendLogger } from './backend.ts';

export interface WebhookBackendOptions {
  configFile: string;
  /** 'batch' (default), or 'blocking' / 'blocking-strict': each event sent at once (still never awaited by requests). */
  mode: 'batch' | 'blocking' | 'blocking-strict';
  bufferSize: number;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  initialBackoffMs: number;
  log: BackendLogger;
}

interface WebhookTarget {
  url: URL;
  agent?: Agent;
  headers: Record<string, string>;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fileOrData(base: string, obj: Json, field: string): Buffer | undefined {
  if (typeof obj[`${field}-data`] === 'string' && obj[`${field}-data`]) return Buffer.from(obj[`${field}-data`], 'base64');
  if (typeof obj[field] === 'string' && obj[field]) return readFileSync(resolve(base, obj[field]));
  return undefined;
}

/** Reads the kubeconfig: the current context's (or the first) cluster and user. Throws naming what is missing. */
export function loadWebhookKubeconfig(path: string): WebhookTarget {
  let doc: Json;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read webhook kubeconfig "${path}": ${(e as Error).message}`);
  }
  const byName = (list: unknown, name: string | undefined) => (Array.isArray(list) ? (list.find((x: Json) => x?.name === name) ?? (name ? undefined : list[0])) : undefined);
  const ctx = byName(doc?.contexts, doc?.['current-context'])?.context ?? {};
  const cluster = (byName(doc?.clusters, ctx.cluster) ?? (Array.isArray(doc?.clusters) ? doc.clusters[0] : undefined))?.cluster;
  const user = (byName(doc?.users, ctx.user) ?? (Array.isArray(doc?.users) ? doc.users[0] : undefined))?.user ?? {};
  if (!cluster?.server) throw new Error(`webhook kubeconfig "${path}" names no cluster server`);
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new Error(`webhook kubeconfig "${path}": invalid server URL "${cluster.server}"`);
  }
  const base = dirname(path);
  const headers: Record<string, string> = {};
  const token = user.token ?? (user.tokenFile ? readFileSync(resolve(base, user.tokenFile), 'utf8').trim() : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user.username) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  const agent =
    url.protocol === 'https:'
      ? new Agent({
          keepAlive: true,
          ca: fileOrData(base, cluster, 'certificate-authority'),
          cert: fileOrData(base, user, 'client-certificate'),
          key: fileOrData(base, user, 'client-key'),
          rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
          servername: cluster['tls-server-name'] || undefined,
        })
      : undefined;
  return { url, agent, headers };
}

/** One POST; resolves with the status code, rejects on network errors and the 30 s timeout. */
function post(target: WebhookTarget, body: string): Promise<number> {
  return new Promise((resolvePost, reject) => {
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { ...target.headers, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePost(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout awaiting the webhook response')));
    req.on('error', reject);
    req.end(body);
  });
}

const maxConcurrentSends = 4;
const attempts = 5;

export class WebhookBackend implements AuditBackend {
  readonly name = 'webhook';
  private queue: string[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private readonly sends = new Set<Promise<void>>();
  private dropped = 0;
  private stopping = false;
  private readonly target: WebhookTarget;

  constructor(private readonly opts: WebhookBackendOptions) {
    this.target = loadWebhookKubeconfig(opts.configFile);
  }

  private get batchSize(): number {
    return this.opts.mode === 'batch' ? Math.max(this.opts.batchMaxSize, 1) : 1;
  }

  processEvents(lines: string[]): void {
    const room = Math.max(this.opts.bufferSize - this.queue.length, 0);
    if (room < lines.length) {
      this.dropped = reportDropped('webhook', this.dropped, lines.length - room, this.opts.log);
      lines = lines.slice(0, room);
    }
    for (const l of lines) this.queue.push(l);
    this.pump();
  }

  /** Starts sends for full batches; a partial batch waits for max-wait (started by its first event). */
  private pump(): void {
    while (this.inFlight < maxConcurrentSends && (this.queue.length >= this.batchSize || (this.stopping && this.queue.length))) this.sendBatch();
    if (this.queue.length && !this.timer && !this.stopping) {
      const wait = this.opts.mode === 'batch' ? this.opts.batchMaxWaitMs : 0;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.inFlight < maxConcurrentSends && this.queue.length) this.sendBatch();
        this.pump();
      }, wait);
      this.timer.unref();
    }
  }

  private sendBatch(): void {
    const batch = this.queue.splice(0, this.batchSize);
    if (!this.queue.length && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const body = `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[${batch.join(',')}]}`;
    this.inFlight++;
    const p = this.deliver(body, batch.length).finally(() => {
      this.inFlight--;
      this.sends.delete(p);
      this.pump();
    });
    this.sends.add(p);
  }

  private async deliver(body: string, count: number): Promise<void> {
    let delay = this.opts.initialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const code = await post(this.target, body);
        if (code >= 200 && code < 300) return;
        problem = `the webhook answered ${code}`;
        if (code !== 429 && code < 500) attempt = attempts; // refused: retrying would not help
      } catch (e) {
        problem = (e as Error).message;
      }
      if (attempt >= attempts || this.stopping) {
        this.opts.log.error({ url: this.target.url.href }, `Error in audit plugin 'webhook' affecting ${count} audit events: ${problem}`);
        return;
      }
      await new Promise((r) => setTimeout(r, delay * (0.8 + Math.random() * 0.4)).unref());
      delay *= 1.5;
    }
  }

  /** Sends what is buffered and waits (at most `timeoutMs`) for sends in flight; retries stop. */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length || this.sends.size) && Date.now() < deadline) {
      this.pump();
      if (this.sends.size) await Promise.race([Promise.race(this.sends), new Promise((r) => setTimeout(r, deadline - Date.now()).unref())]);
    }
    this.target.agent?.destroy();
  }
}
