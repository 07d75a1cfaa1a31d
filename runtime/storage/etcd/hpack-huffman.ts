/**
 * HPACK's Huffman code (RFC 7541 Appendix B), decoding only: etcd's HTTP/2 server (Go) Huffman-codes the header
 * strings it sends, while what we send may go as plain octets.
 *
 * The code is canonical (codes of one length are consecutive, shorter ones first, by symbol within a length), so the
 * code lengths alone define it: `codeLengths` holds the length of symbols 0-255 as one base-36 digit each, and
 * EOS (256) is 30 bits. Decoding walks a table of 4 bits at a time: every prefix of a code is a state, and no code
 * is shorter than 5 bits, so each 4-bit step ends in one state having emitted at most one octet.
 */

const codeLengths =
  'DNSSSSSSSOUSSUSSSSSSSSUSSSSSSSSS6AACD68BAA8B8666555666666678F6CAD67777777777777777777777878DJDE6F56565666577666567655677777FBEDSKMKKMMMNMNNNNNONOOMNONNNNLMNMNNOMLKMMNNLNMMOLMNNLLMLNMNNKMMMNMMNQQKJMNMPQQQRRQOPJLQRRQROLLQQSRRRKOKLMLLNMMPPOOQNQRQQRRRRRSRRRRRQ';
const EOS = 256;

/** The lengths of all 257 symbols. */
export function huffmanCodeLengths(): number[] {
  return [...codeLengths].map((c) => parseInt(c, 36)).concat(30);
}

/** Canonical codes from their lengths: by length, then symbol, each one more than the last, shifted as length grows. */
export function huffmanCodes(lengths = huffmanCodeLengths()): number[] {
  const order = lengths.map((_, s) => s).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const codes: number[] = [];
  let code = 0;
  let previous = lengths[order[0]];
  for (const s of order) {
    code *= 2 ** (lengths[s] - previous); // not <<: 30-bit codes shifted would overflow a signed int
    previous = lengths[s];
    codes[s] = code++;
  }
  return codes;
}

// The decode table: state = a node of the code tree that is not a symbol (the root is 0). An entry per (state,
// nibble): bits 0-8 the next state, bit 9 set when a symbol was completed, bits 10-17 that symbol, bit 18 set when
// the nibble runs into EOS, which the string must not contain (RFC 7541 5.2).
const EMITS = 1 << 9;
const FAILS = 1 << 18;
const { table, paddingStates } = buildDecodeTable();

function buildDecodeTable(): { table: Int32Array; paddingStates: Uint8Array } {
  const lengths = huffmanCodeLengths();
  const codes = huffmanCodes(lengths);
  // The tree: children[2n + bit] is an inner node (>= 0) or a symbol (-1 - symbol).
  const children: number[] = [0, 0];
  let inner = 1;
  for (let s = 0; s <= EOS; s++) {
    let node = 0;
    for (let i = lengths[s] - 1; i >= 0; i--) {
      const bit = Math.floor(codes[s] / 2 ** i) & 1;
      const slot = 2 * node + bit;
      if (i === 0) children[slot] = -1 - s;
      else {
        if (!children[slot]) {
          children[slot] = inner++;
          children.push(0, 0);
        }
        node = children[slot];
      }
    }
  }
  const table = new Int32Array(inner * 16);
  for (let state = 0; state < inner; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let i = 3; i >= 0; i--) {
        const next = children[2 * node + ((nibble >> i) & 1)];
        if (next >= 0) node = next;
        else if (-1 - next === EOS) entry |= FAILS;
        else {
          entry |= EMITS | ((-1 - next) << 10);
          node = 0;
        }
      }
      table[state * 16 + nibble] = entry | node;
    }
  }
  // A string ends in padding: at most 7 bits, all ones (a prefix of EOS). Those are the states on the all-ones path.
  const paddingStates = new Uint8Array(inner);
  for (let node = 0, depth = 0; depth <= 7; depth++, node = children[2 * node + 1]) paddingStates[node] = 1;
  return { table, paddingStates };
}

let out = Buffer.allocUnsafe(256);

/** The octets Huffman-coded in `src[start, end)`, as a latin1 string; throws on a code that RFC 7541 5.2 forbids. */
export function huffmanDecode(src: Uint8Array, start: number, end: number): string {
  // Every code is at least 5 bits, so n octets decode to fewer than 8n/5 + 1 octets.
  const most = Math.ceil(((end - start) * 8) / 5);
  if (out.length < most) out = Buffer.allocUnsafe(most * 2);
  let state = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const byte = src[i];
    const first = table[state * 16 + (byte >> 4)];
    if (first & EMITS) out[n++] = (first >> 10) & 0xff;
    const second = table[(first & 0x1ff) * 16 + (byte & 0xf)];
    if (second & EMITS) out[n++] = (second >> 10) & 0xff;
    if ((first | second) & FAILS) throw new Error('HPACK: Huffman-coded string contains EOS');
    state = second & 0x1ff;
  }
  if (!paddingStates[state]) throw new Error('HPACK: Huffman-coded string ends in invalid padding');
  return out.toString('latin1', 0, n);
}
