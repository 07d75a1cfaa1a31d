/**
 * Several kube-ts replicas on one etcd cluster, as an operator would run them behind a load balancer: the first
 * one makes the certificates and service-account keys, the others start from a copy of its `pki/` (one CA, one
 * signing key), each with its own data dir and port. `ReplicaClient` is the load balancer plus a client that
 * retries: a request that fails on one replica (connection refused or reset, 429, 5xx) goes to the next.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './server.ts';

export interface Replicas {
  servers: TestServer[];
  /** Stops every replica still running and removes the data dirs. */
  stop(): Promise<void>;
}

/** Starts `count` replicas on `etcdEndpoints`; `logLevel` sets their LOG_LEVEL (e.g. `info` to see leader changes). */
export async function startReplicas(count: number, etcdEndpoints: string[], opts: { args?: string[]; logLevel?: string } = {}): Promise<Replicas> {
  const args = ['--etcd-servers', etcdEndpoints.join(','), ...(opts.args ?? [])];
  const dataDirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'kube-ts-replica-')));
  const level = process.env.LOG_LEVEL;
  if (opts.logLevel) process.env.LOG_LEVEL = opts.logLevel;
  const servers: TestServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await startServer({ args, dataDir: dataDirs[0] }));
    for (const dir of dataDirs.slice(1)) cpSync(join(dataDirs[0], 'pki'), join(dir, 'pki'), { recursive: true });
    // Every start awaited, and each one that succeeded kept: when one fails, the others are stopped below.
    const rest = await Promise.allSettled(dataDirs.slice(1).map((dataDir) => startServer({ args, dataDir })));
    for (const r of rest) if (r.status === 'fulfilled') servers.push(r.value);
    for (const r of rest) if (r.status === 'rejected') throw r.reason;
  } catch (err) {
    await stop();
    throw err;
  } finally {
    // Unset stays unset (assigning undefined would set the string "undefined").
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  }
  return { servers, stop };
}

export type Response = Awaited<ReturnType<TestServer['request']>>;

/** Whether a replica failed the request in a way that another replica may well not: worth sending it there. */
function worthRetrying(r: Response | Error): boolean {
  return r instanceof Error || r.status === 429 || r.status >= 500;
}

export class ReplicaClient {
  private next = 0;
  /** Requests sent again to another replica, and why. */
  readonly retries: string[] = [];

  constructor(private readonly servers: TestServer[], private readonly opts: { attempts?: number; pauseMs?: number } = {}) {}

  /**
   * Sends the request to the replicas in turn until one answers it (any status but 429 or 5xx); `retried` says
   * whether an earlier attempt may have reached the store (a create answered 409 then may be our own).
   */
  async request(method: string, path: string, body?: unknown): Promise<Response & { retried: boolean }> {
    const attempts = this.opts.attempts ?? 30;
    let last: Response | Error = new Error('not sent');
    for (let attempt = 0; attempt < attempts; attempt++) {
      const server = this.servers[this.next++ % this.servers.length];
      last = await server.request(method, path, body).catch((e: Error) => e);
      if (!worthRetrying(last)) return { ...(last as Response), retried: attempt > 0 };
      this.retries.push(`${method} ${path} on :${server.port}: ${last instanceof Error ? last.message : `${last.status} ${last.text.slice(0, 120)}`}`);
      await new Promise((r) => setTimeout(r, Math.min(2000, (this.opts.pauseMs ?? 100) * (attempt + 1))));
    }
    throw new Error(`${method} ${path} failed on every replica ${attempts} times; last: ${last instanceof Error ? last.message : `${last.status} ${last.text}`}`);
  }
}
