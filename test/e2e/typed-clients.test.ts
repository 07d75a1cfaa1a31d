/**
 * Typed clients read every kind back: one realistic object of each served kind (test/fixtures/manifests) is
 * created, read from the server, and decoded into `@kubernetes/client-node`'s generated models and the Python
 * client's. Typed models drop what they do not know and the Python client refuses a missing required field, so
 * a field that upstream does not return, or one of the wrong shape, shows up here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// The serializer the client's typed APIs decode every response with (not re-exported from the package's index).
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { parseAllDocuments } from 'yaml';
import { compareLeaves } from '../fidelity/compare.ts';
import { startServer, type TestServer } from '../support/server.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

const manifestDir = new URL('../fixtures/manifests/', import.meta.url).pathname;
const manifests: Obj[] = readdirSync(manifestDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => parseAllDocuments(readFileSync(join(manifestDir, f), 'utf8')).map((d) => d.toJS() as Obj));

/** The generated model's name, as both clients spell it (`V1Deployment`, `V2HorizontalPodAutoscaler`, `CoreV1Event`). */
function modelName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const v = version[0].toUpperCase() + version.slice(1);
  if (kind === 'Event') return group === '' ? `Core${v}Event` : `Events${v}Event`;
  return `${v}${kind}`;
}

/** Go writes times with second precision; the JavaScript models write milliseconds: compare instants. */
function normaliseTimes(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return new Date(v).getTime();
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map(normaliseTimes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseTimes(x)]));
  return v;
}

describe('typed clients read every kind back', () => {
  let server: TestServer;
  const ns = 'typed-clients';
  const stored: Obj[] = [];
  /** `apiVersion/Kind` -> resource and scope, from discovery. */
  const resources = new Map<string, { name: string; namespaced: boolean }>();
  before(async () => {
    server = await startServer();
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    const add = async (path: string, gv: string) => {
      for (const r of (await server.request('GET', path)).json.resources) if (!r.name.includes('/')) resources.set(`${gv}/${r.kind}`, { name: r.name, namespaced: r.namespaced });
    };
    await add('/api/v1', 'v1');
    for (const g of (await server.request('GET', '/apis')).json.groups) for (const v of g.versions) await add(`/apis/${v.groupVersion}`, v.groupVersion);
    for (const m of manifests) {
      const r = resources.get(`${m.apiVersion}/${m.kind}`);
      assert.ok(r, `${m.apiVersion} ${m.kind} is not served`);
      const base = m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`;
      const collection = r.namespaced ? `${base}/namespaces/${ns}/${r.name}` : `${base}/${r.name}`;
      // An Event's object must be in the Event's namespace (upstream's legacy Event validation).
      const about = (m.kind === 'Event' && (m.involvedObject ?? m.regarding)) as { namespace?: string } | false;
      if (about) about.namespace = ns;
      const created = await server.request('POST', collection, m);
      assert.equal(created.status, 201, `${m.kind} ${m.metadata.name}: ${created.text}`);
      const got = await server.request('GET', `${collection}/${m.metadata.name}`);
      assert.equal(got.status, 200, got.text);
      stored.push(got.json);
    }
  });
  after(async () => {
    await server?.stop();
  });

  it('the fixtures hold an object of every kind that can be stored (reviews are answered, not stored)', () => {
    const missing = [...resources.keys()].filter((gvk) => {
      const [apiVersion, kind] = [gvk.slice(0, gvk.lastIndexOf('/')), gvk.slice(gvk.lastIndexOf('/') + 1)];
      if (/Review$/.test(kind) || ['Binding', 'ComponentStatus', 'Eviction'].includes(kind)) return false;
      // autoscaling/v1 HorizontalPodAutoscalers are the v2 objects read in another version.
      if (apiVersion === 'autoscaling/v1') return false;
      return !manifests.some((m) => m.apiVersion === apiVersion && m.kind === kind);
    });
    assert.deepEqual(missing, [], 'add a manifest for each to test/fixtures/manifests');
  });

  it('@kubernetes/client-node decodes each into its model and writes back exactly what the server sent', () => {
    const problems: string[] = [];
    for (const obj of stored) {
      const type = modelName(obj.apiVersion, obj.kind);
      const typed = ObjectSerializer.deserialize(obj, type);
      const back = JSON.parse(JSON.stringify(ObjectSerializer.serialize(typed, type)));
      const diffs = compareLeaves(normaliseTimes(obj), normaliseTimes(back));
      for (const d of diffs) problems.push(`${type} ${obj.metadata.name}: ${d.path}: ${d.why === 'missing' ? 'not in the model (the server returns a field upstream does not have)' : d.why}`);
    }
    assert.deepEqual(problems, []);
  });

  it('the Python client decodes each into its model (required fields present, types as declared)', (t) => {
    // Debian's python3-kubernetes lives in the system interpreter, which a pyenv shim first on PATH hides.
    const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0);
    if (!python) {
      t.skip('python3-kubernetes is not installed (apt-get install -y python3-kubernetes)');
      return;
    }
    const script = `
import json, sys
import kubernetes.client as client
api = client.ApiClient()
class Response:
    def __init__(self, data): self.data = data
out = []
for name, obj in json.load(sys.stdin):
    model = getattr(client, name, None)
    if model is None:
        out.append([name, obj["metadata"]["name"], "unknown"])
        continue
    try:
        typed = api.deserialize(Response(json.dumps(obj)), name)
        ok = typed.metadata.name == obj["metadata"]["name"]
        out.append([name, obj["metadata"]["name"], "ok" if ok else "name lost"])
    except Exception as e:
        out.append([name, obj["metadata"]["name"], "error: %s" % e])
print(json.dumps(out))
`;
    const input = JSON.stringify(stored.map((o) => [modelName(o.apiVersion, o.kind), o]));
    const run = spawnSync(python, ['-c', script], { input, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const results: [string, string, string][] = JSON.parse(run.stdout);
    const decoded = results.filter((r) => r[2] === 'ok');
    const failed = results.filter((r) => r[2] !== 'ok' && r[2] !== 'unknown');
    assert.deepEqual(failed, []);
    // The Debian client (22.x) predates some kinds; what it knows, it must read: most of them.
    assert.ok(decoded.length >= 30, `only ${decoded.length} kinds decoded: ${JSON.stringify(results)}`);
  });
});
