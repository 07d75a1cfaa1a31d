/**
 * `npx tsx scripts/bench-pod-create.ts [--root DIR] [--ops N] [--bytes] [--top N] [--kind pod|configmap|all]`: CPU µs
 * per create of a Pod (the bench's kubelet-style pod, on a node, with the token volume the ServiceAccount plug-in
 * mounts) and of a small ConfigMap, in process: the body's
 * JSON text decoded as the create handler decodes it (Go's decoder checks), the generic store's create (decode
 * defaults, field manager, strategy, validation, Go's shape, the store's encode and read-back) on an ObjectStore over
 * SQLite, and the response's JSON text. No HTTP, no admission plug-ins (they need a running server's listers): what
 * the kind itself costs. `--bytes`: bytes allocated per create instead (V8's sampling heap profiler, every 1 KiB,
 * collected objects included), with the `--top` functions that allocate most. `--root` runs another checkout's
 * runtime (the base of a change) so the two can be compared ABAB on a busy machine. CPU µs are the process's own
 * (user + system), not wall time; SQLite's commits are in them, the same for either root.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Session } from 'node:inspector';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = resolve(arg('--root') ?? new URL('../', import.meta.url).pathname);
const ops = Number(arg('--ops') ?? 4000);
const bytesMode = process.argv.includes('--bytes');
const top = Number(arg('--top') ?? 15);
const only = arg('--kind') ?? 'all';
const from = (p: string) => import(pathToFileURL(resolve(root, p)).href);

const { Scheme } = await from('runtime/machinery/scheme.ts');
const { addToScheme } = await from('generated/index.ts');
const { useScheme } = await from('runtime/fieldmanager/index.ts');
await from('runtime/registry/strategies/index.ts');
const { strategyFor } = await from('runtime/registry/strategy.ts');
const { RegistryStore } = await from('runtime/registry/store.ts');
const { AdmissionChain } = await from('runtime/admission/types.ts');
const { SqliteKV } = await from('runtime/storage/sqlite/kv.ts');
const { ObjectStore } = await from('runtime/storage/store.ts');
const { parseGoJsonBody, checkDecodable } = await from('runtime/machinery/godecode/index.ts');
const { encodeBody } = await from('runtime/endpoints/serialize.ts');
const { serviceAccountTokenVolume } = await from('runtime/admission/plugins/service-account.ts');

const scheme = new Scheme();
addToScheme(scheme);
useScheme(scheme);

// On tmpfs when there is one: the commits' fsyncs are then no measure of the disk.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kube-ts-bench-pod-'));
const kv = await SqliteKV.open(join(dir, 'kv.db'));
const storage = new ObjectStore(kv);
const admission = new AdmissionChain([]);
const user = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const ctx = { user, namespace: 'default', dryRun: false, warnings: [] as string[], fieldManager: 'kubectl-create' };
const json = { serializer: 'json', contentType: 'application/json' };

type Obj = Record<string, any>;
/** What the ServiceAccount admission plug-in adds to a pod on a running server: the account and its token volume. */
function withServiceAccount(pod: Obj): Obj {
  pod.spec.serviceAccountName = pod.spec.serviceAccount = 'default';
  pod.spec.volumes = [serviceAccountTokenVolume('kube-api-access-abcde')];
  for (const c of pod.spec.containers) c.volumeMounts = [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }];
  return pod;
}
const kinds: Array<[string, string, string, string, (i: number, round: number) => Obj]> = [
  ['Pod', '', 'v1', 'pods', (i, r) => withServiceAccount({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${r}-${i}` }, spec: { nodeName: `node-${i % 1000}`, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } })],
  ['ConfigMap', '', 'v1', 'configmaps', (i, r) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${r}-${i}` }, data: { k: 'v'.repeat(100) } })],
];

const session = new Session();
session.connect();
const post = (method: string, params: object = {}) =>
  new Promise<any>((ok, fail) => session.post(method, params, (err, res) => (err ? fail(err) : ok(res))));
interface HeapNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: HeapNode[] }

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function run(print: boolean, round: number) {
  for (const [kindName, group, version, resource, make] of kinds) {
    if (only !== 'all' && only !== kindName.toLowerCase()) continue;
    const kind = scheme.kindFor(group, version, kindName);
    const store = new RegistryStore(strategyFor(kind, kind.schema), storage, admission, `/registry/${resource}`);
    const bodies = Array.from({ length: ops }, (_, i) => Buffer.from(JSON.stringify(make(i, round))));
    const create = async (i: number) => {
      const raw = bodies[i]!;
      const parsed = parseGoJsonBody(kind, raw.toString(), raw);
      checkDecodable(kind, parsed.value, raw, { literals: parsed.literals, strict: true });
      ctx.warnings.length = 0;
      const created = await store.create(ctx, parsed.value);
      return encodeBody(created, json, 201).body;
    };
    if (bytesMode) {
      await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      for (let i = 0; i < ops; i++) await create(i);
      const { profile } = await post('HeapProfiler.stopSampling');
      const byFunction = new Map<string, number>();
      let total = 0;
      const name = (n: HeapNode) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
      const walk = (n: HeapNode, caller: string) => {
        const key = n.callFrame.url ? name(n) : `${name(n)}<- ${caller}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
        total += n.selfSize;
        for (const c of n.children) walk(c, n.callFrame.url ? name(n) : caller);
      };
      walk(profile.head, '');
      if (!print) continue;
      console.log(`${kindName} create: ${Math.round(total / ops)} B/op allocated`);
      for (const [f, b] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${String(Math.round(b / ops)).padStart(6)} B/op ${f}`);
      continue;
    }
    const cpu0 = cpuMicros();
    for (let i = 0; i < ops; i++) await create(i);
    const cpu = cpuMicros() - cpu0;
    if (print) console.log(`${kindName} create: ${(cpu / ops).toFixed(1)} µs/op cpu`);
  }
}

try {
  // The first rounds warm up (unprinted), the last is measured.
  for (let round = 0; round < 3; round++) {
    if (round === 2) console.log(`root ${root}, ${ops} ops`);
    await run(round === 2, round);
  }
} finally {
  await kv.close();
  rmSync(dir, { recursive: true, force: true });
}
