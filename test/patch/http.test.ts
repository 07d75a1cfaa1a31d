/**
 * PATCH over HTTPS against the real server, as kube-apiserver v1.32 answers it: strategic merge directives and
 * element order, JSON patch operations, merge patch nulls, and every error a patch can get (code, reason,
 * message), with nothing stored when a patch fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const configmaps = '/api/v1/namespaces/default/configmaps';
const smp = { 'Content-Type': 'application/strategic-merge-patch+json' };
const merge = { 'Content-Type': 'application/merge-patch+json' };
const json = { 'Content-Type': 'application/json-patch+json' };

function deployment(name: string, containers: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
      ...extra,
    },
  };
}

describe('PATCH', () => {
  let server: TestServer;
  let seq = 0;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  async function createDeployment(containers: unknown[], extra: Record<string, unknown> = {}) {
    const name = `d${++seq}`;
    const res = await server.request('POST', deployments, deployment(name, containers, extra));
    assert.equal(res.status, 201, res.text);
    return { name, url: `${deployments}/${name}`, created: res.json };
  }

  async function createConfigMap(data: Record<string, string> = { a: '1' }, metadata: Record<string, unknown> = {}) {
    const name = `c${++seq}`;
    const res = await server.request('POST', configmaps, { metadata: { name, ...metadata }, data });
    assert.equal(res.status, 201, res.text);
    return { name, url: `${configmaps}/${name}`, created: res.json };
  }

  const envNames = (d: any) => d.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name); // eslint-disable-line @typescript-eslint/no-explicit-any
  const containerNames = (d: any) => d.spec.template.spec.containers.map((c: { name: string }) => c.name); // eslint-disable-line @typescript-eslint/no-explicit-any

  /** The object is as it was: a failed patch stores nothing. */
  async function unchanged(url: string, before: { metadata: { resourceVersion: string } }) {
    const now = await server.request('GET', url);
    assert.equal(now.json.metadata.resourceVersion, before.metadata.resourceVersion);
  }

  describe('strategic merge patch', () => {
    it('puts a new env var of a container first, then the server\'s others, as upstream', async () => {
      const d = await createDeployment([{ name: 'app', image: 'nginx', env: [{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }] }]);
      const res = await server.request('PATCH', d.url, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'NEW', value: 'n' }] }] } } } }, smp);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(envNames(res.json), ['NEW', 'A', 'B']);
      // A changed item keeps its place; the patch's items keep their own order among themselves.
      const again = await server.request('PATCH', d.url, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: 'b2' }, { name: 'Z', value: 'z' }] }] } } } }, smp);
      assert.deepEqual(envNames(again.json), ['NEW', 'A', 'B', 'Z']);
      assert.equal(again.json.spec.template.spec.containers[0].env[2].value, 'b2');
    });

    it('$patch: delete removes a container by its merge key; $patch: replace replaces the whole list', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }, { name: 'c', image: 'redis' }]);
      const del = await server.request('PATCH', d.url, { spec: { template: { spec: { containers: [{ name: 'b', $patch: 'delete' }] } } } }, smp);
      assert.equal(del.status, 200, del.text);
      assert.deepEqual(containerNames(del.json), ['a', 'c']);
      const replace = await server.request('PATCH', d.url, { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'z', image: 'nginx' }] } } } }, smp);
      assert.equal(replace.status, 200, replace.text);
      assert.deepEqual(containerNames(replace.json), ['z']);
    });

    it('$patch: replace and $patch: delete on maps', async () => {
      const c = await createConfigMap({ a: '1', b: '2' }, { labels: { x: '1', y: '2' } });
      const replaced = await server.request('PATCH', c.url, { data: { $patch: 'replace', c: '3' } }, smp);
      assert.equal(replaced.status, 200, replaced.text);
      assert.deepEqual(replaced.json.data, { c: '3' });
      const deleted = await server.request('PATCH', c.url, { metadata: { labels: { $patch: 'delete' } } }, smp);
      assert.equal(deleted.status, 200, deleted.text);
      assert.equal(Object.keys(deleted.json.metadata.labels ?? {}).length, 0);
    });

    it('$retainKeys clears the fields it does not list (a Deployment switched to Recreate)', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx' }], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } } });
      // Without the directive the old rollingUpdate stays and the result is invalid, as upstream.
      const plain = await server.request('PATCH', d.url, { spec: { strategy: { type: 'Recreate' } } }, smp);
      assert.equal(plain.status, 422, plain.text);
      assert.equal(plain.json.reason, 'Invalid');
      assert.equal(plain.json.details.causes[0].field, 'spec.strategy.rollingUpdate');
      await unchanged(d.url, d.created);
      const res = await server.request('PATCH', d.url, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, smp);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.spec.strategy, { type: 'Recreate' });
    });

    it('$deleteFromPrimitiveList removes finalizers; merging scalar lists are sets', async () => {
      const c = await createConfigMap({ a: '1' }, { finalizers: ['example.com/a', 'example.com/b'] });
      const added = await server.request('PATCH', c.url, { metadata: { finalizers: ['example.com/c', 'example.com/a'] } }, smp);
      assert.equal(added.status, 200, added.text);
      assert.deepEqual(added.json.metadata.finalizers, ['example.com/c', 'example.com/a', 'example.com/b']);
      const removed = await server.request('PATCH', c.url, { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a', 'example.com/b', 'example.com/c'] } }, smp);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual(removed.json.metadata.finalizers ?? [], []);
    });

    it('$setElementOrder orders the merged list', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx' }, { name: 'c', image: 'nginx' }]);
      const res = await server.request(
        'PATCH',
        d.url,
        { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }], containers: [{ name: 'a', image: 'redis' }] } } } },
        smp,
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(containerNames(res.json), ['c', 'a', 'b']);
      assert.equal(res.json.spec.template.spec.containers[1].image, 'redis');
    });

    it('null deletes a field, and a list without a merge strategy is replaced', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx', args: ['x', 'y'] }]);
      const res = await server.request('PATCH', d.url, { metadata: { labels: { l: 'v' } }, spec: { template: { spec: { containers: [{ name: 'a', args: ['z'] }] } }, minReadySeconds: null } }, smp);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.spec.template.spec.containers[0].args, ['z']);
      assert.equal(res.json.metadata.labels.l, 'v');
    });

    it('malformed directives get upstream\'s codes and texts; nothing is stored', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx' }]);
      const patch = async (body: unknown) => server.request('PATCH', d.url, body, smp);
      const noKey = await patch({ spec: { template: { spec: { containers: [{ image: 'redis' }] } } } });
      assert.equal(noKey.status, 500, noKey.text);
      assert.equal(noKey.json.message, 'map: map[image:redis] does not contain declared merge key: name');
      assert.equal(noKey.json.reason, undefined);
      const badType = await patch({ spec: { template: { spec: { containers: [{ name: 'a', $patch: 'merge' }] } } } });
      assert.equal(badType.status, 500);
      assert.equal(badType.json.message, 'merging lists cannot yet be specified in the patch');
      const unknownDirective = await patch({ spec: { template: { $patch: 'foo' } } });
      assert.equal(unknownDirective.status, 500);
      assert.equal(unknownDirective.json.message, 'unknown patch type: foo in map: map[$patch:foo]');
      const retain = await patch({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } });
      assert.equal(retain.status, 400);
      assert.equal(retain.json.reason, 'BadRequest');
      assert.equal(retain.json.message, 'invalid patch format of retainKeys');
      const order = await patch({ spec: { template: { spec: { '$setElementOrderX/containers': [] } } } });
      assert.equal(order.status, 400);
      assert.equal(order.json.message, 'invalid patch format of setElementOrder list');
      const primitive = await patch({ metadata: { $deleteFromPrimitiveList: ['x'] } });
      assert.equal(primitive.status, 400);
      assert.equal(primitive.json.message, 'invalid patch format of primitive list');
      await server.request('PATCH', d.url, { metadata: { finalizers: ['example.com/a'] } }, smp);
      const mixed = await patch({ metadata: { finalizers: [['example.com/b']] } });
      assert.equal(mixed.status, 500, mixed.text);
      assert.equal(mixed.json.message, 'list element types are not identical: [[example.com/a] [[example.com/b]]]');
      const notJSON = await server.request('PATCH', d.url, '{"spec":', smp);
      assert.equal(notJSON.status, 400);
      assert.equal(notJSON.json.message, 'unexpected end of JSON input');
      const notObject = await server.request('PATCH', d.url, '[1]', smp);
      assert.equal(notObject.status, 400);
      assert.equal(notObject.json.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
    });
  });

  describe('JSON patch', () => {
    it('add, remove, replace, move, copy and test apply in order', async () => {
      const c = await createConfigMap({ a: '1', b: '2' });
      const ops = [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'add', path: '/data/c', value: '3' },
        { op: 'remove', path: '/data/b' },
        { op: 'replace', path: '/data/a', value: 'one' },
        { op: 'move', from: '/data/c', path: '/data/d' },
        { op: 'copy', from: '/data/a', path: '/data/e' },
        { op: 'add', path: '/metadata/labels', value: { k: 'v' } },
      ];
      const res = await server.request('PATCH', c.url, ops, json);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.data, { a: 'one', d: '3', e: 'one' });
      assert.deepEqual(res.json.metadata.labels, { k: 'v' });
    });

    it('an operation that does not apply is 422 with upstream\'s generic message, and nothing is stored', async () => {
      const c = await createConfigMap({ a: '1' });
      for (const ops of [
        [{ op: 'test', path: '/data/a', value: '2' }],
        [{ op: 'add', path: '/data/b', value: 'x' }, { op: 'remove', path: '/data/missing' }],
        [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }],
        [{ op: 'move', from: '/data/nope', path: '/data/b' }],
        [{ op: 'frobnicate', path: '/data/a' }],
        [{ op: 'add', path: '/spec/containers/5', value: {} }],
      ]) {
        const res = await server.request('PATCH', c.url, ops, json);
        assert.equal(res.status, 422, `${JSON.stringify(ops)}: ${res.text}`);
        assert.equal(res.json.reason, 'Invalid');
        assert.equal(res.json.message, 'the server rejected our request due to an error in our request');
        assert.deepEqual(res.json.details, {});
      }
      await unchanged(c.url, c.created);
    });

    it('keeps evanphx/json-patch\'s leniencies: replace adds a missing member, a test of a missing member for null passes', async () => {
      const c = await createConfigMap({ a: '1' });
      const res = await server.request('PATCH', c.url, [{ op: 'test', path: '/data/zz', value: null }, { op: 'replace', path: '/data/b', value: '2' }], json);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.data, { a: '1', b: '2' });
    });

    it('bodies that are not operations are 400; more than 10000 operations 413', async () => {
      const c = await createConfigMap();
      const notJSON = await server.request('PATCH', c.url, '[{"op":', json);
      assert.equal(notJSON.status, 400);
      assert.equal(notJSON.json.message, 'error decoding patch: unexpected end of JSON input');
      const notList = await server.request('PATCH', c.url, { op: 'add' }, json);
      assert.equal(notList.status, 400);
      assert.equal(notList.json.message, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
      const badPath = await server.request('PATCH', c.url, [{ op: 'add', path: 5 }], json);
      assert.equal(badPath.status, 400);
      assert.equal(badPath.json.message, 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string');
      const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/data/a', value: '1' }));
      const tooMany = await server.request('PATCH', c.url, many, json);
      assert.equal(tooMany.status, 413);
      assert.equal(tooMany.json.reason, 'RequestEntityTooLarge');
      assert.equal(tooMany.json.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
    });
  });

  describe('merge patch', () => {
    it('null deletes; objects merge; lists are replaced', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx', env: [{ name: 'A', value: 'a' }] }]);
      const res = await server.request('PATCH', d.url, { metadata: { labels: { x: 'y' } }, spec: { template: { spec: { containers: [{ name: 'b', image: 'redis' }] } } } }, merge);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(containerNames(res.json), ['b']);
      const removed = await server.request('PATCH', d.url, { metadata: { labels: { x: null } } }, merge);
      assert.equal(removed.json.metadata.labels?.x, undefined);
    });

    it('bodies that are not objects are 400', async () => {
      const c = await createConfigMap();
      const nul = await server.request('PATCH', c.url, 'null', merge);
      assert.equal(nul.status, 400);
      assert.equal(nul.json.message, 'Invalid JSON Patch');
      const list = await server.request('PATCH', c.url, '[]', merge);
      assert.equal(list.status, 400);
      assert.equal(list.json.message, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
      const bad = await server.request('PATCH', c.url, '{"a" 1}', merge);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.message, "error decoding patch: invalid character '1' after object key");
      // Nesting beyond Go's decoder limit is refused as it refuses it (and does not exhaust our stack).
      const deep = await server.request('PATCH', c.url, `{"data":${'['.repeat(20000)}${']'.repeat(20000)}}`, merge);
      assert.equal(deep.status, 400);
      assert.equal(deep.json.message, "error decoding patch: invalid character '[' exceeded max depth");
      // Within Go's limit but deeper than our recursion follows: a 400 too (never a 500), and the object is kept.
      for (const type of [merge, { 'Content-Type': 'application/strategic-merge-patch+json' }]) {
        const nested = await server.request('PATCH', c.url, `{"data":{"a":"b"},"x":${'['.repeat(9000)}${']'.repeat(9000)}}`, type);
        assert.equal(nested.status, 400, nested.text);
        assert.equal(nested.json.message, 'the request is nested too deeply to be processed');
      }
      await unchanged(c.url, c.created);
    });
  });

  describe('results', () => {
    it('a patch producing an invalid object is 422 Invalid with field causes', async () => {
      const d = await createDeployment([{ name: 'a', image: 'nginx' }]);
      const res = await server.request('PATCH', d.url, { spec: { replicas: -1 } }, merge);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.reason, 'Invalid');
      assert.equal(res.json.details.kind, 'Deployment');
      assert.equal(res.json.details.causes[0].field, 'spec.replicas');
      await unchanged(d.url, d.created);
    });

    it('a stale resourceVersion in the patch body is 409 Conflict; the current one is accepted', async () => {
      const c = await createConfigMap();
      const bumped = await server.request('PATCH', c.url, { data: { a: '2' } }, merge);
      const stale = await server.request('PATCH', c.url, { metadata: { resourceVersion: c.created.metadata.resourceVersion }, data: { a: '3' } }, smp);
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.json.reason, 'Conflict');
      assert.equal(stale.json.message, `Operation cannot be fulfilled on configmaps "${c.name}": the object has been modified; please apply your changes to the latest version and try again`);
      const fresh = await server.request('PATCH', c.url, [{ op: 'replace', path: '/metadata/resourceVersion', value: bumped.json.metadata.resourceVersion }, { op: 'replace', path: '/data/a', value: '4' }], json);
      assert.equal(fresh.status, 200, fresh.text);
    });

    it('a patch may not rename the object, move it to another namespace or change its uid', async () => {
      const c = await createConfigMap();
      const rename = await server.request('PATCH', c.url, { metadata: { name: 'other' } }, merge);
      assert.equal(rename.status, 400, rename.text);
      assert.equal(rename.json.message, `the name of the object (other) does not match the name on the URL (${c.name})`);
      const noName = await server.request('PATCH', c.url, [{ op: 'remove', path: '/metadata/name' }], json);
      assert.equal(noName.status, 400);
      assert.equal(noName.json.message, `the name of the object (${c.name} based on URL) was undeterminable: name must be provided`);
      const move = await server.request('PATCH', c.url, { metadata: { namespace: 'kube-system' } }, smp);
      assert.equal(move.status, 400);
      assert.equal(move.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
      const uid = await server.request('PATCH', c.url, { metadata: { uid: 'not-the-uid' } }, merge);
      assert.equal(uid.status, 422);
      assert.equal(uid.json.message, `ConfigMap "${c.name}" is invalid: metadata.uid: Invalid value: "not-the-uid": field is immutable`);
      const kind = await server.request('PATCH', c.url, { kind: 'Secret' }, merge);
      assert.equal(kind.status, 422);
      assert.match(kind.json.message, /no kind "Secret" is registered for version "v1"/);
      await unchanged(c.url, c.created);
      // Without a namespace the patched object keeps the request's.
      const dropped = await server.request('PATCH', c.url, { metadata: { namespace: null } }, merge);
      assert.equal(dropped.status, 200, dropped.text);
      assert.equal(dropped.json.metadata.namespace, 'default');
    });

    it('fieldValidation: Strict refuses unknown and repeated fields with 422, Warn warns in upstream\'s order, Ignore drops them', async () => {
      const d = await createDeployment([{ name: 'nginx', image: 'nginx' }]);
      const body = `{"spec":{"unknown1":"val1","unknownDupe":"valDupe","unknownDupe":"valDupe2","paused":true,"paused":false,
        "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:latest","unknownNested":"val1","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;
      const expected = [
        'duplicate field "spec.unknownDupe"',
        'duplicate field "spec.paused"',
        'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
        'unknown field "spec.template.spec.containers[0].unknownNested"',
        'unknown field "spec.unknown1"',
        'unknown field "spec.unknownDupe"',
      ];
      for (const [type, headers] of [['smp', smp], ['merge', merge]] as const) {
        const strict = await server.request('PATCH', `${d.url}?fieldValidation=Strict`, body, headers);
        assert.equal(strict.status, 422, `${type}: ${strict.text}`);
        assert.ok(strict.json.message.endsWith(`strict decoding error: ${expected.join(', ')}`), `${type}: ${strict.json.message}`);
        assert.equal(strict.json.details.causes[0].field, 'patch');
        await unchanged(d.url, d.created);
      }
      const warned = await server.request('PATCH', d.url, body, smp);
      assert.equal(warned.status, 200, warned.text);
      const warnings = String(warned.headers.warning).split(/, (?=299 )/);
      assert.deepEqual(
        warnings.map((w) => JSON.parse(w.replace(/^299 - /, ''))),
        expected,
      );
      // The last of the repeated values wins: false, which Go does not write (a bool with omitempty).
      assert.ok(!('paused' in warned.json.spec));
      assert.equal(warned.json.spec.template.spec.containers[0].imagePullPolicy, 'Never');
      assert.equal(warned.json.spec.unknown1, undefined);
      const ignored = await server.request('PATCH', `${d.url}?fieldValidation=Ignore`, body, smp);
      assert.equal(ignored.status, 200);
      assert.equal(ignored.headers.warning, undefined);

      const ops = '[{"op":"add","path":"/spec/unknown1","value":"val1","foo":"bar"},{"op":"add","path":"/spec/unknown2","path":"/spec/unknown3","value":"val1"}]';
      const strictOps = await server.request('PATCH', `${d.url}?fieldValidation=Strict`, ops, json);
      assert.equal(strictOps.status, 422, strictOps.text);
      assert.ok(
        strictOps.json.message.endsWith('strict decoding error: json patch unknown field "[0].foo", json patch duplicate field "[1].path", unknown field "spec.unknown1", unknown field "spec.unknown3"'),
        strictOps.json.message,
      );
    });

    it('force is for apply: any other patch with it is 422', async () => {
      const c = await createConfigMap();
      const res = await server.request('PATCH', `${c.url}?force=false`, { data: { a: '2' } }, merge);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
      const bad = await server.request('PATCH', `${c.url}?force=maybe`, { data: { a: '2' } }, smp);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.message, 'strconv.ParseBool: parsing "maybe": invalid syntax');
      await unchanged(c.url, c.created);
    });

    it('patching a missing object is 404, whatever the body', async () => {
      const res = await server.request('PATCH', `${configmaps}/nope`, '{bad', smp);
      assert.equal(res.status, 404);
      assert.equal(res.json.reason, 'NotFound');
    });
  });
});
