/**
 * Custom resources holding integers between 2^53 and 2^63 (IDs, byte counts, nanosecond timestamps): upstream decodes
 * a custom resource's whole numbers into int64, so they come back as written, through every verb, patch, watch,
 * Table, YAML answer, schema check and CEL rule. Beyond int64 a number is a float64 upstream, which a schema's
 * `type: integer` refuses. Asserted on the bytes the server writes (a client's JSON.parse would round them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { createEstablishedCRD, crdManifest } from '../support/crd.ts';
import { startWebhookServer } from '../support/webhook-server.ts';
import { install, webhook } from '../admission/webhook-support.ts';

const group = 'int64.example.com';
const base = `/apis/${group}/v1/namespaces/default/counters`;

const crd = crdManifest({
  group,
  names: { plural: 'counters', singular: 'counter', kind: 'Counter' },
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [{ rule: '!has(self.limit) || self.size <= self.limit', message: 'size must not exceed limit' }],
        properties: {
          size: { type: 'integer', format: 'int64' },
          limit: { type: 'integer' },
          capped: { type: 'integer', maximum: 9007199254740995 },
          big: { type: 'integer', default: 1 },
          // 2^53, whole: an int64 upstream, past the numbers a float64 is an integer among.
          dflt: { type: 'integer', default: 9007199254740992, enum: [9007199254740992, 9007199254740994] },
          list: { type: 'array', items: { type: 'integer' } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  },
  version: { additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] },
});

/** 2^53 + 1: the first integer JSON.parse cannot hold. */
const unsafe = '9007199254740993';
const int64Max = '9223372036854775807';
const int64Min = '-9223372036854775808';

function counter(name: string, spec: string): string {
  return `{"apiVersion":"${group}/v1","kind":"Counter","metadata":{"name":"${name}"},"spec":${spec}}`;
}

describe('custom resources keep int64s past 2^53 exact', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
    await createEstablishedCRD(server, crd);
    await eventually(async () => (await server.request('GET', base)).status === 200, 'counters to be served');
  });
  after(async () => {
    await server?.stop();
  });

  it('create answers, get, list and the YAML answer carry the integers as written', async () => {
    const body = counter('c1', `{"size":${unsafe},"list":[${int64Max},${int64Min},7],"free":{"ns":1733500000123456789}}`);
    const created = await server.request('POST', base, body);
    assert.equal(created.status, 201, created.text);
    for (const text of [created.text, (await server.request('GET', `${base}/c1`)).text, (await server.request('GET', base)).text]) {
      assert.match(text, new RegExp(`"size":${unsafe}[,}]`));
      assert.match(text, new RegExp(`"list":\\[${int64Max},${int64Min},7\\]`));
      assert.match(text, /"ns":1733500000123456789[,}]/);
    }
    assert.match(created.text, /"dflt":9007199254740992[,}]/, 'a default past 2^53 is an integer, written as digits');
    const yaml = await server.request('GET', `${base}/c1`, undefined, { Accept: 'application/yaml' });
    assert.match(yaml.text, new RegExp(`^  size: ${unsafe}$`, 'm'));
    assert.match(yaml.text, new RegExp(`^  - ${int64Max}$`, 'm'));
  });

  it('a YAML body keeps its int64s exact too', async () => {
    const yaml = `apiVersion: ${group}/v1\nkind: Counter\nmetadata:\n  name: y1\nspec:\n  size: ${unsafe}\n  list: [${int64Min}, 3]\n`;
    const r = await server.request('POST', base, yaml, { 'Content-Type': 'application/yaml' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.text, new RegExp(`"size":${unsafe}[,}]`));
    assert.match(r.text, new RegExp(`"list":\\[${int64Min},3\\]`));
  });

  it('a Table cell of an integer printer column holds the exact integer', async () => {
    const table = await server.request('GET', `${base}/c1`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.equal(table.status, 200, table.text);
    assert.match(table.text, new RegExp(`"cells":\\["c1",${unsafe}\\]`));
  });

  it('a watch event carries the exact integer', async () => {
    const w = await server.watch(`${base}?watch=1&fieldSelector=metadata.name%3Dc2`);
    try {
      assert.equal((await server.request('POST', base, counter('c2', `{"size":${int64Max}}`))).status, 201);
      const line = await w.nextLine(10_000);
      assert.match(line, /^\{"type":"ADDED"/);
      assert.match(line, new RegExp(`"size":${int64Max}[,}]`));
    } finally {
      w.close();
    }
  });

  it('a JSON merge patch keeps the members it does not touch and writes a big value exactly', async () => {
    const r = await server.request('PATCH', `${base}/c1`, `{"spec":{"limit":${int64Max}}}`, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, new RegExp(`"size":${unsafe}[,}]`));
    assert.match(r.text, new RegExp(`"limit":${int64Max}[,}]`));
  });

  it('a JSON patch tests the exact big value and adds another', async () => {
    const wrong = await server.request('PATCH', `${base}/c1`, `[{"op":"test","path":"/spec/size","value":9007199254740992},{"op":"add","path":"/spec/list/-","value":1}]`, { 'Content-Type': 'application/json-patch+json' });
    assert.equal(wrong.status, 422, wrong.text);
    const r = await server.request('PATCH', `${base}/c1`, `[{"op":"test","path":"/spec/size","value":${unsafe}},{"op":"add","path":"/spec/list/-","value":9007199254740995}]`, { 'Content-Type': 'application/json-patch+json' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, new RegExp(`"list":\\[${int64Max},${int64Min},7,9007199254740995\\]`));
  });

  it('server-side apply keeps the int64s it does not set exact; an applied one is a float64, as upstream reads apply bodies', async () => {
    assert.equal((await server.request('POST', base, counter('c3', `{"size":${unsafe},"limit":${int64Max}}`))).status, 201);
    const r = await server.request('PATCH', `${base}/c3?fieldManager=other`, counter('c3', '{"list":[5]}'), { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, new RegExp(`"size":${unsafe}[,}]`));
    assert.match(r.text, new RegExp(`"limit":${int64Max}[,}]`));
    // Upstream decodes an apply body with sigs.k8s.io/yaml into interface{} (every number a float64): past 2^53 a
    // float64 is no integer to the schema.
    const applied = await server.request('PATCH', `${base}/c7?fieldManager=test`, counter('c7', `{"size":${unsafe}}`), { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applied.status, 422, applied.text);
    assert.equal(applied.json.details.causes[0].message, 'Invalid value: "number": spec.size in body must be of type integer: "number"');
  });

  it('an update (PUT) of the object read back keeps the integers exact', async () => {
    const got = (await server.request('GET', `${base}/c3`)).text;
    const put = await server.request('PUT', `${base}/c3`, got.replace(`"size":${unsafe}`, '"size":9007199254740995'));
    assert.equal(put.status, 200, put.text);
    assert.match(put.text, /"size":9007199254740995[,}]/);
    assert.match(put.text, new RegExp(`"limit":${int64Max}[,}]`));
  });

  it('a CEL rule sees the exact int64 (2^53 + 1 > 2^53)', async () => {
    // Rounded to float64, 2^53 + 1 would be 2^53: the rule would pass.
    const r = await server.request('POST', base, counter('c4', `{"size":${unsafe},"limit":9007199254740992}`));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.details.causes[0].message, 'Invalid value: "object": size must not exceed limit');
    assert.equal((await server.request('POST', base, counter('c4', `{"size":${unsafe},"limit":${unsafe}}`))).status, 201);
  });

  it('maximum compares the int64 exactly and names it as written', async () => {
    // 9007199254740995 is 9007199254740996 as the CRD's float64 maximum.
    const r = await server.request('POST', base, counter('c5', '{"capped":9007199254740997}'));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.details.causes[0].message, 'Invalid value: 9007199254740997: spec.capped in body should be less than or equal to 9007199254740996');
    assert.equal((await server.request('POST', base, counter('c5', '{"capped":9007199254740996}'))).status, 201);
  });

  it('beyond int64 a number is a float64, which type integer refuses', async () => {
    const r = await server.request('POST', base, counter('c6', '{"size":9223372036854775808}'));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.details.causes[0].message, 'Invalid value: "number": spec.size in body must be of type integer: "number"');
    // An exponent form is a float64 too, past 2^53 no integer.
    const e = await server.request('POST', base, counter('c6', '{"size":1e17}'));
    assert.equal(e.status, 422, e.text);
    assert.equal(e.json.details.causes[0].message, 'Invalid value: "number": spec.size in body must be of type integer: "number"');
  });

  it("a mutating webhook's JSON patch sets an int64 past 2^53 as written, on an object holding one (it was a 500)", async (t) => {
    const patch = '[{"op":"add","path":"/spec/limit","value":9223372036854775807}]';
    const hooks = await startWebhookServer(() => ({ response: { allowed: true, patchType: 'JSONPatch', patch: Buffer.from(patch).toString('base64') } }), { t });
    await install(server, hooks, 'mutating', 'int64-limit', [
      webhook(hooks, 'limit.int64.example.com', '/limit', {
        rules: [{ operations: ['CREATE'], apiGroups: [group], apiVersions: ['v1'], resources: ['counters'] }],
        objectSelector: { matchLabels: { hook: 'limit' } },
      }),
    ]);
    const r = await server.request('POST', base, `{"apiVersion":"${group}/v1","kind":"Counter","metadata":{"name":"w1","labels":{"hook":"limit"}},"spec":{"size":${unsafe}}}`);
    assert.equal(r.status, 201, r.text);
    assert.ok(r.text.includes(`"limit":${int64Max},"size":${unsafe}`), r.text);
    assert.ok((await server.request('GET', `${base}/w1`)).text.includes(`"limit":${int64Max},"size":${unsafe}`));
  });
});
