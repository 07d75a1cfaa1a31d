/**
 * STOPGAP until the naming and establishing controllers (crd-api) are on this branch: if a CRD is not Established
 * within two seconds, sets through /status what those controllers would set (accepted names, Established). Once
 * the controllers run, the CRD is established first and this does nothing. Delete with its two call sites then.
 */
import type { TestServer } from '../support/server.ts';

export async function establishStopgap(server: TestServer, name: string): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  for (let i = 0; i < 20; i++) {
    const cur = await server.request('GET', path);
    if (cur.json?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const cur = (await server.request('GET', path)).json;
  cur.status = {
    ...cur.status,
    acceptedNames: cur.spec.names,
    storedVersions: cur.status?.storedVersions ?? [cur.spec.versions.find((v: { storage: boolean }) => v.storage).name],
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
    ],
  };
  const res = await server.request('PUT', `${path}/status`, cur);
  if (res.status !== 200) throw new Error(`stopgap establish of ${name}: ${res.status} ${res.text}`);
}
