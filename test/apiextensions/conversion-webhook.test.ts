/**
 * Conversion webhooks: a CRD with v1 (`spec.size`) and v2 (`spec.magnitude`, the same field renamed) converted by a
 * real HTTPS webhook in the test. Objects written in one version are read in the other through the webhook (by
 * URL and through a Service), and webhooks that fail, time out, answer garbage or lie make the request fail with
 * upstream's message while nothing bad is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { within } from '../support/within.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer, type WebhookAnswer, type WebhookServer } from '../support/webhook-server.ts';
import { hostAddress } from '../support/host-address.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const group = 'conv.example.dev';

/** What the webhook does, per path: converts properly, or misbehaves in one way. */
type Mode = 'convert' | 'http500' | 'hang' | 'slow' | 'garbage' | 'trailing' | 'wrongUid' | 'wrongCount' | 'renamed' | 'refuse' | 'relabel' | 'noUid';

function convertOne(obj: Obj, to: string): Obj {
  const out = structuredClone(obj);
  out.apiVersion = to;
  if (to.endsWith('/v2') && out.spec && 'size' in out.spec) {
    out.spec.magnitude = out.spec.size;
    delete out.spec.size;
  }
  if (to.endsWith('/v1') && out.spec && 'magnitude' in out.spec) {
    out.spec.size = out.spec.magnitude;
    delete out.spec.magnitude;
  }
  return out;
}

/** When the `slow` webhook last answered (it converts, 5 seconds late). */
let slowAnswered: Promise<void> = Promise.resolve();

function answer(path: string, review: Obj): WebhookAnswer | Promise<WebhookAnswer> {
  const mode = path.slice(1) as Mode;
  const req = review.request;
  const converted = () => req.objects.map((o: Obj) => convertOne(o, req.desiredAPIVersion));
  const ok = (objects: Obj[], extra: Obj = {}): WebhookAnswer => ({
    apiVersion: review.apiVersion,
    kind: 'ConversionReview',
    response: { uid: req.uid, result: { status: 'Success' }, convertedObjects: objects, ...extra },
  });
  switch (mode) {
    case 'convert':
      return ok(converted());
    case 'http500':
      return { raw: { status: 500, body: 'converter crashed' } };
    case 'hang':
      return { hang: true };
    case 'slow': {
      const late = new Promise<WebhookAnswer>((r) => setTimeout(() => r(ok(converted())), 5000));
      slowAnswered = late.then(() => undefined);
      return late;
    }
    case 'garbage':
      return { raw: { status: 200, body: 'not json at all', contentType: 'application/json' } };
    case 'trailing':
      return { raw: { status: 200, body: '{"kind":"ConversionReview"} x', contentType: 'application/json' } };
    case 'wrongUid':
      return ok(converted(), { uid: 'not-the-uid' });
    case 'noUid':
      return { apiVersion: review.apiVersion, kind: 'ConversionReview', response: { uid: '', result: { status: 'Success' }, convertedObjects: converted() } };
    case 'wrongCount':
      return ok([...converted(), ...converted()]);
    case 'renamed':
      return ok(converted().map((o: Obj) => ({ ...o, metadata: { ...o.metadata, name: 'someone-else' } })));
    case 'refuse':
      return ok([], { result: { status: 'Failure', message: 'size 13 is unlucky' } });
    case 'relabel':
      // Labels may change; other metadata (here the generation and an annotation-free change of finalizers) may not leak.
      return ok(converted().map((o: Obj) => ({ ...o, metadata: { ...o.metadata, labels: { converted: 'yes' }, finalizers: ['sneaky'] } })));
  }
}

function crd(webhookPath: string, hooks: WebhookServer, extra: { storage?: 'v1' | 'v2'; reviewVersions?: string[]; clientConfig?: Obj; v1Deprecated?: Obj } = {}): Obj {
  const storage = extra.storage ?? 'v1';
  const version = (name: string, field: string) => ({
    name,
    served: true,
    storage: storage === name,
    ...(name === 'v1' && extra.v1Deprecated ? extra.v1Deprecated : {}),
    schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { [field]: { type: 'integer' } } } } } },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `things.${group}` },
    spec: {
      group,
      names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
      scope: 'Namespaced',
      versions: [version('v1', 'size'), version('v2', 'magnitude')],
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: extra.clientConfig ?? { url: `${hooks.url}${webhookPath}`, caBundle: hooks.caBundle },
          conversionReviewVersions: extra.reviewVersions ?? ['v1', 'v1beta1'],
        },
      },
    },
  };
}

describe('conversion webhooks', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const base = `/apis/${group}`;

  /** Points the CRD's webhook somewhere else (and waits until the server converts through it). */
  async function useWebhook(path: string, extra: Parameters<typeof crd>[2] = {}): Promise<void> {
    const current = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`);
    const next = crd(path, hooks, extra);
    next.metadata.resourceVersion = current.json.metadata.resourceVersion;
    const res = await server.request('PUT', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`, next);
    assert.equal(res.status, 200, res.text);
    // The CRD change reaches the serving side through a watch: probe until a read in v2 goes to the new path.
    const before = hooks.received.length;
    for (let i = 0; i < 100; i++) {
      await server.request('GET', `${base}/v2/namespaces/default/things/probe`);
      const last = hooks.received.slice(before).at(-1);
      if (last && last.path === path) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server never called ${path}`);
  }

  before(async () => {
    hooks = await startWebhookServer(answer, { serviceNames: ['converter.hooks.svc'] });
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
    const created = await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('/convert', hooks));
    assert.equal(created.status, 201, created.text);
    const wait = await kubectl.run(['wait', '--for=condition=Established', '--timeout=30s', `crd/things.${group}`]);
    assert.equal(wait.code, 0, wait.stderr);
    // An object stored in v1 that every later probe reads in v2 (through the webhook).
    const probe = await server.request('POST', `${base}/v1/namespaces/default/things`, { apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 'probe' }, spec: { size: 1 } });
    assert.equal(probe.status, 201, probe.text);
  });

  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('reads an object written in v1 in v2, converted by the webhook with a v1 ConversionReview', async () => {
    const created = await kubectl.run(['apply', '-f', '-'], `apiVersion: ${group}/v1\nkind: Thing\nmetadata:\n  name: t1\n  namespace: default\nspec:\n  size: 5\n`);
    assert.equal(created.code, 0, created.stderr);
    const seen = hooks.received.length;
    const asV2 = await server.request('GET', `${base}/v2/namespaces/default/things/t1`);
    assert.equal(asV2.status, 200, asV2.text);
    assert.equal(asV2.json.apiVersion, `${group}/v2`);
    assert.deepEqual(asV2.json.spec, { magnitude: 5 });
    const review = hooks.received.slice(seen).find((r) => r.path === '/convert')!.review;
    assert.equal(review.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(review.kind, 'ConversionReview');
    assert.equal(review.request.desiredAPIVersion, `${group}/v2`);
    assert.match(review.request.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(review.request.objects.map((o: Obj) => [o.apiVersion, o.metadata.name, o.spec]), [[`${group}/v1`, 't1', { size: 5 }]]);
    assert.equal(hooks.received.slice(seen).find((r) => r.path === '/convert')!.query.get('timeout'), '30s');
  });

  it('converts an object holding an int64 past 2^53 through the webhook (it was a 500)', async () => {
    const body = `{"apiVersion":"${group}/v1","kind":"Thing","metadata":{"name":"big"},"spec":{"size":9007199254740993}}`;
    assert.equal((await server.request('POST', `${base}/v1/namespaces/default/things`, body)).status, 201);
    const seen = hooks.received.length;
    const res = await server.request('GET', `${base}/v2/namespaces/default/things/big`);
    assert.equal(res.status, 200, res.text);
    // The test's webhook reads the review with JSON.parse, so only the request's arrival can be asserted here.
    assert.equal(hooks.received.slice(seen)[0].review.request.objects[0].metadata.name, 'big');
    assert.equal(typeof res.json.spec.magnitude, 'number');
    assert.equal((await server.request('DELETE', `${base}/v1/namespaces/default/things/big`)).status, 200);
  });

  it('stores an object written in v2 in the storage version v1, and lists both in v2', async () => {
    const created = await kubectl.run(['apply', '-f', '-'], `apiVersion: ${group}/v2\nkind: Thing\nmetadata:\n  name: t2\n  namespace: default\nspec:\n  magnitude: 9\n`);
    assert.equal(created.code, 0, created.stderr);
    const asV1 = await server.request('GET', `${base}/v1/namespaces/default/things/t2`);
    assert.deepEqual(asV1.json.spec, { size: 9 });
    const list = await kubectl.run(['get', `things.v2.${group}`, '-n', 'default', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.magnitude} {end}']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, 'probe=1 t1=5 t2=9 ');
  });

  it('sends a v1beta1 ConversionReview when the CRD asks only for it', async () => {
    await useWebhook('/convert', { reviewVersions: ['v1beta1'] });
    const seen = hooks.received.length;
    const res = await server.request('GET', `${base}/v2/namespaces/default/things/t1`);
    assert.equal(res.status, 200, res.text);
    assert.equal(hooks.received.slice(seen)[0].review.apiVersion, 'apiextensions.k8s.io/v1beta1');
    // v1beta1 answers are not held to the uid (older webhooks did not echo it), as upstream.
    await useWebhook('/noUid', { reviewVersions: ['v1beta1'] });
    assert.equal((await server.request('GET', `${base}/v2/namespaces/default/things/t1`)).status, 200);
  });

  it('reaches the webhook through a Service, checking the certificate for <name>.<namespace>.svc', async () => {
    await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'hooks' } });
    const svc = await server.request('POST', '/api/v1/namespaces/hooks/services', { metadata: { name: 'converter' }, spec: { ports: [{ name: 'https', port: 443, targetPort: hooks.port }] } });
    assert.equal(svc.status, 201, svc.text);
    const ep = await server.request('POST', '/api/v1/namespaces/hooks/endpoints', { metadata: { name: 'converter' }, subsets: [{ addresses: [{ ip: hostAddress() }], ports: [{ name: 'https', port: hooks.port }] }] });
    assert.equal(ep.status, 201, ep.text);
    await useWebhook('/convert', { clientConfig: { service: { namespace: 'hooks', name: 'converter', path: '/convert', port: 443 }, caBundle: hooks.caBundle } });
    const res = await server.request('GET', `${base}/v2/namespaces/default/things/t2`);
    assert.deepEqual(res.json.spec, { magnitude: 9 });
  });

  it('takes labels and annotations from the webhook, every other metadata field from the object', async () => {
    await useWebhook('/relabel');
    const res = await server.request('GET', `${base}/v2/namespaces/default/things/t1`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.metadata.labels, { converted: 'yes' });
    assert.equal(res.json.metadata.finalizers, undefined);
  });

  describe('webhooks that fail or lie: the request fails with upstream\'s message, nothing is stored', () => {
    /** A create in v2 (converted to v1 for storage) and a read in v2 both fail with `message`; t-bad never exists. */
    async function failsWith(path: string, message: string | RegExp): Promise<void> {
      await useWebhook(path);
      const read = await server.request('GET', `${base}/v2/namespaces/default/things/t1`);
      assert.equal(read.status, 500, read.text);
      assert.equal(read.json.kind, 'Status');
      if (typeof message === 'string') assert.equal(read.json.message, message);
      else assert.match(read.json.message, message);
      const write = await kubectl.run(['create', '-f', '-'], `apiVersion: ${group}/v2\nkind: Thing\nmetadata:\n  name: t-bad\n  namespace: default\nspec:\n  magnitude: 13\n`);
      assert.notEqual(write.code, 0);
      assert.match(write.stderr, /^Error from server: error when creating "STDIN": conversion webhook for conv\.example\.dev\/v2, Kind=Thing (failed:|returned) /m);
      const stored = await server.request('GET', `${base}/v1/namespaces/default/things/t-bad`);
      assert.equal(stored.status, 404, 'nothing was stored');
    }

    it('an HTTP 500', async () => {
      await failsWith('/http500', `conversion webhook for ${group}/v1, Kind=Thing failed: an error on the server ("converter crashed") has prevented the request from succeeding`);
    });

    it('garbage instead of JSON', async () => {
      await failsWith('/garbage', `conversion webhook for ${group}/v1, Kind=Thing failed: couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting 'u')`);
    });

    it('JSON with text after it, refused in the words of Go\'s scanner (encoding/json checks the whole body first)', async () => {
      await failsWith('/trailing', `conversion webhook for ${group}/v1, Kind=Thing failed: couldn't get version/kind; json parse error: invalid character 'x' after top-level value`);
    });

    it('a wrong uid', async () => {
      await failsWith('/wrongUid', new RegExp(`^conversion webhook for ${group}/v1, Kind=Thing failed: expected response\\.uid="[0-9a-f-]{36}", got "not-the-uid"$`));
    });

    it('a refusal', async () => {
      await failsWith('/refuse', `conversion webhook for ${group}/v1, Kind=Thing failed: size 13 is unlucky`);
    });

    it('too many objects', async () => {
      await failsWith('/wrongCount', `conversion webhook for ${group}/v1, Kind=Thing returned 2 objects, expected 1`);
    });

    it('a changed name', async () => {
      await failsWith('/renamed', `conversion webhook for ${group}/v1, Kind=Thing returned invalid object: must have the same name: t1 != someone-else`);
    });

    it('a list through a lying webhook fails as a whole', async () => {
      const list = await server.request('GET', `${base}/v2/namespaces/default/things`);
      assert.equal(list.status, 500);
      assert.equal(list.json.message, `conversion webhook for ${group}/v1, Kind=ThingList returned invalid converted object at index 1: must have the same name: probe != someone-else`);
    });

    it('no answer within 30 seconds', { timeout: 90_000 }, async () => {
      await useWebhookQuietly('/hang');
      const started = Date.now();
      const read = await server.request('GET', `${base}/v2/namespaces/default/things/t1`);
      assert.equal(read.status, 500, read.text);
      assert.equal(read.json.message, `conversion webhook for ${group}/v1, Kind=Thing failed: Post "${hooks.url}/hang?timeout=30s": context deadline exceeded`);
      assert.ok(Date.now() - started >= 29_000, 'waited the whole 30 seconds');
    });

    it("a read or list with ?timeout=2s: the webhook's call ends with the request, not at its own 30 seconds", { timeout: 90_000 }, async () => {
      for (const path of [`${base}/v2/namespaces/default/things/t1`, `${base}/v2/namespaces/default/things`]) {
        const before = hooks.received.length;
        const res = await server.request('GET', `${path}?timeout=2s`);
        assert.equal(res.status, 504, res.text);
        const call = hooks.received.slice(before).find((r) => r.path === '/hang');
        assert.ok(call?.abandoned, `the webhook was called for ${path}`);
        // A bound, not a timing: the call outliving the request would end only at the webhook's 30 s timeout.
        const givenUp = await Promise.race([call.abandoned.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
        assert.ok(givenUp, `the webhook call for ${path} was still open 20 s after its request timed out`);
      }
    });

    it("a watch whose client goes away while an event waits for the webhook: the call ends with the watch, and no other starts", { timeout: 90_000 }, async () => {
      const before = hooks.received.length;
      const calls = () => hooks.received.slice(before).filter((r) => r.path === '/hang');
      const watch = await server.watch(`${base}/v2/namespaces/default/things?watch=1`);
      assert.equal(watch.status, 200);
      // The first ADDED event waits on the webhook; the others queue behind it.
      await eventually(() => calls().length > 0, 'the webhook called for the watch');
      watch.close();
      // A bound, not a timing: a call outliving the watch would end only at the webhook's 30 s timeout.
      await within(20_000, "the watch's webhook call ended", calls()[0].abandoned!);
      assert.equal(calls().length, 1);
    });

    it('a create with ?timeout=2s whose conversion answers after it stores nothing', { timeout: 90_000 }, async () => {
      await useWebhookQuietly('/slow');
      const created = await server.request('POST', `${base}/v2/namespaces/default/things?timeout=2s`, { apiVersion: `${group}/v2`, kind: 'Thing', metadata: { name: 'late' }, spec: { magnitude: 7 } });
      assert.equal(created.status, 504, created.text);
      await slowAnswered;
      // Room for a write the answer would have let through (none is made: the call ended with the request).
      await new Promise((r) => setTimeout(r, 2000));
      const read = await server.request('GET', `${base}/v1/namespaces/default/things/late`);
      assert.equal(read.status, 404, read.text);
    });

    it('and the objects stored before are untouched', async () => {
      await useWebhook('/convert');
      const t1 = await server.request('GET', `${base}/v1/namespaces/default/things/t1`);
      assert.deepEqual([t1.json.metadata.name, t1.json.spec], ['t1', { size: 5 }]);
    });
  });

  /** Like useWebhook, for a webhook that never answers: waits for the CRD change with a v1 read instead. */
  async function useWebhookQuietly(path: string): Promise<void> {
    const current = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`);
    const next = crd(path, hooks);
    next.metadata.resourceVersion = current.json.metadata.resourceVersion;
    const res = await server.request('PUT', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`, next);
    assert.equal(res.status, 200, res.text);
    await new Promise((r) => setTimeout(r, 1000));
  }

  it('moving storage to v2 records both versions in status.storedVersions', async () => {
    await useWebhook('/convert', { storage: 'v2' });
    const created = await server.request('POST', `${base}/v2/namespaces/default/things`, { apiVersion: `${group}/v2`, kind: 'Thing', metadata: { name: 't3' }, spec: { magnitude: 3 } });
    assert.equal(created.status, 201, created.text);
    const got = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.${group}`);
    assert.deepEqual(got.json.status.storedVersions, ['v1', 'v2']);
    const asV1 = await server.request('GET', `${base}/v1/namespaces/default/things/t3`);
    assert.deepEqual(asV1.json.spec, { size: 3 });
  });

  it('warns on every request to a deprecated version, with its own text or upstream\'s default', async () => {
    await useWebhook('/convert', { storage: 'v2', v1Deprecated: { deprecated: true } });
    const res = await kubectl.run(['get', `things.v1.${group}`, 't1', '-n', 'default', '-o', 'name']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /^Warning: conv\.example\.dev\/v1 Thing is deprecated; use conv\.example\.dev\/v2 Thing$/m);
    await useWebhook('/convert', { storage: 'v2', v1Deprecated: { deprecated: true, deprecationWarning: 'v1 things go away in 2027' } });
    const list = await server.request('GET', `${base}/v1/namespaces/default/things`);
    assert.match(String(list.headers.warning), /299 - "v1 things go away in 2027"/);
  });
});
