import { startServer } from './test/support/server.ts';
const s = await startServer();
const pod = (cpu: string, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu }, limits: { cpu } } }] } });
for (const [i, q] of ['1e2000000000', '1e-2000000000', '1e200000', '9Ei'].entries()) {
  const t = Date.now();
  const r = await s.request('POST', '/api/v1/namespaces/default/pods', pod(q, `p${i}`));
  console.log(q, r.status, Date.now() - t, 'ms', r.status >= 300 ? r.text.slice(0, 300) : JSON.stringify(r.json.spec.containers[0].resources));
}
const cap = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIStorageCapacity', metadata: { name: 'c1' }, storageClassName: 's', capacity: '1e2000000000' };
let t = Date.now(); const r = await s.request('POST', '/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities', cap); console.log('cap', r.status, Date.now() - t, r.text.slice(0, 200));
await s.stop();
