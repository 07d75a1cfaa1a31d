/**
 * How kube-apiserver's YAML serializer sees and writes scalars. Its answers are JSON turned into YAML by
 * sigs.k8s.io/yaml's JSONToYAML (v1.4.0 in v1.32): the JSON is read back by go-yaml v2 into untyped Go values, then
 * written by go-yaml v2. So a number's Go type comes from its JSON text (an int64, else a uint64, else a float64),
 * a string is quoted when go-yaml would read it back as something else, and map keys come out in go-yaml's order.
 */
import { formatGoFloat } from '../go-float.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * A JSON number's text as go-yaml writes the Go value it reads it into; undefined for a float past float64's range,
 * which go-yaml keeps as the string it is (strconv.ParseFloat fails on it).
 */
export function goYamlNumber(text: string): string | undefined {
  if (/^-?\d+$/.test(text)) {
    const n = BigInt(text);
    if (n >= INT64_MIN && n <= UINT64_MAX) return n.toString();
  }
  const f = Number(text);
  return Number.isFinite(f) ? formatFloatG(f) : undefined;
}

/** A float64 as go-yaml writes it: Go's shortest 'g' form, YAML's spellings of infinities and NaN. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  return formatGoFloat(f);
}

/** The plain scalars go-yaml v2 reads as bool, null or a float (resolve.go's table; its `<<` is never looked up). */
const resolvedWords = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF',
  '-.inf', '-.Inf', '-.INF',
]);

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * Whether go-yaml may write `s` unquoted: only when reading it back unquoted gives the same string, neither a
 * bool, null, number nor timestamp (encode.go stringv), and it is no YAML 1.1 base-60 number (`10:30`).
 */
export function plainReadsAsString(s: string): boolean {
  if (resolvedWords.has(s)) return false;
  const c = s[0];
  if (c === '.') return !/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) || !Number.isFinite(Number(s));
  if (c !== '+' && c !== '-' && !(c >= '0' && c <= '9')) return true;
  if (isGoYamlTimestamp(s)) return false;
  const plain = s.replaceAll('_', '');
  if (parsesAsGoInteger(plain)) return false;
  if (yamlStyleFloat.test(plain) && Number.isFinite(Number(plain))) return false;
  return !(s.includes(':') && base60Float.test(s));
}

/** strconv.ParseInt(s, 0, 64), or failing that ParseUint(s, 0, 64): a sign, then a decimal, 0x, 0o, 0b or 0 (octal) literal. */
function parsesAsGoInteger(s: string): boolean {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  let digits = m[2];
  if (/^0[oO]/.test(digits)) digits = `0o${digits.slice(2)}`;
  else if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = BigInt(digits);
  if (m[1] === '-') return -n >= INT64_MIN;
  return n <= (m[1] === '+' ? INT64_MAX : UINT64_MAX);
}

/** The layouts go-yaml v2 reads timestamps in: a date, then optionally a time (`T`/`t` with a zone, or ` ` without). */
const timestampShape = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;

function isGoYamlTimestamp(s: string): boolean {
  const m = timestampShape.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, zone] = m;
  if (sep !== undefined && (sep === ' ') === (zone !== undefined)) return false;
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (sep === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  return zone === undefined || zone === 'Z' || (Number(zone.slice(1, 3)) <= 24 && Number(zone.slice(4)) <= 60);
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

/**
 * go-yaml v2's order of string map keys (sorter.go): letters compare by code point, a non-letter sorts before a
 * letter, and runs of digits compare by their numeric value (`a2` before `a10`), in int64 as Go counts them.
 */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a], br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n, bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { an = 1n; bn = 1n; break; }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai].codePointAt(0)! - 48));
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi].codePointAt(0)! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

export function goYamlKeyCompare(a: string, b: string): number {
  return goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0;
}
