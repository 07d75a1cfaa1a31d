// An update drops the resourceVersion its body carries (storage writes its own) by making the metadata again
// without it, in the same order, rather than deleting the member (which turns V8's object into a slow dictionary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutResourceVersion } from '../../runtime/registry/objectmeta.ts';

test('the metadata without its resourceVersion keeps every other member, in order, and leaves the original as sent', () => {
  const meta = { name: 'a', namespace: 'default', uid: 'u', resourceVersion: '7', creationTimestamp: 't', labels: { k: 'v' } };
  const out = withoutResourceVersion(meta);
  assert.deepEqual(Object.keys(out), ['name', 'namespace', 'uid', 'creationTimestamp', 'labels']);
  assert.equal(out.labels, meta.labels);
  assert.equal(meta.resourceVersion, '7');
});

test('metadata without a resourceVersion is kept as it is', () => {
  const meta = { name: 'a' };
  assert.equal(withoutResourceVersion(meta), meta);
});

test('a member named __proto__ stays a member', () => {
  const meta = JSON.parse('{"name":"a","resourceVersion":"1","__proto__":{"x":1}}');
  const out = withoutResourceVersion(meta);
  assert.deepEqual(Object.keys(out), ['name', '__proto__']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});
