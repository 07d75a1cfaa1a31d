// Annotations hold at most 256 KiB in all (apimachinery's ValidateAnnotations, TotalAnnotationSizeLimitB), counted
// as Go's len counts: the UTF-8 bytes of keys and values. Too large a body for a fidelity case file, so checked
// here against the metadata validator every kind runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateObjectMeta } from '../../runtime/registry/objectmeta.ts';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';

const limit = 256 * 1024;
const check = (annotations: Record<string, string>) =>
  validateObjectMeta({ name: 'a', namespace: 'ns', annotations }, { namespaced: true, nameFormat: 'dns1123-subdomain' }).map(fieldErrorMessage);

test('annotations of exactly 256 KiB in UTF-8 bytes are accepted', () => {
  // 'k' is one byte, each 'é' two.
  assert.deepEqual(check({ k: 'x' + 'é'.repeat((limit - 2) / 2) }), []);
});

test('one byte more is refused, though the text has fewer than half as many characters', () => {
  assert.deepEqual(check({ k: 'xx' + 'é'.repeat((limit - 2) / 2) }), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
});

test('characters outside the Basic Multilingual Plane count four bytes each', () => {
  assert.deepEqual(check({ k: '😀'.repeat(limit / 4) }), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(check({ k: '😀'.repeat(limit / 4 - 1) }), []);
});
