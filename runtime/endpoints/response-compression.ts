/**
 * Gzip of answers, by the two rules kube-apiserver follows.
 *
 * Objects and lists (APIResponseCompression, on by default in v1.32; upstream's endpoints/handlers/responsewriters):
 * gzipped when the client's Accept-Encoding names gzip and the body is larger than 128 KiB, at level 1 (most of the
 * size saved for the least CPU), with `Content-Encoding: gzip` and `Vary: Accept-Encoding`. Streams (watches, logs) are
 * never compressed. kubectl and client-go ask for gzip without being told (Go's transport adds the header and undoes
 * the encoding itself).
 *
 * `/openapi/v2` (kube-openapi wraps its handler in NYTimes' gziphandler): `Vary: Accept-Encoding` on every answer,
 * gzipped from 1400 bytes at zlib's default level when Accept-Encoding gives gzip a q-value above 0. The OpenAPI v3
 * documents are never gzipped (the aggregator serves them without that wrapper).
 *
 * Either way upstream writes the gzip stream into the response as it comes, with no length of its own; Go's server
 * then announces a Content-Length only when the whole body fitted the buffer it fills before sending, and streams it
 * otherwise (chunked over HTTP/1.1): `gzippedBody` sends the gzipped bytes the same way.
 *
 * The compression runs on libuv's threadpool (zlib's async gzip), so a list of a few MB does not hold the event loop;
 * a kept or pooled body is read where it lies, not copied first.
 */
import { constants, gzip } from 'node:zlib';
import { releaseWhenSettled } from './body-pool.ts';

/** Upstream's defaultGzipThresholdBytes: bodies up to this size go out as they are. */
export const gzipThresholdBytes = 128 * 1024;

/**
 * Whether Accept-Encoding offers gzip, read as upstream's responsewriters read it: comma-separated tokens, one of them
 * exactly `gzip` once trimmed (a token with parameters, such as `gzip;q=1`, is not taken).
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  for (const token of acceptEncoding.split(',')) if (token.trim() === 'gzip') return true;
  return false;
}

function largerThanThreshold(body: string | Uint8Array): boolean {
  if (typeof body !== 'string') return body.byteLength > gzipThresholdBytes;
  // A UTF-16 unit is 1-3 bytes of UTF-8: count the bytes only when the length alone cannot tell.
  if (body.length > gzipThresholdBytes) return true;
  return body.length * 3 > gzipThresholdBytes && Buffer.byteLength(body) > gzipThresholdBytes;
}

function gzipped(body: string | Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(body, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Bodies sent again unchanged to many clients (a page's kept list answer, rest.ts), to their gzip once made (null:
 * not yet): a list of 500 gzips in ~1 ms, several times what the rest of an rv=0 list costs, and kubectl and client-go
 * ask for gzip on every list. Kept as long as the body is, which its page drops on the cache's next event.
 */
const sharedGzips = new WeakMap<Uint8Array, Promise<Buffer> | null>();

/** Marks `body` as sent again as it is, never written again: gzipFor keeps its gzip with it. */
export function keepGzipOf(body: Uint8Array): void {
  sharedGzips.set(body, null);
}

/**
 * The body gzipped if this client gets it gzipped; undefined when it goes out as it is. zlib reads the body on the
 * threadpool until its callback, so a pooled body (body-pool.ts) goes back to its pool then, not when the response
 * closes: a client gone while zlib runs must not let the next list be written where zlib is still reading.
 */
export function gzipFor(acceptEncoding: string | undefined, body: string | Uint8Array): Promise<Buffer> | undefined {
  if (!acceptsGzip(acceptEncoding) || !largerThanThreshold(body)) return undefined;
  const shared = typeof body === 'string' ? undefined : sharedGzips.get(body);
  if (shared) return shared;
  const out = gzipped(body, constants.Z_BEST_SPEED);
  if (shared === null) sharedGzips.set(body as Uint8Array, out);
  else releaseWhenSettled(body, out);
  return out;
}

/** The headers a gzipped object or list adds. */
export const gzipHeaders = { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } as const;

/**
 * What Go's server holds of a handler's output before it sends the headers (net/http's bufferBeforeChunkingSize over
 * HTTP/1.1, the http2 responseWriter's handlerChunkWriteSize over HTTP/2): a body the handler finished within it
 * goes out with its length, a longer one without.
 */
const goBufferBeforeSending = { http1: 2048, http2: 4096 };

/** Gzipped bytes as Go's server sends what upstream's gzip writer wrote: sized when they fit its buffer, else unsized. */
export function gzippedBody(bytes: Uint8Array, httpVersionMajor: number | undefined): Uint8Array | ReadableStream<Uint8Array> {
  const buffered = httpVersionMajor === 2 ? goBufferBeforeSending.http2 : goBufferBeforeSending.http1;
  return bytes.byteLength <= buffered ? bytes : unsizedBody(bytes);
}

/**
 * Bytes as a body of no announced length, as Go's server streams a body longer than its buffer: chunked over
 * HTTP/1.1, DATA frames without a Content-Length over HTTP/2.
 */
export function unsizedBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** gziphandler's DefaultMinSize: shorter bodies go out as they are. */
export const gzipHandlerMinSize = 1400;

/** Go's strconv.ParseFloat of a q-value, for the forms it could take (decimal, exponent, Inf, NaN); undefined: refused. */
function parseQValue(text: string): number | undefined {
  // A decimal out of float64's range is refused (ParseFloat's ErrRange), not read as an infinity.
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number.isFinite(Number(text)) ? Number(text) : undefined;
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return /^nan$/i.test(text) ? NaN : undefined;
}

/**
 * Whether gziphandler gzips for this Accept-Encoding: its q-value for `gzip` is above 0. Read as gziphandler reads it:
 * the coding's name in any case, the last mention winning, no q-value meaning 1, an unreadable one dropping the
 * mention, and every parameter resetting the q-value to 1 first (so a `q=` counts only in last place).
 */
export function gzipHandlerAccepts(acceptEncoding: string | undefined): boolean {
  let q = 0;
  for (const coding of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = coding.split(';');
    if (name.trim().toLowerCase() !== 'gzip') continue;
    let value: number | undefined = 1;
    let readable = true;
    for (const param of params.map((p) => p.trim())) {
      if (!param.startsWith('q=')) value = 1;
      else readable = (value = parseQValue(param.slice(2))) !== undefined;
    }
    if (readable) q = value ?? 1;
  }
  return q > 0;
}

/** Whether gziphandler gzips `body` for this client. */
export function gzipHandlerApplies(acceptEncoding: string | undefined, body: string | Uint8Array): boolean {
  if (!gzipHandlerAccepts(acceptEncoding)) return false;
  // A string has at least as many UTF-8 bytes as UTF-16 units: count them only when that cannot tell.
  if (typeof body !== 'string') return body.byteLength >= gzipHandlerMinSize;
  return body.length >= gzipHandlerMinSize || Buffer.byteLength(body) >= gzipHandlerMinSize;
}

/** The body gzipped at gziphandler's level (zlib's default). */
export function gzipAtDefaultLevel(body: string | Uint8Array): Promise<Buffer> {
  return gzipped(body, constants.Z_DEFAULT_COMPRESSION);
}
