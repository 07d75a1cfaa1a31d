import { after, before, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
let server: TestServer;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });
it('probe', async () => {
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } };
  const res = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create', dep);
  console.log(res.status, JSON.stringify(res.json, null, 1));
  const ev = await server.request('POST', '/api/v1/namespaces/default/events', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'X', message: 'm' });
  console.log(ev.status, JSON.stringify(ev.json));
});
