// The order of a create's steps in the generic store, as upstream's create handler and Store.Create: mutating
// admission sees the object before the server fills in its uid, creation time and generated name; validating
// admission sees them, and the request's name once generated; a generated name that is taken is replaced by another
// (RetryGenerateName), at most 8 times, after which the 409 says the server could not generate a unique name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToScheme } from '../../generated/index.ts';
import { AdmissionChain, type AdmissionAttributes } from '../../runtime/admission/types.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { StatusError } from '../../runtime/machinery/status.ts';
import { RegistryStore, systemContext } from '../../runtime/registry/store.ts';
import { strategyFor } from '../../runtime/registry/strategy.ts';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { ObjectStore, type StoredObject } from '../../runtime/storage/store.ts';
import { tempDbPath } from '../support/sqlite.ts';

interface Seen {
  phase: 'admit' | 'validate';
  name: string;
  meta: StoredObject;
}

async function setUp(t: import('node:test').TestContext) {
  const db = await tempDbPath();
  const kv = await SqliteKV.open(db.path);
  const storage = new ObjectStore(kv);
  const scheme = new Scheme();
  addToScheme(scheme);
  const seen: Seen[] = [];
  const record = (phase: Seen['phase']) => async (a: AdmissionAttributes) => {
    seen.push({ phase, name: a.name, meta: structuredClone(a.object!.metadata) });
  };
  const admission = new AdmissionChain([{ name: 'Recorder', admit: record('admit'), validate: record('validate') }]);
  const kind = scheme.kindFor('', 'v1', 'ConfigMap')!;
  const store = new RegistryStore(strategyFor(kind, kind.schema), storage, admission, '/registry/configmaps');
  t.after(async () => {
    await kv.close();
    await db.cleanup();
  });
  return { store, storage, seen, ctx: systemContext('ns') };
}

const configMap = (metadata: StoredObject): StoredObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata });

test('mutating admission sees no generated name, uid or creation time; validating admission sees them', async (t) => {
  const { store, seen, ctx } = await setUp(t);
  const created = await store.create(ctx, configMap({ generateName: 'x-', uid: 'client-uid', creationTimestamp: '2000-01-01T00:00:00Z' }));
  assert.match(created.metadata.name, /^x-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const [admit, validate] = seen;
  assert.equal(admit.phase, 'admit');
  assert.equal(admit.name, '');
  assert.equal(admit.meta.name, undefined);
  assert.equal(admit.meta.uid, undefined, 'the client-sent uid is wiped before admission');
  assert.notEqual(admit.meta.creationTimestamp, '2000-01-01T00:00:00Z');
  assert.equal(validate.phase, 'validate');
  assert.equal(validate.name, created.metadata.name);
  assert.equal(validate.meta.name, created.metadata.name);
  assert.equal(validate.meta.uid, created.metadata.uid);
  assert.notEqual(created.metadata.uid, 'client-uid');
});

test('a mutating plug-in that sets the name stops the generation', async (t) => {
  const { store, storage, ctx } = await setUp(t);
  const naming = new AdmissionChain([{ name: 'Namer', admit: async (a) => void (a.object!.metadata.name = 'chosen') }]);
  const named = new RegistryStore(store.strategy, storage, naming, store.keyPrefix);
  const created = await named.create(ctx, configMap({ generateName: 'x-' }));
  assert.equal(created.metadata.name, 'chosen');
});

test('a taken generated name is generated again, eight times at most', async (t) => {
  const { store, seen, ctx } = await setUp(t);
  // Math.random() 0 picks the alphabet's first letter every time: x-bbbbb.
  await store.create(ctx, configMap({ name: 'x-bbbbb' }));
  const random = t.mock.method(Math, 'random', () => 0);
  seen.length = 0;
  const err = await store.create(ctx, configMap({ generateName: 'x-' })).then(
    () => assert.fail('created'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof StatusError);
  assert.equal(err.code, 409);
  assert.equal(err.status.reason, 'AlreadyExists');
  assert.equal(err.status.message, 'configmaps "x-bbbbb" already exists, the server was not able to generate a unique name for the object');
  assert.deepEqual(err.status.details, { name: 'x-bbbbb', kind: 'configmaps', retryAfterSeconds: 1 });
  // Admission mutates once; each attempt validates again.
  assert.equal(seen.filter((s) => s.phase === 'admit').length, 1);
  assert.equal(seen.filter((s) => s.phase === 'validate').length, 8);

  // A second attempt with a free name succeeds: the first name generated is taken, the next is not.
  let calls = 0;
  random.mock.mockImplementation(() => (calls++ < 5 ? 0 : 0.99));
  const created = await store.create(ctx, configMap({ generateName: 'x-' }));
  assert.equal(created.metadata.name, 'x-99999');
  assert.equal(created.metadata.generateName, 'x-');
});
