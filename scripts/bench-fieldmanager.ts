/**
 * `npx tsx scripts/bench-fieldmanager.ts [--root DIR] [--ops N]`: µs and heap bytes per call of the field manager's
 * update path (what every create and update runs), in process, on a small ConfigMap and a Deployment: a create (over
 * the empty object) and an update (over the stored object with its entries, one field changed). `--root` runs another
 * checkout's runtime (e.g. the base of a change) so the two can be compared ABAB on a busy machine. Bytes are read
 * from the heap's growth with GC kept out of the loop where V8 lets it (young-generation sized runs), so take them as
 * an estimate; CPU µs are the process's own (user + system), not wall time.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = resolve(arg('--root') ?? new URL('../', import.meta.url).pathname);
const ops = Number(arg('--ops') ?? 20000);
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

function run(label: string, group: string, version: string, kind: string, make: (i: number) => Obj, change: (o: Obj) => void) {
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
    globalThis.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = cpuMicros();
    for (let i = 0; i < ops; i++) body(i);
    const cpu = cpuMicros() - cpu0;
    const heap = process.memoryUsage().heapUsed - heap0;
    console.log(`${label} ${name}: ${(cpu / ops).toFixed(2)} µs/op cpu, ~${Math.round(heap / ops)} B/op retained+garbage`);
  }
  return { creates, updates };
}

// Warm-up: the same runs, unmeasured figures thrown away.
for (let round = 0; round < 2; round++) {
  if (round === 1) console.log(`root ${root}, ${ops} ops`);
  run('ConfigMap', '', 'v1', 'ConfigMap', configMap, (o) => (o.data.b = 'changed'));
  run('Deployment', 'apps', 'v1', 'Deployment', deployment, (o) => (o.spec.template.spec.containers[0].image = 'nginx:2'));
}
