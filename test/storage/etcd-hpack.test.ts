/**
 * HPACK for the etcd client's own HTTP/2 connection (runtime/storage/etcd/hpack.ts, hpack-huffman.ts): the examples
 * of RFC 7541 Appendix C, decoded in sequence on one decoder as a connection would (dynamic table, eviction,
 * Huffman), the refusals of 5.2, and what our encoder writes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HpackDecoder, encodeLiterals } from '../../runtime/storage/etcd/hpack.ts';
import { huffmanCodes, huffmanDecode } from '../../runtime/storage/etcd/hpack-huffman.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
type Fields = Array<[string, string]>;
function decode(d: HpackDecoder, block: string): Fields {
  const out: Fields = [];
  d.decode(hex(block), { field: (n, v) => out.push([n, v]) });
  return out;
}
const tableOf = (d: HpackDecoder) => ({ entries: d.table.entries.map(([n, v]) => `${n}: ${v}`), size: d.table.size });

test('C.2: one field of each representation', () => {
  const d = new HpackDecoder();
  assert.deepEqual(decode(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'), [['custom-key', 'custom-header']]);
  assert.deepEqual(tableOf(d), { entries: ['custom-key: custom-header'], size: 55 });
  const e = new HpackDecoder();
  assert.deepEqual(decode(e, '040c 2f73 616d 706c 652f 7061 7468'), [[':path', '/sample/path']]);
  assert.deepEqual(decode(e, '1008 7061 7373 776f 7264 0673 6563 7265 74'), [['password', 'secret']]);
  assert.deepEqual(decode(e, '82'), [[':method', 'GET']]);
  assert.deepEqual(tableOf(e), { entries: [], size: 0 });
});

const requests: Array<{ plain: string; huffman: string; fields: Fields; table: string[]; size: number }> = [
  {
    plain: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
    huffman: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
    fields: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
    table: [':authority: www.example.com'],
    size: 57,
  },
  {
    plain: '8286 84be 5808 6e6f 2d63 6163 6865',
    huffman: '8286 84be 5886 a8eb 1064 9cbf',
    fields: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
    table: ['cache-control: no-cache', ':authority: www.example.com'],
    size: 110,
  },
  {
    plain: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    huffman: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
    fields: [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
    table: ['custom-key: custom-value', 'cache-control: no-cache', ':authority: www.example.com'],
    size: 164,
  },
];

for (const coding of ['plain', 'huffman'] as const) {
  test(`C.${coding === 'plain' ? 3 : 4}: three requests on one connection, strings ${coding}`, () => {
    const d = new HpackDecoder();
    for (const r of requests) {
      assert.deepEqual(decode(d, r[coding]), r.fields);
      assert.deepEqual(tableOf(d), { entries: r.table, size: r.size });
    }
  });
}

const date1 = 'date: Mon, 21 Oct 2013 20:13:21 GMT';
const responses: Array<{ plain: string; huffman: string; fields: Fields; table: string[]; size: number }> = [
  {
    plain: `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d
            546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
    huffman: `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7
              8f0b 97c8 e9ae 82ae 43d3`,
    fields: [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
    table: ['location: https://www.example.com', date1, 'cache-control: private', ':status: 302'],
    size: 222,
  },
  {
    // ':status: 307' enters, and ':status: 302' is evicted to make room.
    plain: '4803 3330 37c1 c0bf',
    huffman: '4883 640e ffc1 c0bf',
    fields: [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
    table: [':status: 307', 'location: https://www.example.com', date1, 'cache-control: private'],
    size: 222,
  },
  {
    // Several entries are evicted by the new ones.
    plain: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f
            6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b
            2076 6572 7369 6f6e 3d31`,
    huffman: `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335
              dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
    fields: [
      [':status', '200'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], ['location', 'https://www.example.com'],
      ['content-encoding', 'gzip'], ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
    ],
    table: ['set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1', 'content-encoding: gzip', 'date: Mon, 21 Oct 2013 20:13:22 GMT'],
    size: 215,
  },
];

for (const coding of ['plain', 'huffman'] as const) {
  test(`C.${coding === 'plain' ? 5 : 6}: three responses with a 256-octet table, strings ${coding}: entries evicted`, () => {
    const d = new HpackDecoder(256);
    for (const r of responses) {
      assert.deepEqual(decode(d, r[coding]), r.fields);
      assert.deepEqual(tableOf(d), { entries: r.table, size: r.size });
    }
  });
}

test('a table size update shrinks the table; one above the limit, or after a field, is refused', () => {
  const d = new HpackDecoder();
  decode(d, requests[0].plain);
  decode(d, requests[1].plain);
  assert.deepEqual(decode(d, '3f19'), []); // size 56: the newest entry (53 octets) stays, the older one goes
  assert.deepEqual(tableOf(d), { entries: ['cache-control: no-cache'], size: 53 });
  assert.deepEqual(decode(d, '20'), []); // size 0: empty
  assert.deepEqual(tableOf(d), { entries: [], size: 0 });
  assert.deepEqual(decode(d, '20 3fe1 1f 82'), [[':method', 'GET']]); // 0, then 4096 again, then a field
  assert.throws(() => decode(d, '3fe2 1f'), /above the limit/); // 4097
  assert.throws(() => decode(d, '82 20'), /after a header field/);
});

test('Huffman: the code table is RFC 7541 Appendix B; EOS, bad padding and long padding are refused', () => {
  const codes = huffmanCodes();
  assert.equal(codes[0], 0x1ff8);
  assert.equal(codes[48], 0x0); // '0'
  assert.equal(codes[97], 0x3); // 'a'
  assert.equal(codes[255], 0x3ffffee);
  assert.equal(codes[256], 0x3fffffff); // EOS
  const good = hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff');
  assert.equal(huffmanDecode(good, 0, good.length), 'www.example.com');
  const badPadding = Buffer.from(good);
  badPadding[badPadding.length - 1] &= 0xfe;
  assert.throws(() => huffmanDecode(badPadding, 0, badPadding.length), /padding/);
  assert.throws(() => huffmanDecode(hex('ffffffff'), 0, 4), /EOS/);
  assert.throws(() => huffmanDecode(hex('1fff'), 0, 2), /padding/); // 'a'... then 8+ bits of ones
  assert.equal(huffmanDecode(hex('1f'), 0, 1), 'a'); // 00011 + 111 of padding
});

test('what we send: static-table names and entries, literals never indexed, plain octets', () => {
  const block = encodeLiterals([[':method', 'POST'], [':path', '/etcdserverpb.KV/Range'], ['te', 'trailers'], ['grpc-timeout', '3000m']]);
  assert.equal(block[0], 0x83); // indexed :method POST
  const d = new HpackDecoder();
  const out: Fields = [];
  d.decode(block, { field: (n, v) => out.push([n, v]) });
  assert.deepEqual(out, [[':method', 'POST'], [':path', '/etcdserverpb.KV/Range'], ['te', 'trailers'], ['grpc-timeout', '3000m']]);
  assert.deepEqual(tableOf(d), { entries: [], size: 0 });
  // A value of 200 octets: its length takes a second octet (7-bit prefix).
  const long = 'x'.repeat(200);
  const out2: Fields = [];
  d.decode(encodeLiterals([['x-long', long]]), { field: (n, v) => out2.push([n, v]) });
  assert.deepEqual(out2, [['x-long', long]]);
});
