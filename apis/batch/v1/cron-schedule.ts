/**
 * CronJob schedules and time zones as kube-apiserver v1.32 reads them: robfig/cron v3's standard parser
 * (minute hour day-of-month month day-of-week, or a descriptor such as @hourly or `@every 1h30m`, optionally led
 * by TZ= or CRON_TZ=), Go's time.ParseDuration and time.LoadLocation, with their error messages.
 */
import { GoPanic } from '../../../runtime/machinery/go-panic.ts';
import { loadLocationError } from './go-location.ts';

interface CronBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const seconds: CronBounds = { min: 0, max: 59 };
const cronFields: CronBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } },
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];
const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class CronError extends Error {}

/** Go's strconv.Atoi error text for `text`. */
function atoiError(text: string): string | undefined {
  if (!/^[+-]?\d+$/.test(text)) return `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  if (!Number.isSafeInteger(Number(text)) || Math.abs(Number(text)) > 9223372036854775807) return `strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`;
  return undefined;
}

function mustParseInt(text: string): number {
  const problem = atoiError(text);
  if (problem) throw new CronError(`failed to parse int from ${text}: ${problem}`);
  const n = Number(text);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${text}`);
  return n;
}

function parseIntOrName(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  return named !== undefined ? named : mustParseInt(text);
}

/** robfig's getRange: one comma-separated part of a field (a star, `5`, `1-5`, a step such as `0-30/5`, `mon-fri`). */
function checkRange(expr: string, r: CronBounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // `N/step` means `N-max/step`.
    if (lowAndHigh.length === 1) end = r.max;
  } else if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

function checkField(field: string, r: CronBounds): void {
  for (const expr of field.split(',').filter((p) => p !== '')) checkRange(expr, r);
}

const durationUnits = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['\u00b5s', 1e3],
  ['\u03bcs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

/** Go's time.ParseDuration: the error text, or undefined for a good duration. */
export function goDurationError(text: string): string | undefined {
  const quoted = JSON.stringify(text);
  const invalidDuration = `time: invalid duration ${quoted}`;
  let s = text;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  if (s === '0') return undefined;
  if (s === '') return invalidDuration;
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) return invalidDuration;
    const pre = m[1] ?? '';
    const post = m[2] ?? '';
    if (pre.length > 0 && Number(pre) > 9223372036854775807) return invalidDuration;
    if (pre === '' && post === '') return invalidDuration;
    s = s.slice(m[0].length);
    const unitMatch = /^[^.0-9]*/.exec(s)![0];
    if (unitMatch === '') return `time: missing unit in duration ${quoted}`;
    const unit = durationUnits.get(unitMatch);
    if (unit === undefined) return `time: unknown unit ${JSON.stringify(unitMatch)} in duration ${quoted}`;
    s = s.slice(unitMatch.length);
    total += Number(`${pre || '0'}.${post || '0'}`) * unit;
    if (total > 9223372036854775807) return invalidDuration;
  }
  return undefined;
}

/** The error robfig/cron's ParseStandard gives for `spec`, or undefined when it parses. */
export function cronScheduleError(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let s = spec;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const space = s.indexOf(' ');
    const eq = s.indexOf('=');
    // Without a space the parser (robfig/cron v3.0.1) slices spec[eq+1:-1]: upstream's request ends in a panic.
    if (space < 0) throw new GoPanic('runtime error: slice bounds out of range [:-1]');
    const name = s.slice(eq + 1, space);
    const problem = loadLocationError(name);
    if (problem) return `provided bad location ${name}: ${problem}`;
    s = s.slice(space).trim();
  }
  if (s.startsWith('@')) {
    if (descriptors.has(s)) return undefined;
    if (s.startsWith('@every ')) {
      const problem = goDurationError(s.slice('@every '.length));
      return problem ? `failed to parse duration ${s}: ${problem}` : undefined;
    }
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/[ \t\n\v\f\r\u0085\u00a0]+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    checkField('0', seconds);
    fields.forEach((field, i) => checkField(field, cronFields[i]));
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
  return undefined;
}

const timeZonePart = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** Upstream's validateTimeZone: the details of the Invalid errors for a CronJob's timeZone, in order. */
export function timeZoneErrors(tz: string): string[] {
  if (tz.length === 0) return ['timeZone must be nil or non-empty string'];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !timeZonePart.test(part)) return [`unknown time zone ${tz}`];
  }
  const out: string[] = [];
  if (tz.toLowerCase() === 'local') out.push('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  const problem = loadLocationError(tz);
  if (problem) out.push(problem);
  return out;
}
