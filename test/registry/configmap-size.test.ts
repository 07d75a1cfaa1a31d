// A ConfigMap holds at most 1 MiB of data (upstream's ValidateConfigMap, corev1.MaxSecretSize): the UTF-8 bytes of
// data and the decoded bytes of binaryData count together, and the error names the whole object (the empty path).
// Too large a body for a fidelity case file, so checked here against the validator itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate_ConfigMap } from '../../apis/core/v1/validation.ts';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';

const MiB = 1024 * 1024;

test('data of exactly 1 MiB, counted in UTF-8 bytes, is accepted', () => {
  // 'é' is two bytes in UTF-8: half as many characters make the same size.
  assert.deepEqual(validate_ConfigMap({ data: { a: 'é'.repeat(MiB / 2) } }), []);
});

test('one byte more, split between data and binaryData (decoded), is refused at the empty path', () => {
  const binary = Buffer.alloc(577, 1).toString('base64');
  const errors = validate_ConfigMap({ data: { a: 'x'.repeat(MiB - 576) }, binaryData: { b: binary } });
  assert.deepEqual(errors.map(fieldErrorMessage), [': Too long: may not be more than 1048576 bytes']);
  assert.equal(errors[0].type, 'FieldValueTooLong');
});
