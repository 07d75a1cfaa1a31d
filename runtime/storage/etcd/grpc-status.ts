/**
 * gRPC statuses as the etcd client's channels (unary calls, watch streams) report them: worded as grpc-js words them
 * (`14 UNAVAILABLE: No connection established ...`, `4 DEADLINE_EXCEEDED: ...`, then etcd's own status and
 * message), with the code in `code`, so the backend's error typing and failover rules (kv.ts) hold whichever
 * transport carried the call.
 */
import { encodeLiterals } from './hpack.ts';

/** gRPC status names by code, as grpc-js prefixes its messages with them. */
const statusNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
export const CANCELLED = 1;
export const UNKNOWN = 2;
export const DEADLINE_EXCEEDED = 4;
export const PERMISSION_DENIED = 7;
export const UNIMPLEMENTED = 12;
export const INTERNAL = 13;
export const UNAVAILABLE = 14;
export const UNAUTHENTICATED = 16;

export function grpcError(code: number, details: string): Error & { code: number } {
  return Object.assign(new Error(`${code} ${statusNames[code] ?? 'UNKNOWN'}: ${details}`), { code });
}

/** A call that never reached the member, worded as grpc-js words a failure to connect: the backend may send it again. */
export function notConnectedError(lastError: string | undefined): Error & { code: number } {
  return grpcError(UNAVAILABLE, `No connection established. Last error: ${lastError ?? 'connection closed'}`);
}

/** A call whose connection went down while it was out: the member may or may not have applied it. */
export function droppedError(detail: string | undefined): Error & { code: number } {
  return grpcError(UNAVAILABLE, detail ? `Connection dropped: ${detail}` : 'Connection dropped');
}

/** The gRPC code of an HTTP status, by the gRPC spec's table (doc/http-grpc-status-mapping.md), as grpc-js maps it. */
const codeOfHttpStatus: Readonly<Record<number, number>> = {
  400: INTERNAL, 401: UNAUTHENTICATED, 403: PERMISSION_DENIED, 404: UNIMPLEMENTED, 429: UNAVAILABLE, 502: UNAVAILABLE, 503: UNAVAILABLE, 504: UNAVAILABLE,
};

/**
 * A response that ended without a gRPC status but with an HTTP status other than 200 (a proxy's or load balancer's
 * answer): the status the spec's table gives it, worded as grpc-js words it (`14 UNAVAILABLE: Received HTTP status
 * code 503`), so a member behind an overloaded proxy fails over as it does with grpc-js.
 */
export function httpStatusError(httpStatus: number): Error & { code: number } {
  return grpcError(codeOfHttpStatus[httpStatus] ?? UNKNOWN, `Received HTTP status code ${httpStatus}`);
}

/** `grpc-message` is percent-encoded UTF-8; a value that does not decode is kept as sent. */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The HPACK header block of a gRPC request to `path` (`grpc-timeout`: its deadline, as `3000m`). */
export function grpcRequestHeaders(url: URL, path: string, timeout?: string): Buffer {
  const fields: [string, string][] = [
    [':method', 'POST'],
    [':scheme', url.protocol === 'https:' ? 'https' : 'http'],
    [':path', path],
    [':authority', url.host],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
  ];
  if (timeout) fields.push(['grpc-timeout', timeout]);
  return encodeLiterals(fields);
}

/** One uncompressed gRPC message: a flag byte, a 4-byte length, the message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** The message of a response body holding one uncompressed gRPC message, or an INTERNAL error. */
export function grpcMessageOf(chunks: Buffer[]): Buffer | Error {
  const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return grpcError(INTERNAL, 'malformed gRPC message');
  return body.subarray(5);
}

export interface UnaryChannelOptions {
  /** After a deadline passes, a ping must come back within this time or the session is dropped as dead. */
  pingTimeoutMs: number;
  /** https: the CA to trust (absent: the system's) and the client certificate to present, as grpc-js is given. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}
