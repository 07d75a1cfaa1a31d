/**
 * HTTP/2 frames (RFC 9113 section 4 and 6) as the etcd client's connection (h2-session.ts) writes and reads them:
 * the numbers, a frame writer, and a reader that cuts a byte stream into frames.
 */

export const connectionPreface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
} as const;

/** Error codes (RFC 9113 section 7), named as nghttp2 names them, which is how Node's client words them. */
export const errorCodeNames = [
  'NGHTTP2_NO_ERROR', 'NGHTTP2_PROTOCOL_ERROR', 'NGHTTP2_INTERNAL_ERROR', 'NGHTTP2_FLOW_CONTROL_ERROR',
  'NGHTTP2_SETTINGS_TIMEOUT', 'NGHTTP2_STREAM_CLOSED', 'NGHTTP2_FRAME_SIZE_ERROR', 'NGHTTP2_REFUSED_STREAM',
  'NGHTTP2_CANCEL', 'NGHTTP2_COMPRESSION_ERROR', 'NGHTTP2_CONNECT_ERROR', 'NGHTTP2_ENHANCE_YOUR_CALM',
  'NGHTTP2_INADEQUATE_SECURITY', 'NGHTTP2_HTTP_1_1_REQUIRED',
];
export const ErrorCode = { NO_ERROR: 0x0, PROTOCOL_ERROR: 0x1, FLOW_CONTROL_ERROR: 0x3, FRAME_SIZE_ERROR: 0x6, REFUSED_STREAM: 0x7, CANCEL: 0x8, COMPRESSION_ERROR: 0x9 } as const;

export const frameHeaderBytes = 9;
/** The frame size every peer must accept, and the most we accept (we never raise SETTINGS_MAX_FRAME_SIZE). */
export const defaultMaxFrameSize = 16384;
/** The largest flow-control window (2^31 - 1). */
export const maxWindow = 0x7fffffff;

/** Writes a frame header at `offset` of `buf`. */
export function writeFrameHeader(buf: Buffer, offset: number, length: number, type: number, flags: number, streamId: number): void {
  buf[offset] = length >>> 16;
  buf[offset + 1] = (length >>> 8) & 0xff;
  buf[offset + 2] = length & 0xff;
  buf[offset + 3] = type;
  buf[offset + 4] = flags;
  buf.writeUInt32BE(streamId, offset + 5);
}

/** A frame with a payload of `payload` (absent: `payloadLength` bytes left to fill in after the header). */
export function frame(type: number, flags: number, streamId: number, payload?: Uint8Array, payloadLength = payload?.length ?? 0): Buffer {
  const buf = Buffer.allocUnsafe(frameHeaderBytes + payloadLength);
  writeFrameHeader(buf, 0, payloadLength, type, flags, streamId);
  if (payload) buf.set(payload, frameHeaderBytes);
  return buf;
}

export function settingsFrame(settings: ReadonlyArray<readonly [number, number]>): Buffer {
  const buf = frame(FrameType.SETTINGS, 0, 0, undefined, settings.length * 6);
  settings.forEach(([id, value], i) => {
    buf.writeUInt16BE(id, frameHeaderBytes + i * 6);
    buf.writeUInt32BE(value, frameHeaderBytes + i * 6 + 2);
  });
  return buf;
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const buf = frame(FrameType.WINDOW_UPDATE, 0, streamId, undefined, 4);
  buf.writeUInt32BE(increment, frameHeaderBytes);
  return buf;
}

export function rstStreamFrame(streamId: number, code: number): Buffer {
  const buf = frame(FrameType.RST_STREAM, 0, streamId, undefined, 4);
  buf.writeUInt32BE(code, frameHeaderBytes);
  return buf;
}

/** Thrown for a peer's frame that breaks the protocol: the connection cannot go on. */
export class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type FrameHandler = (type: number, flags: number, streamId: number, payload: Buffer) => void;

/**
 * Cuts the bytes a connection receives into frames, whatever the chunks' bounds: a frame's payload is a view of
 * the received bytes (each chunk a socket delivers is its own buffer, so views stay valid).
 */
export class FrameReader {
  private pending?: Buffer;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxFrameSize = defaultMaxFrameSize,
  ) {}

  push(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let pos = 0;
    while (buf.length - pos >= frameHeaderBytes) {
      const length = (buf[pos] << 16) | (buf[pos + 1] << 8) | buf[pos + 2];
      if (length > this.maxFrameSize) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} bytes above the maximum ${this.maxFrameSize}`);
      const end = pos + frameHeaderBytes + length;
      if (end > buf.length) break;
      const streamId = buf.readUInt32BE(pos + 5) & 0x7fffffff;
      this.onFrame(buf[pos + 3], buf[pos + 4], streamId, buf.subarray(pos + frameHeaderBytes, end));
      pos = end;
    }
    if (pos < buf.length) this.pending = pos === 0 ? buf : buf.subarray(pos);
  }
}
