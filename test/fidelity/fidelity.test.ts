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

/** The texts of `Warning: 299 - "text"` headers (Node joins repeated headers with ", "; quotes inside are escaped). */
function warningTexts(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(', ') : header ?? '';
  return [...joined.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
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

  /**
   * The server's request, sent as another user when a step says `as` (Impersonate-User and one Impersonate-Group
   * header per group, as kubectl --as/--as-group send them; the admin client may impersonate anyone).
   */
  function actingAs(as: Step['as']): TestServer['request'] {
    if (!as) return (method, path, body, headers) => server.request(method, path, body, headers);
    const impersonation = { 'impersonate-user': as.user, ...(as.groups?.length ? { 'impersonate-group': as.groups } : {}) };
    return (method, path, body, headers) => server.request(method, path, body, { ...headers, ...impersonation } as unknown as Record<string, string>);
  }

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
    const request = actingAs(step.as);
    const q = step.query ? `?${step.query}` : '';
    if (step.create) {
      const p = paths(step.create, ns);
      if (!p.namespaced) cleanup.push(p.object);
      return request('POST', p.collection + q, step.create);
    }
    if (step.update) return request('PUT', paths(step.update, ns).object + q, step.update);
    if (step.get) return request('GET', paths(step.get, ns).object + q);
    if (step.delete) return request('DELETE', paths(step.delete, ns).object + q);
    if (step.patch) {
      const p = paths(step.patch.target, ns);
      if (!p.namespaced && step.patch.type === 'apply') cleanup.push(p.object);
      return request('PATCH', p.object + q, JSON.stringify(step.patch.body), { 'content-type': patchTypes[step.patch.type] });
    }
    const r = step.request!;
    const body = r.bodyText ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    const headers: Record<string, string> = { 'content-type': r.contentType ?? 'application/json' };
    if (r.accept) headers.accept = r.accept;
    Object.assign(headers, r.headers);
    return request(r.method, r.path + (step.query ? (r.path.includes('?') ? '&' : '?') + step.query : ''), body, headers);
  }

  interface CrdShape {
    spec: { group: string; scope: string; names: { plural: string; kind: string }; versions: { name: string; served: boolean }[] };
    status?: { conditions?: { type: string; status: string }[] | null };
  }

  /**
   * Polls the CRD until it is Established and every served version answers a list (the handler serves a CRD a moment
   * after the condition flips), then records its kinds so later steps find their paths. Bounded by attempts, not time.
   */
  async function waitEstablished(name: string, where: string) {
    let crd: CrdShape | undefined;
    for (let i = 0; i < 500 && !crd; i++) {
      const res = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const got = res.json as CrdShape;
      if (res.status === 200 && got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) crd = got;
      else await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(crd, `${where}: CRD ${name} never became Established`);
    for (const v of crd.spec.versions.filter((v) => v.served)) {
      const gv = `${crd.spec.group}/${v.name}`;
      resources.set(`${gv}/${crd.spec.names.kind}`, { resource: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced' });
      let status = 404;
      for (let i = 0; i < 500 && status === 404; i++) {
        status = (await server.request('GET', `/apis/${gv}/${crd.spec.names.plural}`)).status;
        if (status === 404) await new Promise((r) => setTimeout(r, 20));
      }
      assert.notEqual(status, 404, `${where}: ${gv} ${crd.spec.names.plural} never served`);
    }
  }

  // FIDELITY_ONLY=<text>: only the case files whose path contains the text (comma-separated for several).
  const only = process.env.FIDELITY_ONLY?.split(',').filter(Boolean);
  const files = loadCaseFiles().filter((f) => !only?.length || only.some((o) => f.file.includes(o)));
  let n = 0;
  for (const file of files) {
    describe(file.file, () => {
      for (const c of file.cases) {
        const ns = `fidelity-${++n}`;
        it(c.name, async () => {
          const created = await server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
          assert.equal(created.status, 201, created.text);
          const cleanup: string[] = [];
          // `${rv}`: the resourceVersion of the last answer that carried one (for updates of kinds that require it);
          // `${uid}` and `${creationTimestamp}` likewise, for a replace that sends the object's identity back.
          const last: Record<string, string> = {};
          try {
            for (const [i, raw] of c.steps.entries()) {
              const step = substitute(raw, { ns, ...last });
              const where = `step ${i + 1} of "${c.name}" (${file.file})`;
              if (step.waitEstablished !== undefined) {
                await waitEstablished(step.waitEstablished, where);
                continue;
              }
              const expect = step.expect!;
              const compare = (json: unknown) =>
                expect.status
                  ? compareStatus({ code: expect.code, ...expect.status }, json)
                  : expect.object !== undefined
                    ? compareLeaves(expect.object, json, expect.ignore)
                    : [];
              let res = await send(step, ns, cleanup);
              for (let attempt = 1; step.poll && attempt < 500 && (res.status !== expect.code || compare(res.json).length); attempt++) {
                await new Promise((r) => setTimeout(r, 20));
                res = await send(step, ns, cleanup);
              }
              for (const [k, field] of [['rv', 'resourceVersion'], ['uid', 'uid'], ['creationTimestamp', 'creationTimestamp']]) {
                const v = res.json?.metadata?.[field];
                if (typeof v === 'string') last[k] = v;
              }
              assert.equal(res.status, expect.code, `${where}: HTTP ${res.status}, upstream answers ${expect.code}\n${res.text.slice(0, 2000)}`);
              const diffs = compare(res.json);
              assert.equal(diffs.length, 0, `${where} differs from upstream:\n${describeDifferences(diffs)}`);
              if (expect.warnings) assert.deepEqual(warningTexts(res.headers.warning), expect.warnings, `${where}: Warning headers differ from upstream`);
              for (const text of expect.bodyIncludes ?? []) assert.ok(res.text.includes(text), `${where}: the body does not hold ${text} as upstream writes it:\n${res.text.slice(0, 2000)}`);
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
