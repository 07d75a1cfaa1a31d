/**
 * `npm run bench`: figures and ratios, never pass/fail. Measures the generator on the full catalogue, then the
 * server through HTTPS against each store: creates, consistent gets and lists, compared with the raw store's own
 * put and get rates on the same machine (the roadmap's targets: creates >= 80% of the store's put rate, reads >=
 * the store's get rate). Runs etcd when the binary is installed.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../codegen/generate.ts';
import type { KV } from '../runtime/storage/kv.ts';
import { SqliteKV } from '../runtime/storage/sqlite/kv.ts';
import { EtcdKV } from '../runtime/storage/etcd/kv.ts';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startEtcd } from '../test/support/etcd.ts';
import { groupVersions } from '../generated/index.ts';
import { checkDecodable, parseGoJsonBody } from '../runtime/machinery/godecode/index.ts';

const root = new URL('../', import.meta.url).pathname;
const count = Number(process.env.BENCH_OPS ?? 500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function rate(label: string, ops: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) await run(next++);
    }),
  );
  const perSecond = ops / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(38)} ${perSecond.toFixed(0).padStart(7)} ops/s`);
  return perSecond;
}

async function benchStore(name: string, kv: KV, server: TestServer): Promise<void> {
  console.log(`\n${name}`);
  const value = new TextEncoder().encode(JSON.stringify({ data: { k: 'v'.repeat(100) } }));
  const puts = await rate('store put (raw KV)', count, (i) => kv.create(`/bench/raw/${i}`, value));
  const gets = await rate('store get (raw KV)', count, (i) => kv.get(`/bench/raw/${i}`));
  const creates = await rate('POST configmaps (HTTPS, JSON)', count, (i) =>
    server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `bench-${i}` }, data: { k: 'v'.repeat(100) } }),
  );
  const reads = await rate('GET configmap (consistent)', count, (i) => server.request('GET', `/api/v1/namespaces/default/configmaps/bench-${i}`));
  const lists = await rate('LIST configmaps limit=50', Math.max(20, count / 10), () => server.request('GET', '/api/v1/namespaces/default/configmaps?limit=50'));
  console.log(`  creates / store puts: ${(creates / puts).toFixed(2)}   gets / store gets: ${(reads / gets).toFixed(2)}   lists: ${lists.toFixed(0)}/s`);
}

/** HTTPS as a bearer-token user: the server's CA, no client certificate (that would authenticate as admin). */
function tokenClient(server: TestServer, token: string) {
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(readFileSync(server.kubeconfig, 'utf8'))![1], 'base64').toString();
  const agent = new Agent({ ca, keepAlive: true });
  return (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) };
      const req = request(`${server.url}${path}`, { method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/**
 * What authentication and authorization cost per request: the same gets and creates as the admin (a client
 * certificate in system:masters, which skips authorization) and as a bearer-token user whom RBAC allows through a
 * RoleBinding, on one server.
 */
async function benchSecurity(dir: string): Promise<void> {
  console.log('\nauthentication + RBAC (embedded SQLite)');
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, 'bench-token-0123456789,bench,bench-uid,"bench-group"\n');
  let server: TestServer;
  try {
    server = await startServer({ args: ['--token-auth-file', tokens, '--authorization-mode', 'Node,RBAC'] });
  } catch (e) {
    console.log(`  skipped: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    const ns = '/api/v1/namespaces/default';
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'bench' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }] };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bench' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bench' }, subjects: [{ kind: 'User', name: 'bench' }] };
    await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', role);
    await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', binding);
    const asUser = tokenClient(server, 'bench-token-0123456789');
    let probe = 0;
    for (let i = 0; i < 50 && probe !== 200; i++) {
      probe = await asUser('GET', `${ns}/configmaps`);
      if (probe !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    if (probe !== 200) {
      console.log(`  skipped: the token user got ${probe} (token authentication or RBAC not available)`);
      return;
    }
    const data = { k: 'v'.repeat(100) };
    const adminCreates = await rate('POST configmaps as admin (x509, masters)', count, (i) => server.request('POST', `${ns}/configmaps`, { metadata: { name: `a-${i}` }, data }));
    const userCreates = await rate('POST configmaps as token user (RBAC)', count, (i) => asUser('POST', `${ns}/configmaps`, { metadata: { name: `u-${i}` }, data }));
    const adminGets = await rate('GET configmap as admin', count, (i) => server.request('GET', `${ns}/configmaps/a-${i}`));
    const userGets = await rate('GET configmap as token user (RBAC)', count, (i) => asUser('GET', `${ns}/configmaps/u-${i}`));
    console.log(`  token+RBAC / admin: creates ${(userCreates / adminCreates).toFixed(2)}   gets ${(userGets / adminGets).toFixed(2)}`);
  } finally {
    await server.stop();
  }
}

/** The check of a body against the kind's Go types (machinery/godecode), on a valid Deployment as kubectl sends it. */
function benchDecodeCheck(): void {
  const kind = groupVersions.find((gv) => gv.group === 'apps' && gv.version === 'v1')!.kinds.find((k) => k.kind === 'Deployment')!;
  const container = (i: number) => ({
    name: `c${i}`, image: 'registry.example.com/app:1.25.3', args: ['--port=8080', '--log-level=info'],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'production' }],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
  });
  const text = JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' }, annotations: { 'example.com/owner': 'team-a' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container(1), container(2)], volumes: [{ name: 'config', configMap: { name: 'web' } }] } } },
  });
  const raw = new TextEncoder().encode(text);
  const n = 20000;
  const check = () => {
    const { value, literals } = parseGoJsonBody(kind, text, raw);
    checkDecodable(kind, value, raw, literals);
  };
  for (let i = 0; i < n; i++) check(); // warm up
  const started = performance.now();
  for (let i = 0; i < n; i++) check();
  const parseOnly = performance.now();
  for (let i = 0; i < n; i++) JSON.parse(text);
  const ended = performance.now();
  const us = (ms: number) => ((ms * 1000) / n).toFixed(1);
  console.log(`Go-types decode check of a Deployment (${raw.length} bytes): ${us(parseOnly - started)} µs parse+check, of which JSON.parse ${us(ended - parseOnly)} µs`);
}

async function main(): Promise<void> {
  console.log(`kube-ts benchmarks (${count} ops, ${concurrency} concurrent)`);
  const started = performance.now();
  const result = generate(root);
  const ms = (performance.now() - started).toFixed(0);
  console.log(result.ok ? `\ngenerator: ${result.files.length} files from apis/ in ${ms} ms` : `\ngenerator: apis/ has ${result.errors.length} error(s) (${ms} ms)`);
  benchDecodeCheck();

  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-bench-'));
  const sqlite = await SqliteKV.open(join(dir, 'raw.db'));
  const server = await startServer();
  try {
    await benchStore('embedded SQLite', sqlite, server);
  } finally {
    await server.stop();
    await sqlite.close();
  }

  let etcd;
  try {
    etcd = await startEtcd();
  } catch (e) {
    console.log(`\netcd: skipped (${(e as Error).message})`);
  }
  if (etcd) {
    const kv = await EtcdKV.open({ endpoints: [etcd.endpoint] });
    const etcdServer = await startServer({ args: ['--etcd-servers', etcd.endpoint] });
    try {
      await benchStore('etcd', kv, etcdServer);
    } finally {
      await etcdServer.stop();
      await kv.close();
      await etcd.stop();
    }
  }
  await benchSecurity(dir);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
