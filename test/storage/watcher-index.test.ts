/** WatcherIndex: which watchers a change of a key asks (storage/cacher/watcher-index.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WatcherIndex, type FieldsOf, type IndexedWatcher } from '../../runtime/storage/cacher/watcher-index.ts';
import { everything, type Predicate } from '../../runtime/storage/store.ts';

const fieldsOf: FieldsOf = (o) => ({ 'metadata.name': o.metadata.name, 'spec.nodeName': String(o.spec?.nodeName ?? '') });

interface Named extends IndexedWatcher {
  name: string;
}

/** A watcher of `prefix` whose selector pins `exact` (the index reads nothing else of a predicate). */
function watcher(name: string, prefix: string, exact?: Record<string, string>): Named {
  const predicate: Predicate = exact
    ? { everything: false, matches: () => true, selection: { labels: () => true, fields: { of: fieldsOf, matches: () => true, exact } } }
    : everything;
  return { name, prefix, predicate };
}

/** The watchers a change of `key` asks, in order, each as often as asked; `fields` counts the index's questions. */
function asked(index: WatcherIndex<Named>, key: string, now: Record<string, string>, before?: Record<string, string>) {
  const names: string[] = [];
  let questions = 0;
  index.forEachCandidate(key, names, () => (questions++, [now, before]), (w, seen) => seen.push(w.name));
  return { names: names.sort(), questions };
}

describe('WatcherIndex', () => {
  const all = watcher('all', '/r/');
  const nsA = watcher('ns a', '/r/a/');
  const xInA = watcher('x in a', '/r/a/', { 'metadata.name': 'x' });
  const xAnywhere = watcher('x anywhere', '/r/', { 'metadata.name': 'x' });
  const nsBByField = watcher('ns b by field', '/r/', { 'metadata.namespace': 'b' });
  const n1 = watcher('n1', '/r/', { 'spec.nodeName': 'n1' });
  const n2InA = watcher('n2 in a', '/r/a/', { 'spec.nodeName': 'n2', 'metadata.name': 'y' });
  const unbound = watcher('unbound', '/r/', { 'spec.nodeName': '' });
  const deeper = watcher('deeper', '/r/a/x');
  const everyone = [all, nsA, xInA, xAnywhere, nsBByField, n1, n2InA, unbound, deeper];

  it('a change asks the watchers of its namespace and name, of its new and old field values, and the unscoped, each once', () => {
    const index = new WatcherIndex<Named>('/r/');
    everyone.forEach((w) => index.add(w));
    // A pod x in a bound from no node to n1: the unbound watcher sees it leave, n1's sees it come.
    assert.deepEqual(asked(index, '/r/a/x', { 'spec.nodeName': 'n1' }, { 'spec.nodeName': '' }).names, ['all', 'deeper', 'n1', 'ns a', 'unbound', 'x anywhere', 'x in a']);
    // A name pinned beside a field: found by the field (y's own name does not matter to the index).
    assert.deepEqual(asked(index, '/r/a/z', { 'spec.nodeName': 'n2' }).names, ['all', 'deeper', 'n2 in a', 'ns a']);
    assert.deepEqual(asked(index, '/r/b/x', { 'spec.nodeName': 'n3' }).names, ['all', 'deeper', 'ns b by field', 'x anywhere']);
    // A cluster-scoped object's key has no namespace.
    assert.deepEqual(asked(index, '/r/x', { 'spec.nodeName': '' }).names, ['all', 'deeper', 'unbound', 'x anywhere']);
  });

  it('a key that is no namespace/name under the prefix asks every watcher', () => {
    const index = new WatcherIndex<Named>('/r/');
    everyone.forEach((w) => index.add(w));
    const every = everyone.map((w) => w.name).sort();
    assert.deepEqual(asked(index, '/r/a/x/sub', {}).names, every);
    assert.deepEqual(asked(index, '/r/a/', {}).names, every);
  });

  it('a watcher removed is asked no more, and once no watcher pins a field a change is not asked for its fields', () => {
    const index = new WatcherIndex<Named>('/r/');
    everyone.forEach((w) => index.add(w));
    index.add(n1); // added twice: still one place
    assert.deepEqual(asked(index, '/r/c/p', { 'spec.nodeName': 'n1' }).names, ['all', 'deeper', 'n1']);
    [n1, n2InA, unbound, deeper].forEach((w) => index.delete(w));
    index.delete(n1);
    const after = asked(index, '/r/c/p', { 'spec.nodeName': 'n1' });
    assert.deepEqual(after.names, ['all']);
    assert.equal(after.questions, 0, 'no field index left');
    assert.deepEqual([...index.all].map((w) => w.name), ['all', 'ns a', 'x in a', 'x anywhere', 'ns b by field']);
  });
});
