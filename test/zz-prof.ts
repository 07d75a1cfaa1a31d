import { startServer } from '/work/main/test/support/server.ts';
const n = 1000; const conc = 16;
const s = await startServer({});
async function rate(label: string, ops: number, fn: (i: number) => Promise<unknown>) {
  const t = performance.now(); let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => { while (next < ops) await fn(next++); }));
  console.log(label, (ops / ((performance.now() - t) / 1000)).toFixed(0));
}
const what = process.env.WHAT ?? 'POST';
await rate('POST', n, (i) => s.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `w-${i}` }, data: { k: 'v'.repeat(100) } }));
for (let r = 0; r < 3; r++) {
  if (what === 'POST') await rate('POST', n, (i) => s.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `b-${r}-${i}` }, data: { k: 'v'.repeat(100) } }));
  if (what === 'GET') await rate('GET', n * 4, (i) => s.request('GET', `/api/v1/namespaces/default/configmaps/w-${i % n}`));
  if (what === 'PUT') await rate('PUT', n, (i) => s.request('PUT', `/api/v1/namespaces/default/configmaps/w-${i}`, { metadata: { name: `w-${i}` }, data: { k: `v${r}`.repeat(50) } }));
}
await s.stop();
