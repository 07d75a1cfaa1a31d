/**
 * WatchedLister: the in-memory copy admission plug-ins read per request. Until its first list is in it answers
 * nothing (callers read the store); after that it answers by namespace from memory and follows every watch event,
 * a relist included, telling callers by its generation that something changed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatchedLister } from '../../runtime/controllers/lister.ts';
import type { InformerSource } from '../../runtime/controllers/informer.ts';
import type { StoredObject, WatchSink } from '../../runtime/storage/store.ts';

const obj = (namespace: string, name: string, rv: number): StoredObject => ({ metadata: { namespace, name, resourceVersion: String(rv) } });

/** A resource whose list the test answers and whose watch the test drives. */
function fakeSource(items: StoredObject[]) {
  let release!: () => void;
  const listed = new Promise<void>((r) => (release = r));
  const sinks: WatchSink[] = [];
  const source: InformerSource = {
    kind: { resource: 'things' },
    list: async () => {
      await listed;
      return { items: [...items], resourceVersion: '10' };
    },
    watch: (_ctx, _opts, sink) => {
      sinks.push(sink);
      return { stop: () => undefined };
    },
  };
  return { source, release, sinks };
}

const names = (l: readonly StoredObject[] | undefined) => l?.map((o) => o.metadata.name).sort();
const settle = () => new Promise((r) => setImmediate(r));

describe('WatchedLister', () => {
  it('answers nothing until synced, then by namespace, following watch events and relists', async () => {
    const fake = fakeSource([obj('a', 'q1', 1), obj('a', 'q2', 2), obj('b', 'q1', 3)]);
    const lister = new WatchedLister(() => fake.source);
    assert.equal(lister.list('a'), undefined);
    fake.release();
    await settle();
    assert.deepEqual(names(lister.list('a')), ['q1', 'q2']);
    assert.deepEqual(names(lister.list('b')), ['q1']);
    assert.deepEqual(lister.list('c'), []);
    // Unchanged: the same array, nothing made again.
    assert.equal(lister.list('a'), lister.list('a'));

    const before = lister.generation;
    const [sink] = fake.sinks;
    sink.onEvent({ type: 'ADDED', object: obj('c', 'q9', 11) });
    sink.onEvent({ type: 'DELETED', object: obj('a', 'q1', 12) });
    assert.deepEqual(names(lister.list('a')), ['q2']);
    assert.deepEqual(names(lister.list('c')), ['q9']);
    assert.notEqual(lister.generation, before);

    // The watch ends: the resource is listed again and what vanished meanwhile goes.
    sink.onError(new Error('gone'));
    for (let i = 0; i < 100 && fake.sinks.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(names(lister.list('a')), ['q1', 'q2']);
    assert.deepEqual(lister.list('c'), []);
    lister.stop();
    assert.equal(lister.list('a'), undefined);
  });

  it('answers no objects for a resource that is not served', () => {
    const lister = new WatchedLister(() => undefined);
    assert.deepEqual(lister.list(''), []);
    assert.deepEqual(lister.list('a'), []);
  });
});
