/**
 * Go's string order (byte by byte), which upstream's sorts use. Not localeCompare: that orders by locale rules
 * (case folded, punctuation weighed differently) and loads the ICU collation data, megabytes of resident memory.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Any UTF-16 surrogate: half of a character past U+FFFF. */
const surrogate = /[\ud800-\udfff]/;

/**
 * Sorts `list` in place in Go's order of strings (UTF-8 bytes, which is code point order) and returns it. JavaScript's
 * own sort compares UTF-16 code units: the same order, except that a character past U+FFFF (a surrogate pair) sorts
 * before U+E000..U+FFFF. Only a list holding such a character pays for the exact comparison.
 */
export function sortGoStrings(list: string[]): string[] {
  for (let i = 0; i < list.length; i++) if (surrogate.test(list[i])) return list.sort(compareCodePoints);
  return list.sort();
}

/** Code point order of two strings (Go's byte order of their UTF-8). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

/** A code unit from U+D800 up, ranked as the code points they start: surrogates above U+E000..U+FFFF. */
const codePointRank = (c: number) => (c >= 0xe000 ? c - 0x800 : c + 0x2000);

/** Beyond this many items the engine's O(n log n) sort pays for the work array it allocates. */
const shortList = 16;

/**
 * Sorts `list` in place by `compare` and returns it, stably, as Array.prototype.sort does; but a short list (the
 * handful of fields of one level of an object, the entries of an object's managedFields) is sorted by insertion,
 * which allocates nothing, where V8's sort allocates a work array on every call. For sorts on every request.
 */
export function sortShort<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  const n = list.length;
  if (n > shortList) return list.sort(compare);
  for (let i = 1; i < n; i++) {
    const item = list[i];
    let j = i - 1;
    while (j >= 0 && compare(list[j], item) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}
