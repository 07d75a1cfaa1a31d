/**
 * HPACK (RFC 7541) for the etcd client's HTTP/2 connection (h2-session.ts).
 *
 * Decoding is complete, because etcd's server (Go) uses all of it: indexed fields, literals that enter the dynamic
 * table, Huffman-coded strings, table size updates. Encoding is the least the RFC allows: a field the static table
 * holds whole goes as its index, others as literals never added to a table (names by static index where it has
 * them), values as plain octets; so the peer's table for our blocks stays empty. A gRPC request
 * has the same few headers every time, so a header block is built once per path and deadline and kept
 * (UnaryChannel.headerBlock in unary-channel.ts).
 */
import { huffmanDecode } from './hpack-huffman.ts';

/** RFC 7541 Appendix A: the static table, from index 1. */
const staticTable: ReadonlyArray<readonly [string, string]> = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** The table size a decoder starts with and the most we allow (SETTINGS_HEADER_TABLE_SIZE, which we leave as is). */
export const defaultTableSize = 4096;

export class HpackError extends Error {}

/** Where a decoded block's fields go, in order. */
export interface FieldSink {
  field(name: string, value: string): void;
}

/**
 * Decodes the header blocks of one connection, in the order they arrive (the dynamic table is shared by all of
 * them: a block must be decoded even when its stream is gone).
 */
export class HpackDecoder {
  /** Newest first, as HPACK numbers them. */
  private readonly entries: Array<readonly [string, string]> = [];
  private size = 0;
  private maxSize: number;

  constructor(private readonly sizeLimit = defaultTableSize) {
    this.maxSize = sizeLimit;
  }

  /** The dynamic table's entries, newest first, and its size (RFC 7541 4.1): for tests. */
  get table(): { entries: Array<readonly [string, string]>; size: number } {
    return { entries: [...this.entries], size: this.size };
  }

  /** The fields of one complete header block, each to `sink` in order. */
  decode(block: Uint8Array, sink: FieldSink): void {
    const r = { pos: 0 };
    let fieldSeen = false;
    while (r.pos < block.length) {
      const b = block[r.pos];
      if (b & 0x80) {
        const [name, value] = this.lookup(readInteger(block, r, 7));
        sink.field(name, value);
        fieldSeen = true;
      } else if (b & 0x40) {
        const [name, value] = this.literal(block, r, 6);
        this.add(name, value);
        sink.field(name, value);
        fieldSeen = true;
      } else if (b & 0x20) {
        // Table size updates come first in a block (RFC 7541 4.2).
        if (fieldSeen) throw new HpackError('HPACK: dynamic table size update after a header field');
        const size = readInteger(block, r, 5);
        if (size > this.sizeLimit) throw new HpackError(`HPACK: dynamic table size ${size} above the limit ${this.sizeLimit}`);
        this.maxSize = size;
        this.evict(0);
      } else {
        // Without indexing (0000) or never indexed (0001): neither enters the table.
        const [name, value] = this.literal(block, r, 4);
        sink.field(name, value);
        fieldSeen = true;
      }
    }
  }

  private lookup(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError('HPACK: index 0');
    if (index <= staticTable.length) return staticTable[index - 1];
    const entry = this.entries[index - staticTable.length - 1];
    if (!entry) throw new HpackError(`HPACK: index ${index} beyond the tables`);
    return entry;
  }

  private literal(block: Uint8Array, r: { pos: number }, prefixBits: number): [string, string] {
    const nameIndex = readInteger(block, r, prefixBits);
    const name = nameIndex === 0 ? readString(block, r) : this.lookup(nameIndex)[0];
    return [name, readString(block, r)];
  }

  private add(name: string, value: string): void {
    // Octet lengths: header strings decode as latin1, one character per octet.
    const size = name.length + value.length + 32;
    this.evict(size);
    // An entry larger than the whole table empties it and is not added (RFC 7541 4.4).
    if (size > this.maxSize) return;
    this.entries.unshift([name, value]);
    this.size += size;
  }

  /** Drops the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.entries.length && this.size + room > this.maxSize) {
      const [name, value] = this.entries.pop()!;
      this.size -= name.length + value.length + 32;
    }
  }
}

/** An integer with an N-bit prefix (RFC 7541 5.1), from r.pos; advances r.pos. */
function readInteger(block: Uint8Array, r: { pos: number }, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  let value = block[r.pos++] & max;
  if (value < max) return value;
  for (let shift = 0; ; shift += 7) {
    if (r.pos >= block.length) throw new HpackError('HPACK: truncated integer');
    if (shift > 28) throw new HpackError('HPACK: integer too large');
    const b = block[r.pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return value;
  }
}

/** A string literal (RFC 7541 5.2), plain or Huffman-coded, as latin1; advances r.pos. */
function readString(block: Uint8Array, r: { pos: number }): string {
  if (r.pos >= block.length) throw new HpackError('HPACK: truncated string');
  const huffman = block[r.pos] & 0x80;
  const length = readInteger(block, r, 7);
  const start = r.pos;
  const end = start + length;
  if (end > block.length) throw new HpackError('HPACK: truncated string');
  r.pos = end;
  if (huffman) return huffmanDecode(block, start, end);
  return Buffer.from(block.buffer, block.byteOffset + start, length).toString('latin1');
}

/** Appends an integer with an N-bit prefix, the prefix's high bits from `flags`. */
function writeInteger(out: number[], flags: number, prefixBits: number, value: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(flags | value);
    return;
  }
  out.push(flags | max);
  value -= max;
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

/**
 * Encodes fields as the static table's index when it holds the field whole (RFC 7541 6.1), else as literals never
 * added to a table (6.2.2), naming them by their static-table index when it has the name, values as plain octets
 * (latin1).
 */
export function encodeLiterals(fields: ReadonlyArray<readonly [string, string]>): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const exact = staticTable.findIndex(([n, v]) => n === name && v === value);
    if (exact >= 0) {
      writeInteger(out, 0x80, 7, exact + 1);
      continue;
    }
    const named = staticTable.findIndex(([n]) => n === name);
    writeInteger(out, 0x00, 4, named + 1);
    if (named < 0) writeOctets(out, name);
    writeOctets(out, value);
  }
  return Buffer.from(out);
}

function writeOctets(out: number[], s: string): void {
  const octets = Buffer.from(s, 'latin1');
  writeInteger(out, 0x00, 7, octets.length);
  for (const o of octets) out.push(o);
}
