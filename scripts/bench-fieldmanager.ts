/**
 * `npx tsx scripts/bench-fieldmanager.ts [--root DIR] [--ops N] [--bytes] [--top N]`: CPU µs per call of the field
 * manager's update path (what every create and update runs), in process, on a small ConfigMap and a Deployment: a
 * create (over the empty object) and an update (over the stored object with its entries, one field changed).
 * `--bytes`: bytes allocated per call instead (V8's sampling heap profiler, every 1 KiB, collected objects included,
 * so the figure does not depend on when GC runs), with the `--top` functions that allocate most. `--root` runs
 * another checkout's runtime (e.g. the base of a change) so the two can be compared ABAB on a busy machine. CPU µs
 * are the process's own (user + system), not wall time.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Session } from 'node:inspector';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = resolve(arg('--root') ?? new URL('../', import.meta.url).pathname);
const ops = Number(arg('--ops') ?? 20000);
const bytesMode = process.argv.includes('--bytes');
const top = Number(arg('--top') ?? 10);
const from = (p: string) => import(pathToFileURL(resolve(root, p)).href);

const { Scheme } = await from('runtime/machinery/scheme.ts');
const { addToScheme } = await from('generated/index.ts');
const { useScheme, fieldManagerFor } = await from('runtime/fieldmanager/index.ts');
const { goShapes } = await from('runtime/machinery/goshape.ts');

const scheme = new Scheme();
addToScheme(scheme);
useScheme(scheme);

type Obj = Record<string, any>;
const configMap = (i: number): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'default', labels: { app: 'bench', tier: 'x' }, annotations: { note: 'a' } },
  data: { a: '1', b: '2', c: String(i) },
});
const deployment = (i: number): Obj => {
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `d-${i}`, namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: `nginx:1.${i % 30}`, ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], resources: { limits: { cpu: '1' } } },
            { name: 'side', image: 'busybox', args: ['sleep', '1000'] },
          ],
        },
      },
    },
  };
  goShapes.forKind('apps/v1', 'Deployment')?.write(d);
  return d;
};

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const session = new Session();
session.connect();
const post = (method: string, params: object = {}) =>
  new Promise<any>((ok, fail) => session.post(method, params, (err, res) => (err ? fail(err) : ok(res))));

interface HeapNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: HeapNode[] }

/** Bytes `body` allocates over `ops` calls, and the functions that allocated them (self bytes, most first). */
async function allocated(body: (i: number) => void): Promise<{ total: number; byFunction: Array<[string, number]> }> {
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < ops; i++) body(i);
  const { profile } = await post('HeapProfiler.stopSampling');
  const byFunction = new Map<string, number>();
  let total = 0;
  const name = (n: HeapNode) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
  const walk = (n: HeapNode, caller: string) => {
    // Engine built-ins (sort, Map, Object.keys) say more with the function that called them.
    const key = n.callFrame.url ? name(n) : `${name(n)}<- ${caller}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c, name(n));
  };
  walk(profile.head, '');
  return { total, byFunction: [...byFunction].sort((a, b) => b[1] - a[1]) };
}

async function run(print: boolean, label: string, group: string, version: string, kind: string, make: (i: number) => Obj, change: (o: Obj) => void) {
  const fm = fieldManagerFor(scheme.kindFor(group, version, kind), '');
  const creates: Obj[] = Array.from({ length: ops }, (_, i) => make(i));
  // Stored objects for the updates: created once, then a copy with one field changed.
  const stored: Obj[] = Array.from({ length: ops }, (_, i) => {
    const o = make(i);
    fm.update(fm.emptyObject(), o, 'kubectl-client-side-apply', true);
    o.metadata.uid = `uid-${i}`;
    return o;
  });
  const updates = stored.map((o) => {
    const c = structuredClone(o);
    delete c.metadata.managedFields;
    change(c);
    return c;
  });
  const empty = creates.map(() => fm.emptyObject());
  for (const [name, body] of [
    ['create', (i: number) => fm.update(empty[i], creates[i], 'kubectl-client-side-apply', true)],
    ['update', (i: number) => fm.update(stored[i], updates[i], 'kubectl-edit', true)],
  ] as const) {
    if (bytesMode) {
      const { total, byFunction } = await allocated(body);
      if (print) console.log(`${label} ${name}: ${Math.round(total / ops)} B/op allocated`);
      if (print) for (const [f, b] of byFunction.slice(0, top)) console.log(`  ${String(Math.round(b / ops)).padStart(6)} B/op ${f}`);
      continue;
    }
    const cpu0 = cpuMicros();
    for (let i = 0; i < ops; i++) body(i);
    const cpu = cpuMicros() - cpu0;
    if (print) console.log(`${label} ${name}: ${(cpu / ops).toFixed(2)} µs/op cpu`);
  }
}

// The first round warms up (unprinted), the second is measured.
for (let round = 0; round < 2; round++) {
  if (round === 1) console.log(`root ${root}, ${ops} ops`);
  await run(round === 1, 'ConfigMap', '', 'v1', 'ConfigMap', configMap, (o) => (o.data.b = 'changed'));
  await run(round === 1, 'Deployment', 'apps', 'v1', 'Deployment', deployment, (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'));
}
