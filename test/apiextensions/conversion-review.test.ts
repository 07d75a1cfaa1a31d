/**
 * The checks on a conversion webhook's answer (runtime/apiextensions/conversion/review.ts), case by case, with
 * upstream's messages: the end-to-end test (conversion-webhook.test.ts) drives the common ones through a server;
 * these are the rarer shapes of a bad answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConverted, conversionReview, convertedObjectsOf, pickReviewVersion } from '../../runtime/apiextensions/conversion/review.ts';

const original = { apiVersion: 'conv.example.dev/v1', kind: 'Thing', metadata: { name: 't1', namespace: 'default', uid: 'u-1', generation: 3, labels: { a: '1' } }, spec: { size: 5 } };
const converted = (meta: Record<string, unknown> = {}) => ({ apiVersion: 'conv.example.dev/v2', kind: 'Thing', metadata: { ...original.metadata, ...meta }, spec: { magnitude: 5 } });
const answer = (response: unknown, head: Record<string, unknown> = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' }) => ({ ...head, response });

describe('conversion review', () => {
  it('speaks the first of the CRD\'s review versions this server knows', () => {
    assert.equal(pickReviewVersion(['v2', 'v1beta1', 'v1']), 'v1beta1');
    assert.throws(() => pickReviewVersion(['v2']), { message: 'no supported conversion review versions' });
    assert.deepEqual(conversionReview('v1', 'id', 'g/v2', []), { kind: 'ConversionReview', apiVersion: 'apiextensions.k8s.io/v1', request: { uid: 'id', desiredAPIVersion: 'g/v2', objects: [] } });
  });

  it('refuses a v1 answer of another kind, without a response, or with a failure status', () => {
    assert.throws(() => convertedObjectsOf('v1', 'id', answer({}, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })), {
      message: 'expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got admission.k8s.io/v1, Kind=AdmissionReview',
    });
    assert.throws(() => convertedObjectsOf('v1', 'id', answer(undefined)), { message: 'no response provided' });
    assert.throws(() => convertedObjectsOf('v1', 'id', answer({ uid: 'id', result: { status: 'Failure' } })), { message: "response.result.status was 'Failure', not 'Success'" });
    assert.deepEqual(convertedObjectsOf('v1', 'id', answer({ uid: 'id', result: { status: 'Success' }, convertedObjects: [1] })), [1]);
  });

  it('does not hold a v1beta1 answer to its kind and uid', () => {
    assert.deepEqual(convertedObjectsOf('v1beta1', 'id', answer({ result: { status: 'Success' }, convertedObjects: [] }, {})), []);
  });

  it('restores every metadata field but labels and annotations, which the webhook may set', () => {
    const out = checkConverted(original, converted({ generation: 99, labels: { b: '2' }, annotations: { note: 'x' }, finalizers: ['f'] }), 'conv.example.dev/v2', false, 0);
    assert.deepEqual(out.metadata, { name: 't1', namespace: 'default', uid: 'u-1', generation: 3, labels: { b: '2' }, annotations: { note: 'x' } });
    assert.deepEqual(out.spec, { magnitude: 5 });
    // Labels the webhook leaves out are gone.
    assert.equal(checkConverted(original, converted({ labels: undefined }), 'conv.example.dev/v2', false, 0).metadata.labels, undefined);
  });

  it('refuses changed identity, a wrong version or kind, and invalid labels, in single and list wording', () => {
    const check = (obj: unknown, list = false, index = 0) => () => checkConverted(original, obj, 'conv.example.dev/v2', list, index);
    assert.throws(check(converted({ uid: 'other' })), { message: 'returned invalid object: must have the same UID: u-1 != other' });
    assert.throws(check(converted({ namespace: 'elsewhere' }), true, 2), { message: 'returned invalid converted object at index 3: must have the same namespace: default != elsewhere' });
    assert.throws(check({ ...converted(), apiVersion: 'conv.example.dev/v1' }), { message: 'returned invalid object at index 0: invalid groupVersion (expected conv.example.dev/v2, received conv.example.dev/v1)' });
    assert.throws(check({ ...converted(), kind: 'Other' }, true, 0), { message: 'returned invalid converted object at index 1: invalid kind (expected Thing, received Other)' });
    assert.throws(check({ ...converted(), kind: undefined }, true, 0), { message: /^returned invalid converted object at index 0: Object 'Kind' is missing in '\{/ });
    assert.throws(check(converted({ labels: { 'bad key!': 'x' } })), {
      message: `returned invalid metadata: metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    });
    assert.throws(check(converted({ labels: { a: 1 } })), { message: 'returned invalid metadata: metadata.labels[a] must be a string, but is float64 in converted object' });
    assert.throws(check({ ...converted(), metadata: undefined }), { message: /must have the same name: t1 != $/ });
  });
});
