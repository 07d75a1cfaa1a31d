/**
 * Maps whose keys are digits ("10", "9") in what a watcher reads: kube-apiserver writes every map with its keys sorted
 * byte by byte ("10" before "9"), where a JavaScript object lists such keys first in numeric order. Asserted on the
 * event lines as the server writes them (a parsed event cannot show member order).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

describe("watch events write maps with keys of digits in Go's order", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('an ADDED event of a ConfigMap, as JSON and as a Table row', async () => {
    const path = '/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Ddigits';
    const plain = await server.watch(path);
    const table = await server.watch(`${path}&includeObject=Object`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    try {
      const body = '{"metadata":{"name":"digits","labels":{"9":"y","10":"x"}},"data":{"b":"1","9":"y","10":"x"}}';
      assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', body, { 'Content-Type': 'application/json' })).status, 201);
      for (const line of [await plain.nextLine(10_000), await table.nextLine(10_000)]) {
        assert.ok(line.includes('"labels":{"10":"x","9":"y"}'), line);
        assert.ok(line.includes('"data":{"10":"x","9":"y","b":"1"}'), line);
      }
    } finally {
      plain.close();
      table.close();
    }
  });
});
