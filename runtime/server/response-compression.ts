/**
 * Gzip of large answers, as kube-apiserver's APIResponseCompression (on by default in v1.32): an object or list
 * answer is compressed when the client's Accept-Encoding names gzip and its body is larger than 128 KiB, at level 1
 * (most of the size saved for the least CPU), with `Content-Encoding: gzip` and `Vary: Accept-Encoding`. Streams
 * (watches, logs) are never compressed. kubectl and client-go ask for gzip without being told (Go's transport adds the
 * header and undoes the encoding itself).
 *
 * The compression runs on libuv's threadpool (zlib's async gzip), so a list of a few MB does not hold the event loop;
 * a kept or pooled body is read where it lies, not copied first.
 */
import { constants, gzip } from 'node:zlib';

/** Upstream's defaultGzipThresholdBytes: bodies up to this size go out as they are. */
export const gzipThresholdBytes = 128 * 1024;

/**
 * Whether Accept-Encoding offers gzip, read as upstream reads it: comma-separated tokens, one of them exactly `gzip`
 * once trimmed (a token with parameters, such as `gzip;q=1`, is not taken).
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

/** The body gzipped if this client gets it gzipped; undefined when it goes out as it is. */
export function gzipFor(acceptEncoding: string | undefined, body: string | Uint8Array): Promise<Buffer> | undefined {
  if (!acceptsGzip(acceptEncoding) || !largerThanThreshold(body)) return undefined;
  return new Promise((resolve, reject) => gzip(body, { level: constants.Z_BEST_SPEED }, (err, out) => (err ? reject(err) : resolve(out))));
}

/** The headers a gzipped answer adds. */
export const gzipHeaders = { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } as const;
