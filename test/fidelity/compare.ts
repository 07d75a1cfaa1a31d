/**
 * Leaf-by-leaf comparison of what the server returned with what upstream returns, for the fidelity suite.
 * Expected values are plain JSON with a few placeholders for what differs from run to run:
 *
 *   "<any>"          any value, but the field must be there
 *   "<text>"         a non-empty string whose words are ours, not upstream's (a Table column's description)
 *   "<absent>"       the field must not be there (for fields upstream omits and a lenient compare would miss)
 *   "<uid>"          a UUID
 *   "<time>"         an RFC 3339 time (seconds, `Z`), as Go writes metav1.Time
 *   "<rv>"           a resourceVersion (decimal digits in a string)
 *   "<re:REGEX>"     a string or number whose text matches REGEX (anchored)
 *
 * Objects must have exactly the expected keys (a field upstream does not return is a difference too), lists the
 * expected length, and leaves the same value and JSON type. Paths listed in `ignore` are not compared.
 */

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
  why: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const resourceVersion = /^[0-9]+$/;

function placeholderMatches(placeholder: string, actual: unknown): boolean | undefined {
  switch (placeholder) {
    case '<any>':
      return actual !== undefined;
    case '<absent>':
      return actual === undefined;
    case '<text>':
      return typeof actual === 'string' && actual.trim() !== '';
    case '<uid>':
      return typeof actual === 'string' && uuid.test(actual);
    case '<time>':
      return typeof actual === 'string' && rfc3339.test(actual);
    case '<rv>':
      return typeof actual === 'string' && resourceVersion.test(actual);
  }
  if (placeholder.startsWith('<re:') && placeholder.endsWith('>')) {
    const re = new RegExp(`^(?:${placeholder.slice(4, -1)})$`, 's');
    return (typeof actual === 'string' || typeof actual === 'number') && re.test(String(actual));
  }
  return undefined;
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Every difference between `actual` and `expected`; empty when they agree. */
export function compareLeaves(expected: unknown, actual: unknown, ignore: string[] = [], path = ''): Difference[] {
  if (ignore.includes(path)) return [];
  const here = path || '(root)';
  if (expected === '<absent>') return actual === undefined ? [] : [{ path: here, expected, actual, why: 'upstream does not return this field' }];
  if (actual === undefined) return [{ path: here, expected, actual, why: 'missing' }];
  if (typeof expected === 'string') {
    const placeholder = placeholderMatches(expected, actual);
    if (placeholder !== undefined) return placeholder ? [] : [{ path: here, expected, actual, why: 'does not match the placeholder' }];
  }
  if (kindOf(expected) !== kindOf(actual)) return [{ path: here, expected, actual, why: `${kindOf(actual)} where upstream has ${kindOf(expected)}` }];
  if (Array.isArray(expected)) {
    const list = actual as unknown[];
    if (list.length !== expected.length) return [{ path: here, expected: expected.length, actual: list.length, why: 'list length differs' }];
    return expected.flatMap((e, i) => compareLeaves(e, list[i], ignore, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    const want = expected as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    const out: Difference[] = [];
    for (const key of Object.keys(want)) out.push(...compareLeaves(want[key], got[key], ignore, path ? `${path}.${key}` : key));
    for (const key of Object.keys(got)) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in want) && !ignore.includes(at)) out.push({ path: at, expected: undefined, actual: got[key], why: 'upstream does not return this field' });
    }
    return out;
  }
  return expected === actual ? [] : [{ path: here, expected, actual, why: 'value differs' }];
}

export interface ExpectedStatus {
  code: number;
  reason?: string;
  message?: string;
  /** The causes' fields (and, where given, reasons and messages), compared as a multiset. */
  causes?: { field?: string; reason?: string; message?: string }[];
  /** Compare the causes as a list instead: the same causes in the same order (upstream's repeats included). */
  causesInOrder?: boolean;
}

/** Differences between a returned Status and the expected one: code, reason, message and the causes. */
export function compareStatus(expected: ExpectedStatus, actual: any): Difference[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const out: Difference[] = [];
  const leaf = (path: string, want: unknown, got: unknown) => {
    if (want === undefined) return;
    const p = typeof want === 'string' ? placeholderMatches(want, got) : undefined;
    if (p === undefined ? want !== got : !p) out.push({ path, expected: want, actual: got, why: 'value differs' });
  };
  if (actual?.kind !== 'Status') return [{ path: 'kind', expected: 'Status', actual: actual?.kind, why: 'not a Status' }];
  leaf('code', expected.code, actual.code);
  leaf('reason', expected.reason, actual.reason);
  leaf('message', expected.message, actual.message);
  const sameCause = (want: { field?: string; reason?: string; message?: string }, c: { field?: string; reason?: string; message?: string }) =>
    (c.field ?? '') === (want.field ?? '') &&
    (want.reason === undefined || c.reason === want.reason) &&
    (want.message === undefined || (placeholderMatches(want.message, c.message) ?? want.message === c.message));
  if (expected.causes && expected.causesInOrder) {
    const got: { field?: string; reason?: string; message?: string }[] = actual.details?.causes ?? [];
    const n = Math.max(got.length, expected.causes.length);
    for (let i = 0; i < n; i++) {
      const want = expected.causes[i];
      if (!want || !got[i] || !sameCause(want, got[i])) out.push({ path: `details.causes[${i}]`, expected: want, actual: got[i], why: 'cause differs (in order)' });
    }
  } else if (expected.causes) {
    // A multiset match: each expected cause takes one returned cause with its field (and reason and message,
    // where the case gives them); none may be left over on either side.
    const left: { field?: string; reason?: string; message?: string }[] = [...(actual.details?.causes ?? [])];
    for (const want of expected.causes) {
      const i = left.findIndex((c) => sameCause(want, c));
      if (i < 0) out.push({ path: 'details.causes', expected: want, actual: actual.details?.causes, why: 'expected cause not returned' });
      else left.splice(i, 1);
    }
    for (const extra of left) out.push({ path: 'details.causes', expected: undefined, actual: extra, why: 'upstream does not return this cause' });
  }
  return out;
}
