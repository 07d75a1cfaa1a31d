// The pool of list bodies (runtime/endpoints/body-pool.ts): a buffer is reused only after the response that sent it
// closed, or zlib has compressed it, so a body still being written or read is never overwritten by the next list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { lend, releaseWhenClosed, takeBuffer } from '../../runtime/endpoints/body-pool.ts';
import { gzipFor } from '../../runtime/endpoints/response-compression.ts';

test('a lent body\'s buffer is reused only once its response has closed', () => {
  const buf = takeBuffer(150_000);
  assert.ok(buf.length >= 150_000);
  const body = lend(buf, buf.subarray(0, 150_000));
  const response = new EventEmitter();
  releaseWhenClosed(body, response);
  assert.notEqual(takeBuffer(150_000).buffer, buf.buffer, 'in use until the response closes');
  response.emit('close');
  assert.equal(takeBuffer(150_000).buffer, buf.buffer, 'free again after close');
  assert.notEqual(takeBuffer(150_000).buffer, buf.buffer, 'taken once');
});

test('a body not from the pool, or never given to a response, is not pooled', () => {
  const own = Buffer.alloc(200_000);
  const response = new EventEmitter();
  releaseWhenClosed(own.subarray(0, 10), response);
  response.emit('close');
  assert.notEqual(takeBuffer(200_000).buffer, own.buffer);
  const buf = takeBuffer(300_000);
  lend(buf, buf.subarray(0, 1));
  releaseWhenClosed(buf.subarray(0, 1), undefined);
  assert.notEqual(takeBuffer(300_000).buffer, buf.buffer);
});

test('a gzipped body\'s buffer goes back to the pool once zlib has read it, not before', async () => {
  const size = 400_000;
  const buf = takeBuffer(size);
  const body = lend(buf, buf.subarray(0, size).fill('k'.charCodeAt(0)));
  const gzipped = gzipFor('gzip', body);
  assert.ok(gzipped);
  // zlib reads on the threadpool meanwhile: the next list of that size must get another buffer to write in.
  const next = takeBuffer(size);
  assert.notEqual(next.buffer, buf.buffer, 'in use while zlib reads it');
  next.fill(0);
  assert.deepEqual(gunzipSync(await gzipped), Buffer.alloc(size, 'k'));
  assert.equal(takeBuffer(size).buffer, buf.buffer, 'free again once zlib is done');
});
