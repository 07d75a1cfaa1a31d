/**
 * Admission's watched readers (runtime/admission/readers.ts): a get is answered from the informer's copy when it
 * holds the object (NamespaceLifecycle reads the request's namespace on every create: no copy of it per request),
 * and looked up through the watch cache when it does not (not listed yet, or created a moment ago).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchedReader } from '../../runtime/admission/readers.ts';
import type { WatchedLister } from '../../runtime/controllers/lister.ts';
import type { StoredObject } from '../../runtime/storage/store.ts';

test('a watched reader gets from the lister, and through the reader what the lister misses', async () => {
  const held: StoredObject = { metadata: { name: 'default' } };
  const lister = { get: (ns: string, name: string) => (ns === '' && name === 'default' ? held : undefined), list: () => undefined } as unknown as WatchedLister;
  const asked: string[] = [];
  const reader = {
    get: async (_ns: string, name: string) => (asked.push(name), name === 'fresh' ? { metadata: { name } } : undefined),
    list: async () => [],
  };
  const r = watchedReader(lister, reader);
  assert.equal(await r.get('', 'default'), held);
  assert.deepEqual(asked, []);
  assert.deepEqual(await r.get('', 'fresh'), { metadata: { name: 'fresh' } });
  assert.equal(await r.get('', 'gone'), undefined);
  assert.deepEqual(asked, ['fresh', 'gone']);
});
