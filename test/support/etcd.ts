/**
 * Starts a real, single-member etcd for tests: loopback only, free random client and peer ports, a temp data dir.
 *
 * `kill()` (SIGKILL) and `restart()` keep the data dir and the ports, so fault tests can take etcd away and bring
 * the same cluster back at the same endpoint. `stop()` ends the process and deletes the data dir. A process
 * 'exit' hook SIGKILLs a still-running etcd so a crashed test run does not leak servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stopAfter, type Teardown } from './teardown.ts';

export interface EtcdServer {
  /** Client URL, e.g. http://127.0.0.1:40123 */
  endpoint: string;
  dataDir: string;
  /** Graceful stop (SIGTERM) and removal of the data dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL; keeps the data dir for `restart()`. */
  kill(): Promise<void>;
  /** (Re)starts etcd on the same ports and data dir (stopping it first if running) and waits until healthy. */
  restart(): Promise<void>;
  /** Whether the etcd process is currently running (a paused one counts as running). */
  running(): boolean;
  /** SIGSTOP: etcd hangs with its sockets open (simulates a stuck server or a network black hole). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** The etcd process id, if running. */
  pid(): number | undefined;
}

export interface StartEtcdOptions {
  /** How long to wait for /health (ms). Default 30000. */
  startTimeoutMs?: number;
  /** Extra etcd flags. */
  extraArgs?: string[];
  /**
   * Serve clients over TLS with these PEM files, asking every client for a certificate signed by `caFile`
   * (`--client-cert-auth`, as kubeadm's etcd); the endpoint is then https and health is read on a plain metrics URL.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** The test etcd is for: stopped after it, failed or not (an earlier stop() is fine). */
  t?: Teardown;
}

export function findEtcdBinary(): string {
  const candidates = ['/usr/bin/etcd', ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'etcd'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'etcd binary not found (looked at /usr/bin/etcd and PATH). Install it with: apt-get install -y etcd-server',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdServer> {
  const bin = findEtcdBinary();
  const dataDir = await mkdtemp(join(tmpdir(), 'kube-ts-etcd-'));
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const endpoint = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const metricsUrl = opts.tls ? `http://127.0.0.1:${await freePort()}` : undefined;
  const tlsArgs = opts.tls
    ? ['--cert-file', opts.tls.certFile, '--key-file', opts.tls.keyFile, '--trusted-ca-file', opts.tls.caFile, '--client-cert-auth', '--listen-metrics-urls', metricsUrl!]
    : [];
  const healthUrl = `${metricsUrl ?? endpoint}/health`;
  const args = [
    '--name', 'test',
    '--data-dir', join(dataDir, 'data'),
    '--listen-client-urls', endpoint,
    '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `test=${peerUrl}`,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', `kube-ts-test-${clientPort}`,
    '--logger', 'zap',
    '--log-level', 'error',
    ...tlsArgs,
    ...(opts.extraArgs ?? []),
  ];

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderrTail = '';
  let stopped = false;
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const isRunning = () => !!child && child.exitCode === null && child.signalCode === null;

  const launch = async () => {
    stderrTail = '';
    const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-4000);
    });
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`etcd exited during startup (${proc.exitCode ?? proc.signalCode}): ${stderrTail}`);
      }
      try {
        const res = await fetch(healthUrl, { signal: AbortSignal.timeout(1000) });
        const body = (await res.json()) as { health?: string };
        if (res.ok && body.health === 'true') return;
      } catch {
        // not up yet
      }
      await sleep(50);
    }
    proc.kill('SIGKILL');
    throw new Error(`etcd did not become healthy at ${endpoint}: ${stderrTail}`);
  };

  const signal = async (sig: NodeJS.Signals) => {
    if (isRunning()) {
      child!.kill('SIGCONT'); // in case it was paused
      child!.kill(sig);
    }
    await exited;
  };

  try {
    await launch();
  } catch (err) {
    await signal('SIGKILL');
    process.off('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }

  const etcd: EtcdServer = {
    endpoint,
    dataDir,
    running: isRunning,
    pause: () => {
      if (!isRunning()) return;
      child!.kill('SIGSTOP');
      waitUntilStopped(child!.pid!);
    },
    resume: () => void (isRunning() && child!.kill('SIGCONT')),
    pid: () => (isRunning() ? child!.pid : undefined),
    async stop() {
      if (stopped) return;
      stopped = true;
      await signal('SIGTERM');
      process.off('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    async restart() {
      if (stopped) throw new Error('etcd harness already stopped');
      await signal('SIGTERM');
      await launch();
    },
  };
  stopAfter(opts.t, () => etcd.stop());
  return etcd;
}

export interface EtcdCluster {
  /** Client URLs, one per member. */
  endpoints: string[];
  /** SIGKILLs member `i` (its data dir stays). */
  kill(i: number): Promise<void>;
  /** The index of the member that leads now (as the members' status says). */
  leader(): Promise<number>;
  /** Ends every member and removes the data dirs. */
  stop(): Promise<void>;
}

/** A real etcd cluster of `size` members on loopback, each with its own ports and data dir. */
export async function startEtcdCluster(size = 3, opts: { startTimeoutMs?: number; t?: Teardown } = {}): Promise<EtcdCluster> {
  const bin = findEtcdBinary();
  const dataDir = await mkdtemp(join(tmpdir(), 'kube-ts-etcd-cluster-'));
  const ports = new Set<number>();
  while (ports.size < size * 2) ports.add(await freePort());
  const [clientPorts, peerPorts] = [[...ports].slice(0, size), [...ports].slice(size)];
  const endpoints = clientPorts.map((p) => `http://127.0.0.1:${p}`);
  const initialCluster = peerPorts.map((p, i) => `m${i}=http://127.0.0.1:${p}`).join(',');
  const children = endpoints.map((endpoint, i) =>
    spawn(bin, [
      '--name', `m${i}`,
      '--data-dir', join(dataDir, `m${i}`),
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peerPorts[i]}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPorts[i]}`,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', `kube-ts-test-cluster-${clientPorts[0]}`,
      '--logger', 'zap',
      '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', 'ignore'] }),
  );
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.on('exit', killAll);
  const exited = children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve()))));
  const stop = async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(exited);
    process.off('exit', killAll);
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (const endpoint of endpoints) {
    for (;;) {
      try {
        const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok && ((await res.json()) as { health?: string }).health === 'true') break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd cluster member ${endpoint} did not become healthy`);
      }
      await sleep(100);
    }
  }
  stopAfter(opts.t, stop);
  return {
    endpoints,
    async kill(i) {
      children[i].kill('SIGKILL');
      await exited[i];
    },
    async leader() {
      // etcd's JSON gateway: each member's status names itself and the leader (64-bit ids, as decimal text).
      const status = await Promise.all(
        endpoints.map((e, i) =>
          children[i].exitCode !== null || children[i].signalCode !== null
            ? undefined
            : fetch(`${e}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) })
                .then((r) => r.json() as Promise<{ header: { member_id: string }; leader: string }>)
                .catch(() => undefined),
        ),
      );
      const i = status.findIndex((s) => s && s.header.member_id === s.leader);
      if (i < 0) throw new Error('no etcd member leads');
      return i;
    },
    stop,
  };
}

/**
 * kill() returns before the signal has stopped every thread: on a loaded machine etcd could still answer a request
 * sent right after pause(). Wait (briefly, synchronously) until Linux reports the process stopped ('T').
 */
function waitUntilStopped(pid: number): void {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      return; // not Linux, or gone
    }
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T') return;
  }
}
