/**
 * The fidelity suite: every case of `test/fidelity/cases/` against one real server (embedded store), each in a
 * namespace of its own, each answer compared leaf by leaf with what kube-apiserver v1.32 answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { loadCaseFiles, substitute, type Manifest, type Step } from './cases.ts';
import { compareLeaves, compareStatus, type Difference } from './compare.ts';

interface ResourceInfo {
  resource: string;
  namespaced: boolean;
}

/** `apiVersion/Kind` -> resource, from the server's discovery (what a client does to find a path). */
async function discover(server: TestServer): Promise<Map<string, ResourceInfo>> {
  const out = new Map<string, ResourceInfo>();
  const addList = (gv: string, list: { resources: { name: string; kind: string; namespaced: boolean }[] }) => {
    for (const r of list.resources) if (!r.name.includes('/')) out.set(`${gv}/${r.kind}`, { resource: r.name, namespaced: r.namespaced });
  };
  addList('v1', (await server.request('GET', '/api/v1')).json);
  const groups = (await server.request('GET', '/apis')).json.groups as { versions: { groupVersion: string }[] }[];
  for (const g of groups) for (const v of g.versions) addList(v.groupVersion, (await server.request('GET', `/apis/${v.groupVersion}`)).json);
  return out;
}

function describeDifferences(diffs: Difference[]): string {
  return diffs.map((d) => `  ${d.path}: ${d.why}\n    upstream: ${JSON.stringify(d.expected)}\n    kube-ts:  ${JSON.stringify(d.actual)}`).join('\n');
}

const patchTypes = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

describe('fidelity: answers as kube-apiserver v1.32 gives them', () => {
  let server: TestServer;
  let resources: Map<string, ResourceInfo>;
  before(async () => {
    server = await startServer();
    resources = await discover(server);
  });
  after(async () => {
    await server.stop();
  });

  /** The collection path and object path of a manifest, in namespace `ns` when the kind is namespaced. */
  function paths(m: Manifest, ns: string): { collection: string; object: string; namespaced: boolean } {
    const info = resources.get(`${m.apiVersion}/${m.kind}`);
    if (!info) throw new Error(`the server does not serve ${m.apiVersion} ${m.kind}`);
    const base = m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`;
    const namespace = m.metadata?.namespace ?? ns;
    const collection = info.namespaced ? `${base}/namespaces/${namespace}/${info.resource}` : `${base}/${info.resource}`;
    return { collection, object: `${collection}/${m.metadata?.name ?? ''}`, namespaced: info.namespaced };
  }

  async function send(step: Step, ns: string, cleanup: string[]) {
    const q = step.query ? `?${step.query}` : '';
    if (step.create) {
      const p = paths(step.create, ns);
      if (!p.namespaced) cleanup.push(p.object);
      return server.request('POST', p.collection + q, step.create);
    }
    if (step.update) return server.request('PUT', paths(step.update, ns).object + q, step.update);
    if (step.get) return server.request('GET', paths(step.get, ns).object + q);
    if (step.delete) return server.request('DELETE', paths(step.delete, ns).object + q);
    if (step.patch) {
      const p = paths(step.patch.target, ns);
      if (!p.namespaced && step.patch.type === 'apply') cleanup.push(p.object);
      return server.request('PATCH', p.object + q, JSON.stringify(step.patch.body), { 'content-type': patchTypes[step.patch.type] });
    }
    const r = step.request!;
    const body = r.bodyText ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    return server.request(r.method, r.path + (step.query ? (r.path.includes('?') ? '&' : '?') + step.query : ''), body, r.contentType ? { 'content-type': r.contentType } : { 'content-type': 'application/json' });
  }

  const files = loadCaseFiles();
  let n = 0;
  for (const file of files) {
    describe(file.file, () => {
      for (const c of file.cases) {
        const ns = `fidelity-${++n}`;
        it(c.name, async () => {
          const created = await server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
          assert.equal(created.status, 201, created.text);
          const cleanup: string[] = [];
          try {
            for (const [i, raw] of c.steps.entries()) {
              const step = substitute(raw, { ns });
              const res = await send(step, ns, cleanup);
              const where = `step ${i + 1} of "${c.name}" (${file.file})`;
              assert.equal(res.status, step.expect.code, `${where}: HTTP ${res.status}, upstream answers ${step.expect.code}\n${res.text.slice(0, 2000)}`);
              const diffs = step.expect.status
                ? compareStatus({ code: step.expect.code, ...step.expect.status }, res.json)
                : step.expect.object !== undefined
                  ? compareLeaves(step.expect.object, res.json, step.expect.ignore)
                  : [];
              assert.equal(diffs.length, 0, `${where} differs from upstream:\n${describeDifferences(diffs)}`);
            }
          } finally {
            for (const path of cleanup) await server.request('DELETE', path);
            await server.request('DELETE', `/api/v1/namespaces/${ns}`);
          }
        });
      }
    });
  }
});
