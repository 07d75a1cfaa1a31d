/**
 * A 53-bit digest of a stored value, for telling cheaply whether new bytes may be the ones already stored: the watch
 * cache keeps one per object (not the bytes, which would add their size to every cached object), and an update
 * that starts from the cached object compares it with its new value's instead of encoding the cached object again
 * (see GuaranteedUpdateOptions.suggestionDigest). Equal digests only ever lead to a read of the stored bytes, which
 * are then compared whole, so a chance collision costs a round trip and never decides an answer.
 */
export function valueDigest(value: Uint8Array): number {
  // Two 32-bit multiplicative lanes over the bytes, mixed at the end (the cyrb53 construction).
  let h1 = 0xdeadbeef ^ value.length;
  let h2 = 0x41c6ce57 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
