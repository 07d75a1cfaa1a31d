// The pool of list bodies (runtime/endpoints/body-pool.ts): a buffer is reused only after the response that sent it
// closed, so a body still being written is never overwritten by the next list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { lend, releaseWhenClosed, takeBuffer } from '../../runtime/endpoints/body-pool.ts';

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
