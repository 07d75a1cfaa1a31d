/**
 * Go's regular expressions (RE2 syntax, as `regexp.Compile`) run on JavaScript's engine with Go's meaning.
 *
 * Many patterns are valid in both languages but mean different things (`\s`, `.`, `[[:alpha:]]`, `\pL`, `\Q..\E`,
 * `(?i)` folding, `(?m)` line ends, `{,3}`, octal escapes), and JavaScript accepts what RE2 refuses (`\1`, `(?=`).
 * So a pattern is first checked by @bufbuild/re2 (a port of Go's parser: Go's verdict and Go's error text), then
 * parsed here once more and written out as a JavaScript pattern (flag `u`) that matches exactly what Go's would:
 * every class spelled out as code point ranges or Unicode properties, folding expanded into explicit orbits, line
 * anchors as lookarounds on `\n` only (JavaScript's `m` flag also breaks lines at `\r`, U+2028 and U+2029). Captures are not kept (callers only ask whether, or what, matched).
 */
import { RE2JS } from '@bufbuild/re2';

/** Go's compile error for a pattern (`error parsing regexp: ...`), or undefined when RE2 accepts it. */
export function goRegexpError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Patterns compiled so far, or Go's error for them: a schema's fast-path gate and its validator compile each pattern. */
const compiled = new Map<string, RegExp | Error>();

/**
 * Compiles a Go pattern into a JavaScript RegExp with Go's meaning; throws Go's error for a pattern RE2 refuses.
 * The RegExp is shared by every caller of the same pattern (no `g` or `y` flag: `test` keeps no state).
 */
export function compileGoRegexp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const err = goRegexpError(pattern);
    re = err !== undefined ? new Error(err) : new RegExp(translateGoRegexp(pattern), 'u');
    if (compiled.size >= 10_000) compiled.clear(); // patterns come from CRDs: bounded in practice, capped anyway
    compiled.set(pattern, re);
  }
  if (re instanceof Error) throw new Error(re.message);
  return re;
}

// ---------------------------------------------------------------------------------------------------------------
// Character sets: sorted, merged code point ranges, plus Unicode properties JavaScript can name.

type Range = [number, number];
const maxRune = 0x10ffff;

/** One term of a class: explicit ranges, or a Unicode property (`\p{L}`, `\P{Script=Greek}`) JavaScript spells. */
type ClassTerm = { ranges: Range[] } | { props: string[]; negated: boolean; extra: Range[] };

/** Properties as JavaScript class items: `\\p{Cc}\\p{Cf}`. */
const propItems = (props: string[]) => props.map((p) => `\\p{${p}}`).join('');

function normalize(rs: Range[]): Range[] {
  const sorted = rs.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function negate(rs: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(rs)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= maxRune) out.push([next, maxRune]);
  return out;
}

const contains = (rs: Range[], c: number) => rs.some(([lo, hi]) => c >= lo && c <= hi);

// Perl and POSIX classes are ASCII in Go.
const perlClasses: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const posixClasses: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

// Go's unicode.Categories; its `C` has no unassigned code points (JavaScript's `\p{C}` has `Cn` too).
const categories = new Set(['L', 'LC', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P',
  'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs', 'Cc', 'Cf', 'Co', 'Cs']);

function unicodeProps(name: string): string[] {
  if (name === 'Any') return ['Any'];
  if (name === 'C') return ['Cc', 'Cf', 'Co', 'Cs'];
  if (categories.has(name)) return [name];
  return [`Script=${name}`];
}

// ---------------------------------------------------------------------------------------------------------------
// Case folding: Go's (?i) matches every member of a rune's simple-folding orbit (k, K and the Kelvin sign K).

let orbitsOf: Map<number, number[]> | undefined;

/** Every code point up to `max` with the Unicode property `prop`, found by the engine in one pass. */
function codePointsWith(prop: string, max: number): number[] {
  const chunks: string[] = [];
  for (let lo = 0; lo <= max; lo += 0x1000) {
    const cps: number[] = [];
    for (let c = lo; c < lo + 0x1000 && c <= max; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    chunks.push(String.fromCodePoint(...cps));
  }
  return [...chunks.join('').matchAll(new RegExp(`\\p{${prop}}`, 'gu'))].map((m) => m[0].codePointAt(0)!);
}

/** The simple case folding orbits (only runes that have one), built once on first use. */
function orbits(): Map<number, number[]> {
  if (orbitsOf) return orbitsOf;
  const byKey = new Map<number, number[]>();
  const single = (s: string) => (s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff) ? s.codePointAt(0)! : undefined);
  // Only a rune that case mapping changes can share an orbit with another.
  for (const c of codePointsWith('Changes_When_Casemapped', 0x1e943)) {
    // Turkish dotted and dotless i fold only under the Turkish rules, which Go's simple folding leaves out.
    if (c === 0x130 || c === 0x131) continue;
    const s = String.fromCodePoint(c);
    const up = single(s.toUpperCase());
    const key = single((up !== undefined ? String.fromCodePoint(up) : s).toLowerCase()) ?? c;
    let orbit = byKey.get(key);
    if (!orbit) byKey.set(key, (orbit = []));
    orbit.push(c);
  }
  orbitsOf = new Map();
  for (const [key, members] of byKey) {
    const all = [...new Set([key, ...members])].sort((a, b) => a - b);
    if (all.length > 1) for (const c of all) orbitsOf.set(c, all);
  }
  return orbitsOf;
}

function foldRanges(rs: Range[]): Range[] {
  const extra: Range[] = [];
  for (const [c, orbit] of orbits()) if (contains(rs, c)) for (const o of orbit) extra.push([o, o]);
  return normalize([...rs, ...extra]);
}

/** Orbit members outside a set of properties whose other members are in it: what folding adds to `\p{...}`. */
function foldProperties(props: string[]): Range[] {
  const re = new RegExp(`^[${propItems(props)}]$`, 'u');
  const extra: Range[] = [];
  for (const [c, orbit] of orbits()) {
    if (!re.test(String.fromCodePoint(c)) && orbit.some((o) => re.test(String.fromCodePoint(o)))) extra.push([c, c]);
  }
  return normalize(extra);
}

// ---------------------------------------------------------------------------------------------------------------
// Writing JavaScript.

function hex(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

/** A rune as JavaScript (flag `u`), outside or inside a class: `u` allows escaping only syntax characters. */
function literalChar(c: number, inClass = false): string {
  if (c < 0x21 || c > 0x7e) return hex(c);
  const ch = String.fromCharCode(c);
  return /[\\^$.*+?()[\]{}|/]/.test(ch) || (inClass && ch === '-') ? `\\${ch}` : ch;
}

function classRanges(rs: Range[]): string {
  return rs.map(([lo, hi]) => (lo === hi ? literalChar(lo, true) : `${literalChar(lo, true)}-${literalChar(hi, true)}`)).join('');
}

/** A class as JavaScript: one `[...]` where it can be, else an alternation of classes (or its negative lookahead). */
function writeClass(terms: ClassTerm[], negated: boolean): string {
  const ranges: Range[] = [];
  const inline: string[] = [];
  const separate: string[] = [];
  for (const t of terms) {
    if ('ranges' in t) ranges.push(...t.ranges);
    else if (!t.negated) inline.push(propItems(t.props), classRanges(t.extra));
    else if (t.props.length === 1 && t.extra.length === 0) inline.push(`\\P{${t.props[0]}}`);
    else separate.push(`[^${propItems(t.props)}${classRanges(t.extra)}]`);
  }
  const merged = normalize(ranges);
  if (separate.length === 0) {
    if (inline.length === 0 && !negated) {
      if (merged.length === 0) return '[]';
      if (merged.length === 1 && merged[0][0] === merged[0][1]) return literalChar(merged[0][0]);
    }
    return `[${negated ? '^' : ''}${classRanges(merged)}${inline.join('')}]`;
  }
  const parts = [...separate];
  if (merged.length > 0 || inline.length > 0) parts.push(`[${classRanges(merged)}${inline.join('')}]`);
  return negated ? `(?:(?!${parts.join('|')})[\\s\\S])` : `(?:${parts.join('|')})`;
}

// ---------------------------------------------------------------------------------------------------------------
// The parser: Go's regexp/syntax grammar with Perl flags, on a pattern RE2 has already accepted.

interface Flags {
  i: boolean; // fold case
  m: boolean; // ^ and $ at line boundaries
  s: boolean; // . matches \n
  U: boolean; // ungreedy: swaps x* and x*?
}

interface Atom {
  /** Empty for `(?flags)` and `\\Q\\E`: Go pushes nothing for them, so a quantifier after one applies to the atom before. */
  js: string;
  /** An assertion or a quantified atom: wrapped in a group before another quantifier applies. */
  wrap: boolean;
}

/** Translates a pattern RE2 accepts into JavaScript source (for the `u` flag) with Go's meaning. */
export function translateGoRegexp(pattern: string): string {
  const runes = [...pattern].map((c) => c.codePointAt(0)!);
  let pos = 0;
  const peek = (k = 0) => runes[pos + k];
  const at = (s: string) => String.fromCodePoint(...runes.slice(pos, pos + s.length)) === s;

  function literal(c: number, f: Flags): string {
    const orbit = f.i ? orbits().get(c) : undefined;
    return orbit ? writeClass([{ ranges: orbit.map((o): Range => [o, o]) }], false) : literalChar(c);
  }

  function foldTerm(t: ClassTerm, f: Flags): ClassTerm {
    if (!f.i) return t;
    if ('ranges' in t) return { ranges: foldRanges(t.ranges) };
    return { ...t, extra: foldProperties(t.props) };
  }

  /** Folds positive ranges first, then negates, as Go does for `\W`, `[:^alpha:]` and `[^k]`. */
  function group(rs: Range[], negated: boolean, f: Flags): ClassTerm {
    const folded = f.i ? foldRanges(rs) : normalize(rs);
    return { ranges: negated ? negate(folded) : folded };
  }

  function hexDigits(max: number): number {
    let v = 0;
    let n = 0;
    while (n < max && peek() !== undefined && /[0-9a-fA-F]/.test(String.fromCodePoint(peek()))) {
      v = v * 16 + parseInt(String.fromCodePoint(runes[pos++]), 16);
      n++;
    }
    return v;
  }

  /** A single-rune escape (after the backslash): octal, hex, C escapes, escaped punctuation. */
  function escapedRune(): number {
    const c = String.fromCodePoint(runes[pos++]);
    if (c >= '0' && c <= '7') {
      let v = c.charCodeAt(0) - 0x30;
      for (let k = 0; k < 2 && peek() !== undefined && peek() >= 0x30 && peek() <= 0x37; k++) v = v * 8 + (runes[pos++] - 0x30);
      return v;
    }
    if (c === 'x') {
      if (peek() === 0x7b) {
        pos++;
        const v = hexDigits(Infinity);
        pos++; // }
        return v;
      }
      return hexDigits(2);
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    return simple[c] ?? c.codePointAt(0)!;
  }

  /** `\d`, `\pL`, `\p{Greek}`, `\P{^L}` (after the backslash), or undefined when the escape is no class. */
  function classEscape(f: Flags): ClassTerm | undefined {
    const c = String.fromCodePoint(peek());
    const lower = c.toLowerCase();
    if (perlClasses[lower] && (c === lower || c === c.toUpperCase())) {
      pos++;
      return group(perlClasses[lower], c !== lower, f);
    }
    if (c === 'p' || c === 'P') {
      pos++;
      let name: string;
      if (peek() === 0x7b) {
        const end = runes.indexOf(0x7d, pos);
        name = String.fromCodePoint(...runes.slice(pos + 1, end));
        pos = end + 1;
      } else name = String.fromCodePoint(runes[pos++]);
      let negated = c === 'P';
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
      return foldTerm({ props: unicodeProps(name), negated, extra: [] }, f);
    }
    return undefined;
  }

  function parseClass(f: Flags): string {
    pos++; // [
    let negated = false;
    if (peek() === 0x5e) {
      negated = true;
      pos++;
    }
    const terms: ClassTerm[] = [];
    let first = true;
    while (peek() !== 0x5d || first) {
      first = false;
      if (at('[:')) {
        const end = runes.findIndex((r, k) => k > pos + 1 && r === 0x3a && runes[k + 1] === 0x5d);
        const body = end < 0 ? '' : String.fromCodePoint(...runes.slice(pos + 2, end));
        const posixNeg = body.startsWith('^');
        const name = posixNeg ? body.slice(1) : body;
        if (Object.hasOwn(posixClasses, name)) {
          terms.push(group(posixClasses[name], posixNeg, f));
          pos = end + 2;
          continue;
        }
      }
      if (peek() === 0x5c) {
        pos++;
        const t = classEscape(f);
        if (t) {
          terms.push(t);
          continue;
        }
        pos--;
      }
      const lo = classChar();
      let hi = lo;
      if (peek() === 0x2d && peek(1) !== 0x5d && peek(1) !== undefined) {
        pos++;
        hi = classChar();
      }
      terms.push(foldTerm({ ranges: [[lo, hi]] }, f));
    }
    pos++; // ]
    return writeClass(terms, negated);
  }

  function classChar(): number {
    if (peek() === 0x5c) {
      pos++;
      return escapedRune();
    }
    return runes[pos++];
  }

  /** `{n}`, `{n,}`, `{n,m}` at pos, or undefined (then `{` is a literal, as in Go). */
  function repeatAt(): { min: number; max: number; len: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...runes.slice(pos, pos + 16)));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    return { min, max, len: m[0].length };
  }

  function parseFlags(spec: string, f: Flags): Flags {
    const out = { ...f };
    let on = true;
    for (const ch of spec) {
      if (ch === '-') on = false;
      else out[ch as keyof Flags] = on;
    }
    return out;
  }

  /** An alternation up to `)` or the end; `f` is updated in place by `(?flags)` until the group ends. */
  function parseAlternation(outer: Flags): string {
    const f = { ...outer };
    const branches: string[] = [];
    let seq: Atom[] = [];
    const endBranch = () => {
      branches.push(seq.map((a) => a.js).join(''));
      seq = [];
    };
    while (pos < runes.length && peek() !== 0x29) {
      const c = peek();
      if (c === 0x7c) {
        pos++;
        endBranch();
        continue;
      }
      if (c === 0x2a || c === 0x2b || c === 0x3f || (c === 0x7b && repeatAt())) {
        let q: string;
        if (c === 0x7b) {
          const r = repeatAt()!;
          pos += r.len;
          q = r.max === r.min ? `{${r.min}}` : r.max < 0 ? `{${r.min},}` : `{${r.min},${r.max}}`;
        } else {
          pos++;
          q = String.fromCharCode(c);
        }
        let lazy = f.U;
        if (peek() === 0x3f) {
          pos++;
          lazy = !lazy;
        }
        const prev = seq.pop()!;
        const base = prev.wrap ? `(?:${prev.js})` : prev.js;
        seq.push({ js: `${base}${q}${lazy ? '?' : ''}`, wrap: true });
        continue;
      }
      const atom = parseAtom(f);
      if (atom.js !== '') seq.push(atom);
    }
    endBranch();
    return branches.join('|');
  }

  function parseAtom(f: Flags): Atom {
    const c = peek();
    switch (c) {
      case 0x28: { // (
        pos++;
        if (peek() === 0x3f) {
          // (?P<name>, (?<name>, (?flags), (?flags:
          if (at('?P<') || at('?<')) {
            pos = runes.indexOf(0x3e, pos) + 1;
            return groupBody(f);
          }
          pos++;
          let spec = '';
          while (peek() !== 0x29 && peek() !== 0x3a) spec += String.fromCodePoint(runes[pos++]);
          const g = parseFlags(spec, f);
          if (runes[pos++] === 0x29) {
            Object.assign(f, g); // (?flags): for the rest of the enclosing group
            return { js: '', wrap: true };
          }
          return groupBody(g);
        }
        return groupBody(f);
      }
      case 0x5b: // [
        return { js: parseClass(f), wrap: false };
      case 0x2e: // .
        pos++;
        return { js: f.s ? '[\\s\\S]' : '[^\\n]', wrap: false };
      case 0x5e: // ^
        pos++;
        return { js: f.m ? '(?<=^|\\n)' : '^', wrap: true };
      case 0x24: // $
        pos++;
        return { js: f.m ? '(?=$|\\n)' : '$', wrap: true };
      case 0x5c: { // backslash
        pos++;
        const e = String.fromCodePoint(peek());
        if (e === 'A') return (pos++, { js: '^', wrap: true });
        if (e === 'z') return (pos++, { js: '$', wrap: true });
        if (e === 'b' || e === 'B') return (pos++, { js: `\\${e}`, wrap: true });
        if (e === 'Q') {
          pos++;
          let end = runes.findIndex((r, k) => k >= pos && r === 0x5c && runes[k + 1] === 0x45);
          if (end < 0) end = runes.length;
          const lits = runes.slice(pos, end);
          pos = Math.min(end + 2, runes.length);
          // Each rune is its own atom in Go: `\Qab\E*` repeats only `b`.
          if (lits.length === 0) return { js: '', wrap: true };
          const last = lits.pop()!;
          return { js: lits.map((r) => literal(r, f)).join('') + `(?:${literal(last, f)})`, wrap: false };
        }
        const t = classEscape(f);
        if (t) return { js: writeClass([t], false), wrap: false };
        return { js: literal(escapedRune(), f), wrap: false };
      }
      default:
        pos++;
        return { js: literal(c, f), wrap: false };
    }
  }

  function groupBody(f: Flags): Atom {
    const inner = parseAlternation(f);
    pos++; // )
    return { js: `(?:${inner})`, wrap: false };
  }

  return parseAlternation({ i: false, m: false, s: false, U: false });
}
