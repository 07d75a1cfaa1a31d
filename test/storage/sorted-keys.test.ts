/**
 * The watch cache's key index (runtime/storage/cacher/sorted-keys.ts) answers as one sorted array would, through
 * enough inserts and removes to split runs and empty them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SortedKeys } from '../../runtime/storage/cacher/sorted-keys.ts';

function from(keys: SortedKeys, start: string, max = Infinity): string[] {
  const out: string[] = [];
  keys.forEachFrom(start, (k) => out.push(k) < max);
  return out;
}

test('inserts, removes, ranks and scans from a key as a sorted array does', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const keys = new SortedKeys();
  const model = new Set<string>();
  keys.reset(Array.from({ length: 1500 }, (_, i) => `/r/ns-${i % 3}/k-${i}`));
  for (let i = 0; i < 1500; i++) model.add(`/r/ns-${i % 3}/k-${i}`);
  for (let step = 0; step < 6000; step++) {
    const key = `/r/ns-${rand(4)}/k-${rand(3000)}`;
    if (rand(3) === 0) {
      keys.remove(key);
      model.delete(key);
    } else if (!model.has(key)) {
      keys.insert(key);
      model.add(key);
    }
  }
  const sorted = [...model].sort();
  assert.equal(keys.size, sorted.length);
  assert.deepEqual(from(keys, ''), sorted);
  for (const start of ['/r/ns-1/', '/r/ns-2/k-5', '/r/ns-3/', '/s']) {
    assert.deepEqual(from(keys, start), sorted.filter((k) => k >= start));
    assert.equal(keys.rank(start), sorted.filter((k) => k < start).length, `rank of ${start}`);
  }
  assert.deepEqual(from(keys, '/r/ns-2/', 10), sorted.filter((k) => k >= '/r/ns-2/').slice(0, 10));
});

test('every key can be removed and the index filled again', () => {
  const keys = new SortedKeys();
  for (let i = 0; i < 2000; i++) keys.insert(`k-${String(1999 - i).padStart(4, '0')}`);
  for (let i = 0; i < 2000; i += 2) keys.remove(`k-${String(i).padStart(4, '0')}`);
  assert.deepEqual(from(keys, 'k-0000', 3), ['k-0001', 'k-0003', 'k-0005']);
  for (let i = 1; i < 2000; i += 2) keys.remove(`k-${String(i).padStart(4, '0')}`);
  assert.equal(keys.size, 0);
  assert.deepEqual(from(keys, ''), []);
  keys.insert('a');
  assert.deepEqual(from(keys, ''), ['a']);
});
