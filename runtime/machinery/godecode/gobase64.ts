/**
 * Go's base64.StdEncoding.Decode, for the error it gives: `illegal base64 data at input byte N` (N counts UTF-8
 * bytes). `\r` and `\n` are skipped anywhere, as Go skips them.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decodeMap = new Int16Array(256).fill(-1);
for (let i = 0; i < alphabet.length; i++) decodeMap[alphabet.charCodeAt(i)] = i;

const canonical = /^[A-Za-z0-9+/]*={0,2}$/;

/** The error Go's decoder gives for `text`, or undefined when it decodes. */
export function base64Error(text: string): string | undefined {
  if (text.length % 4 === 0 && canonical.test(text)) return undefined;
  const src = new TextEncoder().encode(text);
  const corrupt = (n: number) => `illegal base64 data at input byte ${n}`;
  let si = 0;
  while (si < src.length) {
    // One quantum (Go's decodeQuantum): up to four symbols, or the padding that ends the input.
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return corrupt(si - j);
      }
      const c = src[si++];
      if (decodeMap[c] >= 0) continue;
      if (c === 10 || c === 13) {
        j--;
        continue;
      }
      if (c !== 61) return corrupt(si - 1);
      // Padding: only after two or three symbols, "==" after two.
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 61) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 10 || src[si] === 13)) si++;
      if (si < src.length) return corrupt(si);
      return undefined;
    }
  }
  return undefined;
}
