/**
 * The part of protobufjs' Writer the object encoder uses (varints, strings, bytes, doubles, length-delimited
 * nesting), writing the same bytes straight into one scratch buffer. protobufjs queues an operation object per
 * value and a state object per nested message, then copies them out at `finish`: for a small object that is most
 * of the encoding's time and garbage, on every stored write, protobuf response and watch event.
 *
 * A nested message gets one byte for its length when it starts; at its end, a longer length moves its bytes up.
 * Nothing else runs while an object is encoded, so one scratch buffer serves every encoding; `finish` copies the
 * bytes out, as protobufjs' own does.
 */
import protobuf from 'protobufjs/minimal.js';

const { LongBits, utf8 } = protobuf.util;

const scratchBytes = 64 * 1024;
let scratch = Buffer.allocUnsafeSlow(scratchBytes);
/** Whether a writer holds the scratch buffer (another one, made meanwhile, gets a buffer of its own). */
let scratchTaken = false;

export class FlatWriter {
  private buf: Buffer;
  private readonly ownsScratch: boolean;
  private pos = 0;
  /** Where each open nested message's length byte is. */
  private readonly open: number[] = [];

  /** The bytes `write` writes, in a buffer of their own; the scratch buffer is given back whatever happens. */
  static encode(write: (w: FlatWriter) => void): Buffer {
    const w = new FlatWriter();
    try {
      write(w);
      return w.finish();
    } finally {
      w.release();
    }
  }

  constructor() {
    this.ownsScratch = !scratchTaken;
    scratchTaken = true;
    this.buf = this.ownsScratch ? scratch : Buffer.allocUnsafeSlow(4096);
  }

  /** Gives the scratch buffer back (after finish, or a failed encoding). */
  release(): void {
    if (!this.ownsScratch) return;
    scratchTaken = false;
    // A big object grew it: not kept at that size for the small ones that follow.
    if (scratch.length > 16 * scratchBytes) scratch = Buffer.allocUnsafeSlow(scratchBytes);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    if (this.ownsScratch) scratch = grown;
  }

  uint32(value: number): this {
    let v = value >>> 0;
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
    return this;
  }

  int32(value: number): this {
    const v = value | 0;
    return v < 0 ? this.varint64(LongBits.fromNumber(v)) : this.uint32(v);
  }

  int64(value: number): this {
    // What protobufjs' LongBits.fromNumber gives for these is the value's low 32 bits and no high ones.
    if (value >= 0 && value <= 0xffffffff) return this.uint32(value);
    return this.varint64(LongBits.fromNumber(value));
  }

  /** An int64 given as decimal text (etcd's lease IDs use all 64 bits, past a number's exact range), as protobufjs writes it. */
  int64Text(text: string): this {
    const v = BigInt.asUintN(64, BigInt(text));
    return this.varint64({ lo: Number(v & BigInt(0xffffffff)), hi: Number(v >> BigInt(32)) });
  }

  private varint64(bits: { lo: number; hi: number }): this {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    let { lo, hi } = bits;
    while (hi) {
      buf[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[p++] = (lo & 127) | 128;
      lo >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
    return this;
  }

  bool(value: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
    return this;
  }

  double(value: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
    return this;
  }

  /** As protobufjs' BufferWriter: short strings through its own UTF-8 encoder (its bytes for lone surrogates too). */
  string(value: string): this {
    const n = value.length;
    if (n < 40) {
      this.ensure(1 + 3 * n);
      const buf = this.buf;
      const start = this.pos + 1;
      let p = start;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 128) {
          p = -1;
          break;
        }
        buf[p++] = c;
      }
      if (p >= 0) {
        // ASCII: as many bytes as characters, fewer than 128, so the length is one byte.
        buf[this.pos] = n;
        this.pos = p;
        return this;
      }
      const len = Buffer.byteLength(value);
      this.uint32(len);
      utf8.write(value, this.buf, this.pos);
      this.pos += len;
      return this;
    }
    const len = Buffer.byteLength(value);
    this.uint32(len);
    this.ensure(len);
    this.buf.write(value, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }

  bytes(value: Uint8Array): this {
    const len = value.length >>> 0;
    this.uint32(len);
    this.ensure(len);
    this.buf.set(value, this.pos);
    this.pos += len;
    return this;
  }

  /** Starts a length-delimited message (ended by ldelim). */
  fork(): this {
    this.ensure(1);
    this.open.push(this.pos++);
    return this;
  }

  /** Ends the message fork started: its length before it, as a varint. */
  ldelim(): this {
    const at = this.open.pop()!;
    const len = this.pos - at - 1;
    let size = 1;
    for (let v = len; v > 127; v >>>= 7) size++;
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    let p = at;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[p] = v;
    return this;
  }

  /** The bytes written, in a buffer of their own. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}
