/**
 * Starts the real server (`tsx runtime/main.ts`) as a child process on a free loopback port with its own data
 * dir, waits for /readyz, and gives tests its URL, kubeconfig and a way to stop it. Nothing is mocked: this is
 * what `npm start` runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { stopAfter, type Teardown } from './teardown.ts';

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  process: ChildProcess;
  /** HTTPS request as the admin (client certificate from the written kubeconfig). */
  /** `body`: an object (sent as JSON), a string, or bytes (sent as they are, e.g. protobuf). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; bytes: Buffer; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Opens a streaming GET (a watch) and gives its events one at a time: `next()` resolves with the next parsed
   * newline-terminated JSON line, or rejects after `timeoutMs`; `ended()` tells whether the server closed it.
   */
  watch(path: string, headers?: Record<string, string>): Promise<WatchStream>;
  stop(): Promise<void>;
  /** Ends the process with SIGKILL (for crash tests); keeps the data dir. */
  kill(): Promise<void>;
  logs(): string;
}

export interface WatchStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  next(timeoutMs?: number): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The next line as the server wrote it (what a parsed event cannot show: member order, number forms). */
  nextLine(timeoutMs?: number): Promise<string>;
  /** Lines received and not yet taken by next(). */
  pending(): number;
  ended(): boolean;
  close(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const repoRoot = new URL('../../', import.meta.url).pathname;

/** `root`: the checkout to run (default: this one; the new-kind test runs a modified copy). */
/**
 * What the server process runs: the TypeScript sources through tsx (tests see the code as it is), or a given
 * script such as the built server's `scripts/start.mjs` (also `KUBE_TS_SERVER_ENTRY`, for benchmarks).
 */
function serverEntry(root: string, entry = process.env.KUBE_TS_SERVER_ENTRY): string[] {
  return entry ? [join(root, entry)] : ['--import', 'tsx', join(root, 'runtime/main.ts')];
}

/** Extra Node flags for the server process, e.g. `KUBE_TS_SERVER_NODE_ARGS=--cpu-prof` to profile under a bench. */
const nodeArgs = () => (process.env.KUBE_TS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Servers still running, SIGKILLed when the process exits: the last line of defence for a run that exits (e.g. on
 * an uncaught error) without stopping them. One listener for all, however many servers a file starts.
 */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/**
 * `t`: the test (its context, or anything with `after`) the server is for: it is stopped after the test, failed or
 * not, so the test need not stop it itself (stopping it earlier is fine: stop() may be called again).
 */
/**
 * `readyStatus`: the /readyz answer that says the server is up; 200 unless a test starts a server that answers every
 * request alike (`--request-timeout=0` answers 504 from the first request on).
 */
export async function startServer(opts: { args?: string[]; dataDir?: string; port?: number; root?: string; entry?: string; t?: Teardown; readyStatus?: number } = {}): Promise<TestServer> {
  const root = opts.root ?? repoRoot;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kube-ts-test-'));
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [...nodeArgs(), ...serverEntry(root, opts.entry), '--secure-port', String(port), '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  const url = `https://127.0.0.1:${port}`;

  let agent: Agent | undefined;
  const makeAgent = () => {
    const cfg = readFileSync(kubeconfig, 'utf8');
    const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
    return new Agent({ ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data'), keepAlive: true });
  };
  const doRequest: TestServer['request'] = (method, path, body, headers = {}) => sendOnce(method, path, body, headers, true);
  // A kept-alive socket the server closed for idleness (90 s, kube-apiserver's idle timeout) just as a request went out
  // fails with ECONNRESET / "socket hang up" before the server saw it: sent again once on a new socket, as Node's
  // documentation advises for `request.reusedSocket`.
  const sendOnce = (method: string, path: string, body: unknown, headers: Record<string, string>, retry: boolean): ReturnType<TestServer['request']> =>
    new Promise((resolve, reject) => {
      agent ??= makeAgent();
      const payload = body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      const req = request(`${url}${path}`, { method, agent, headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          // Decoded and parsed when a caller first reads them: the bench's clients share the server's cores, and a
          // list of 500 parsed on every response charged the server's rate with the client's ~4 ms of JSON.parse.
          let text: string | undefined;
          let parsed: { json: unknown } | undefined;
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            get text() {
              return (text ??= bytes.toString('utf8'));
            },
            bytes,
            get json() {
              if (!parsed) {
                try {
                  parsed = { json: JSON.parse(this.text) };
                } catch {
                  parsed = { json: undefined };
                }
              }
              return parsed.json;
            },
          });
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && err.code === 'ECONNRESET') sendOnce(method, path, body, headers, false).then(resolve, reject);
        else reject(err);
      });
      if (payload) req.write(payload);
      req.end();
    });

  const doWatch: TestServer['watch'] = (path, headers = {}) =>
    new Promise((resolve, reject) => {
      agent ??= makeAgent();
      const req = request(`${url}${path}`, { method: 'GET', agent: false, ca: agent.options.ca, cert: agent.options.cert, key: agent.options.key, headers }, (res) => {
        const lines: string[] = [];
        const waiters: Array<() => void> = [];
        let buffer = '';
        let done = false;
        const wake = () => waiters.splice(0).forEach((w) => w());
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buffer += d;
          let i: number;
          while ((i = buffer.indexOf('\n')) >= 0) {
            lines.push(buffer.slice(0, i));
            buffer = buffer.slice(i + 1);
          }
          wake();
        });
        const finish = () => {
          done = true;
          if (buffer.trim()) lines.push(buffer);
          buffer = '';
          wake();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
        const nextLine = async (timeoutMs = 10_000): Promise<string> => {
          const deadline = Date.now() + timeoutMs;
          while (lines.length === 0) {
            if (done) throw new Error(`watch ${path} ended with no further event`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no watch event on ${path} within ${timeoutMs} ms`);
            await new Promise<void>((r) => {
              const t = setTimeout(r, left);
              waiters.push(() => (clearTimeout(t), r()));
            });
          }
          return lines.shift()!;
        };
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          pending: () => lines.length,
          ended: () => done && lines.length === 0,
          close: () => req.destroy(),
          nextLine,
          next: async (timeoutMs?: number) => JSON.parse(await nextLine(timeoutMs)),
        });
      });
      req.on('error', reject);
      req.end();
    });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${output}`);
      try {
        const res = await doRequest('GET', '/readyz');
        if (res.status === (opts.readyStatus ?? 200)) break;
      } catch {
        agent = undefined; // kubeconfig may not be written yet
      }
      if (Date.now() > deadline) throw new Error(`server not ready within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    // A start that fails leaves nothing behind: no process, no data dir of ours, no kept-alive socket.
    agent?.destroy();
    child.kill('SIGKILL');
    await exited;
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const server: TestServer = {
    url,
    port,
    dataDir,
    kubeconfig,
    process: child,
    request: doRequest,
    watch: doWatch,
    logs: () => output,
    async stop() {
      agent?.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // A server that does not finish its graceful shutdown is a defect: reported, not waited for forever.
        let timer: NodeJS.Timeout | undefined;
        const hung = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 30_000)))]);
        clearTimeout(timer);
        if (hung) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`server did not exit within 30 s of SIGTERM:\n${output.slice(-4000)}`);
        }
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      agent?.destroy();
      child.kill('SIGKILL');
      await exited;
    },
  };
  stopAfter(opts.t, () => server.stop());
  return server;
}
