/**
 * Reused buffers for large response bodies (lists of the watch cache's texts, rest.ts encodedJsonList). A new Buffer
 * per list is memory outside V8's heap that only a garbage collection frees; at a few hundred lists of 500 (~150 KB
 * each) that external memory, not the heap, set off a full mark-compact every ~50 lists (10-80 ms each, about half of
 * a list's CPU; see scripts/list-gc.ts). A body taken here goes back to the pool only once what reads it is done: the
 * response that carried it is closed (releaseWhenClosed: its bytes are sent or the request is gone), or zlib has
 * compressed it (releaseWhenSettled); a body never handed to either is just left to the garbage collector, so a buffer
 * is never written while something may still read it.
 */

/** At most this many free buffers are kept, and none larger than `largest` (a rare huge list is not held on to). */
const kept = 16;
const largest = 4 << 20;
const free: Buffer[] = [];
/** Bodies taken from the pool (views of a pooled buffer), to the buffer they view. */
const lent = new WeakMap<Uint8Array, Buffer>();

/** A buffer of at least `size` bytes, reused when one is free (its contents are whatever it held). */
export function takeBuffer(size: number): Buffer {
  for (let i = 0; i < free.length; i++) {
    if (free[i].length >= size) return free.splice(i, 1)[0];
  }
  // Rounded up to a power of two so that lists of slightly different sizes share buffers.
  return Buffer.allocUnsafeSlow(size <= 1024 ? 1024 : 2 ** Math.ceil(Math.log2(size)));
}

/** `body` (a view of `buf`, from takeBuffer) may go back to the pool once the response sending it is closed. */
export function lend(buf: Buffer, body: Uint8Array): Uint8Array {
  if (buf.length <= largest) lent.set(body, buf);
  return body;
}

/** The buffer `body` views if it is lent and not yet claimed for release; claims it (a body is given back once). */
function claim(body: unknown): Buffer | undefined {
  const buf = body instanceof Uint8Array ? lent.get(body) : undefined;
  if (buf) lent.delete(body as Uint8Array);
  return buf;
}

function giveBack(buf: Buffer): void {
  if (free.length < kept) free.push(buf);
}

/**
 * Gives a body's buffer back to the pool when `response` (Node's outgoing response, HTTP/1.1 or HTTP/2) emits
 * 'close': after its last bytes were handed to the connection, or it was aborted. Bodies not from the pool are left.
 */
export function releaseWhenClosed(body: unknown, response: { once(event: 'close', fn: () => void): unknown } | undefined): void {
  if (!response) return;
  const buf = claim(body);
  if (buf) response.once('close', () => giveBack(buf));
}

/**
 * Gives a body's buffer back to the pool once `reading` settles: for a reader that is not the response (zlib
 * compressing the body) and may go on after the response has closed.
 */
export function releaseWhenSettled(body: unknown, reading: Promise<unknown>): void {
  const buf = claim(body);
  if (buf) reading.then(() => giveBack(buf), () => giveBack(buf));
}
