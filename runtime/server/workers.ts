/**
 * `--workers N`: N serving processes on one port (node:cluster), so the server uses more than one core. Each worker
 * is a whole API server (its own watch caches fed by the store, its own post-start hooks): together they are
 * replicas on one store, as several kube-ts processes behind a load balancer are, with the same guarantees (one
 * resourceVersion sequence, allocators that never hand out a value twice, controllers behind leader election).
 * On etcd the store is shared anyway; the embedded SQLite file is opened by every worker in shared mode
 * (storage/sqlite/kv.ts), each following the others' writes through its history. A worker that committed says so
 * (`announceStoreCommit`), and the primary relays it to the others, which look at once rather than at their next
 * poll, so a watch on one worker sees a write made through another within a millisecond or so.
 *
 * The primary only supervises: it starts worker 1 and waits until it serves (it makes the certificates and the
 * admin kubeconfig on a fresh data dir), then the others; restarts a worker that dies; and on SIGTERM or SIGINT
 * asks every worker to shut down gracefully (each drains its own requests) and exits once all have.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** The environment variable telling a worker its index (1..N), stable across restarts: part of its identity. */
const workerIndexEnv = 'KUBE_TS_WORKER';

/** The worker's index when this process is one of `--workers`' processes. */
export function workerIndex(): number | undefined {
  const v = process.env[workerIndexEnv];
  return cluster.isWorker && v ? Number(v) : undefined;
}

/** Messages between the primary and its workers. */
type Message = { kind: 'serving' } | { kind: 'shutdown' } | { kind: 'store-commit' };

/** In a worker: tells the primary it serves. */
export function reportServing(): void {
  if (cluster.isWorker) process.send?.({ kind: 'serving' } satisfies Message);
}

/** In a worker: runs `stop` when the primary asks for a graceful shutdown, or is gone. */
export function onShutdownRequest(stop: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (m: Message) => {
    if (m?.kind === 'shutdown') stop();
  });
  process.on('disconnect', stop);
}

/** In a worker: tells the others (through the primary) that it committed to the shared store. */
export function announceStoreCommit(): void {
  // A failed send (the primary going away) is ignored rather than raised as an 'error' event.
  if (cluster.isWorker && process.connected) process.send?.({ kind: 'store-commit' } satisfies Message, undefined, undefined, () => {});
}

/** In a worker: runs `look` when another worker committed to the shared store. */
export function onStoreCommit(look: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (m: Message) => {
    if (m?.kind === 'store-commit') look();
  });
}

/** In the primary: starts and supervises `count` workers running this same program with the same arguments. */
export async function superviseWorkers(count: number, log: Logger): Promise<void> {
  // Workers accept from the shared socket themselves: with the primary handing out connections (round-robin), one
  // handed to a worker as it dies hangs; and the primary would carry every connection.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = new Map<number, Worker>();
  const serving = new Set<Worker>();
  let stopping = false;
  // A worker exiting can still look connected: a failed send goes to the callback (ignored: that worker is going
  // away, and a restarted one reads the store afresh) instead of an 'error' event that would end the primary.
  const relayStoreCommit = (from: Worker) => {
    if (stopping) return;
    for (const w of workers.values()) {
      if (w !== from && w.isConnected()) w.send({ kind: 'store-commit' } satisfies Message, undefined, () => {});
    }
  };

  // A worker that dies after it served is started again; one that dies before (bad flags, store unreachable)
  // fails the start-up, as a single process would.
  const start = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [workerIndexEnv]: String(index) });
      workers.set(index, worker);
      let served = false;
      worker.on('message', (m: Message) => {
        if (m?.kind === 'store-commit') return relayStoreCommit(worker);
        if (m?.kind !== 'serving') return;
        served = true;
        serving.add(worker);
        resolve();
      });
      worker.once('exit', (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        serving.delete(worker);
        if (stopping) return;
        if (!served) return reject(new Error(`worker ${index} exited with ${signal ?? code} before it was serving`));
        log.error({ worker: index, code, signal }, 'worker exited; starting it again');
        setTimeout(() => start(index).catch((e: Error) => log.error({ worker: index, err: e.message }, 'worker failed to start again')), 1000);
      });
    });

  const stop = (signal: string) => {
    if (stopping) {
      for (const w of workers.values()) w.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, workers: workers.size }, 'shutting down the workers');
    // Serving workers drain their requests; one still starting has none, and is simply ended.
    for (const w of workers.values()) {
      if (serving.has(w)) w.send({ kind: 'shutdown' } satisfies Message);
      else w.process.kill('SIGTERM');
    }
    const exited = [...workers.values()].map((w) => new Promise((r) => (w.isDead() ? r(undefined) : w.once('exit', r))));
    void Promise.all(exited).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // Worker 1 first: on a fresh data dir it writes the certificates and the kubeconfig the others then read.
  await start(1);
  await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 2)));
  log.info({ workers: count }, `${count} workers serving`);
}

/**
 * What tells this API server apart from others on the host in its identity Lease: the address it serves, and its
 * worker index when it is one of several processes serving that address.
 */
export function servingAddress(o: { bindAddress: string; securePort: number }): string {
  const index = workerIndex();
  return `${o.bindAddress}:${o.securePort}${index === undefined ? '' : `/worker-${index}`}`;
}
