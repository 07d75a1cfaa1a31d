/**
 * Go's time.Parse for the two layouts metav1.Time and metav1.MicroTime decode with (RFC 3339, and RFC 3339 with
 * six fractional digits), with Go's error texts: `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse
 * "x" as "2006"`, `parsing time "...": month out of range`. Works on the UTF-8 bytes, as Go does.
 *
 * And what Go writes back for a time it parsed (`goTimeText`): kube-apiserver keeps the instant, not the text, and
 * writes it in UTC, to the second for a Time (`2026-01-02T03:04:05Z`, whatever fraction was sent) and to the
 * microsecond for a MicroTime (`2026-01-02T03:04:05.123456Z`); the zero instant is `null`.
 */

export const rfc3339 = '2006-01-02T15:04:05Z07:00';
export const rfc3339Micro = '2006-01-02T15:04:05.000000Z07:00';

type Std = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'frac6' | 'tz';
/** The layouts split as Go's nextStdChunk splits them: [prefix, element, element as written]. */
const chunks: Record<string, Array<[string, Std, string]>> = {
  [rfc3339]: [['', 'year', '2006'], ['-', 'month', '01'], ['-', 'day', '02'], ['T', 'hour', '15'], [':', 'minute', '04'], [':', 'second', '05'], ['', 'tz', 'Z07:00']],
  [rfc3339Micro]: [['', 'year', '2006'], ['-', 'month', '01'], ['-', 'day', '02'], ['T', 'hour', '15'], [':', 'minute', '04'], [':', 'second', '05'], ['', 'frac6', '.000000'], ['', 'tz', 'Z07:00']],
};

/** Go's time.quote: `"` and `\` escaped, bytes outside printable ASCII as \xNN. */
function quote(b: Uint8Array): string {
  let out = '"';
  for (const c of b) {
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else {
      const ch = String.fromCharCode(c);
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}

const enc = new TextEncoder();
const isDigit = (s: Uint8Array, i: number) => i < s.length && s[i] >= 48 && s[i] <= 57;

/** Go's getnum: one or two digits (two when `fixed`). */
function getnum(s: Uint8Array, fixed: boolean): [number, Uint8Array] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [s[0] - 48, s.subarray(1)];
  return [(s[0] - 48) * 10 + (s[1] - 48), s.subarray(2)];
}

/** Go's time.atoi: an optional sign, then only digits. */
function atoi(s: Uint8Array): number | undefined {
  let i = 0;
  let neg = false;
  if (s.length && (s[0] === 45 || s[0] === 43)) {
    neg = s[0] === 45;
    i = 1;
  }
  let x = 0;
  for (; i < s.length; i++) {
    if (!isDigit(s, i)) return undefined;
    x = x * 10 + (s[i] - 48);
  }
  return neg ? -x : x;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** An instant as Go's time.Time holds it: seconds since the Unix epoch, and nanoseconds within the second. */
export interface GoInstant {
  seconds: number;
  nanos: number;
}

/** The error time.Parse(layout, value) gives, or undefined when `value` parses. */
export function timeParseError(layout: string, text: string): string | undefined {
  const parsed = parseGoTime(layout, text);
  return 'error' in parsed ? parsed.error : undefined;
}

/** Go's parseNanoseconds: the digits after the separator (at most nine count), as nanoseconds. */
function nanosOf(frac: Uint8Array): number {
  let ns = 0;
  const n = Math.min(frac.length, 10);
  for (let i = 1; i < n; i++) ns = ns * 10 + (frac[i] - 48);
  for (let i = n; i < 10; i++) ns *= 10;
  return ns;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year, as Go's calendar has no limits). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** time.Parse(layout, value): the instant, or Go's error text. */
export function parseGoTime(layout: string, text: string): GoInstant | { error: string } {
  const avalue = enc.encode(text);
  const parseError = (layoutElem: string, valueElem: Uint8Array, message = '') => ({
    error: message ? `parsing time ${quote(avalue)}${message}` : `parsing time ${quote(avalue)} as ${quote(enc.encode(layout))}: cannot parse ${quote(valueElem)} as ${quote(enc.encode(layoutElem))}`,
  });
  let value: Uint8Array = avalue;
  let year = 0;
  let month = -1;
  let day = -1;
  let clock = 0;
  let nanos = 0;
  let offset = 0;
  const list = chunks[layout];
  for (let c = 0; c < list.length; c++) {
    const [prefix, std, stdstr] = list[c];
    for (let k = 0; k < prefix.length; k++) {
      if (!value.length || value[0] !== prefix.charCodeAt(k)) return parseError(prefix, value);
      value = value.subarray(1);
    }
    const hold = value;
    let bad = false;
    let range = '';
    switch (std) {
      case 'year': {
        if (value.length < 4 || !isDigit(value, 0)) {
          bad = true;
          break;
        }
        const y = atoi(value.subarray(0, 4));
        value = value.subarray(4);
        if (y === undefined) bad = true;
        else year = y;
        break;
      }
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second': {
        const got = getnum(value, std !== 'hour');
        if (!got) {
          bad = true;
          break;
        }
        const [n, rest] = got;
        value = rest;
        if (std === 'month') {
          month = n;
          if (n <= 0 || n > 12) range = 'month';
        } else if (std === 'day') day = n;
        else if (std === 'hour') {
          if (n >= 24) range = 'hour';
          clock += n * 3600;
        } else if (std === 'minute') {
          if (n >= 60) range = 'minute';
          clock += n * 60;
        } else if (std === 'second') {
          if (n >= 60) {
            range = 'second';
            break;
          }
          clock += n;
          // A fraction the layout does not have is still read, as Go reads it.
          const next = list[c + 1]?.[1];
          if (next !== 'frac6' && value.length >= 2 && (value[0] === 46 || value[0] === 44) && isDigit(value, 1)) {
            let n2 = 2;
            while (n2 < value.length && isDigit(value, n2)) n2++;
            nanos = nanosOf(value.subarray(0, n2));
            value = value.subarray(n2);
          }
        }
        break;
      }
      case 'frac6': {
        if (value.length < 7 || !(value[0] === 46 || value[0] === 44) || atoi(value.subarray(1, 7)) === undefined) bad = true;
        else if (atoi(value.subarray(1, 7))! < 0) range = 'fractional second';
        else nanos = nanosOf(value.subarray(0, 7));
        value = value.length < 7 ? value : value.subarray(7);
        break;
      }
      case 'tz': {
        if (value.length >= 1 && value[0] === 90) {
          value = value.subarray(1);
          break;
        }
        if (value.length < 6 || value[3] !== 58) {
          bad = true;
          break;
        }
        const hr = getnum(value.subarray(1, 3), true);
        const mm = hr && getnum(value.subarray(4, 6), true);
        if (hr && hr[0] > 24) range = 'time zone offset hour';
        if (mm && mm[0] > 60) range = 'time zone offset minute';
        if (!hr || !mm || (value[0] !== 43 && value[0] !== 45)) bad = true;
        else offset = (value[0] === 45 ? -1 : 1) * (hr[0] * 3600 + mm[0] * 60);
        value = value.subarray(6);
        break;
      }
    }
    if (range) return parseError('', value, `: ${range} out of range`);
    if (bad) return parseError(stdstr, hold);
  }
  if (value.length) return parseError('', value, `: extra text: ${quote(value)}`);
  if (month < 0) month = 1;
  if (day < 1 || day > daysIn(month, year)) return parseError('', value, ': day out of range');
  return { seconds: daysFromCivil(year, month, day) * 86400 + clock - offset, nanos };
}

/** Go's zero time.Time (0001-01-01T00:00:00Z), which metav1 writes as `null`. */
const zeroSeconds = daysFromCivil(1, 1, 1) * 86400;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Go's Format in UTC with RFC3339 (`micro`: RFC3339Micro, the fraction truncated to six digits). */
export function formatGoTime({ seconds, nanos }: GoInstant, micro: boolean): string {
  const days = Math.floor(seconds / 86400);
  const clock = seconds - days * 86400;
  // civilFromDays, the inverse of daysFromCivil.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // Go's appendInt(year, 4): a sign for years before 0, at least four digits.
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const hms = `${pad(Math.floor(clock / 3600), 2)}:${pad(Math.floor((clock % 3600) / 60), 2)}:${pad(clock % 60, 2)}`;
  return `${y}-${pad(month, 2)}-${pad(day, 2)}T${hms}${micro ? `.${pad(Math.floor(nanos / 1000), 6)}` : ''}Z`;
}

/** Whether Go's time.Time.IsZero holds for the instant. */
export function isZeroInstant({ seconds, nanos }: GoInstant): boolean {
  return seconds === zeroSeconds && nanos === 0;
}

/**
 * What kube-apiserver writes for a metav1.Time (`micro`: MicroTime) it decoded from `text`: the instant in UTC at
 * the type's precision, `null` for the zero instant, undefined when `text` does not parse (decoding refuses it).
 * Texts already in that form, as every time the server writes itself is, are answered without parsing.
 */
export function goTimeText(text: string, micro: boolean): string | null | undefined {
  if (micro ? text.length === 27 && text.charCodeAt(26) === 90 && text.charCodeAt(19) === 46 : text.length === 20 && text.charCodeAt(19) === 90) {
    return text === (micro ? zeroMicroText : zeroText) ? null : text;
  }
  const parsed = parseGoTime(micro ? rfc3339Micro : rfc3339, text);
  if ('error' in parsed) return undefined;
  return isZeroInstant(parsed) ? null : formatGoTime(parsed, micro);
}

const zeroText = '0001-01-01T00:00:00Z';
const zeroMicroText = '0001-01-01T00:00:00.000000Z';

/**
 * Rewrites the time field `key` of `obj` as goTimeText gives it: unset for the zero instant, left as it is when it
 * does not parse (decoding answers for it) or is no string.
 */
export function readGoTimeField(obj: Record<string, unknown>, key: string, micro: boolean): void {
  const v = obj[key];
  if (typeof v !== 'string') return;
  const text = goTimeText(v, micro);
  if (text === null) delete obj[key];
  else if (text !== undefined && text !== v) obj[key] = text;
}
