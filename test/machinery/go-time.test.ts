import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goTimeText } from '../../runtime/machinery/godecode/gotime.ts';

describe('times as kube-apiserver writes them back', () => {
  // What metav1.Time's and MicroTime's MarshalJSON write for the value their UnmarshalJSON read from the text: Go's
  // t.UTC().Format(time.RFC3339) and .Format(RFC3339Micro) (fractions truncated, years as Go's appendInt pads them),
  // `null` for the zero time.
  const times: Array<[string, string | null]> = [
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'],
    ['2026-01-02T05:04:05+02:00', '2026-01-02T03:04:05Z'],
    ['2026-01-02T05:04:05.999999999+02:00', '2026-01-02T03:04:05Z'],
    ['2026-01-02T3:04:05Z', '2026-01-02T03:04:05Z'],
    ['2026-01-02T03:04:05-00:00', '2026-01-02T03:04:05Z'],
    ['2024-02-29T23:30:00-01:00', '2024-03-01T00:30:00Z'],
    ['2026-03-01T00:30:00+24:00', '2026-02-28T00:30:00Z'],
    ['1969-12-31T23:59:59.5Z', '1969-12-31T23:59:59Z'],
    ['0000-01-01T00:00:00+01:00', '-0001-12-31T23:00:00Z'],
    ['9999-12-31T23:00:00-02:00', '10000-01-01T01:00:00Z'],
    ['0001-01-01T00:00:00Z', null],
    ['0001-01-01T02:00:00+02:00', null],
    // A fraction makes it another instant than the zero time, even if it is written without.
    ['0001-01-01T00:00:00.5Z', '0001-01-01T00:00:00Z'],
  ];
  for (const [text, want] of times) {
    it(`Time ${text} -> ${want}`, () => assert.equal(goTimeText(text, false), want));
  }

  const microTimes: Array<[string, string | null]> = [
    ['2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05.123456Z'],
    ['2026-01-02T05:04:05.123456+02:00', '2026-01-02T03:04:05.123456Z'],
    ['2026-01-02T3:04:05.000001Z', '2026-01-02T03:04:05.000001Z'],
    ['1970-01-01T00:00:00,123456-00:30', '1970-01-01T00:30:00.123456Z'],
    ['0001-01-01T00:00:00.000000Z', null],
  ];
  for (const [text, want] of microTimes) {
    it(`MicroTime ${text} -> ${want}`, () => assert.equal(goTimeText(text, true), want));
  }

  it('a text that does not parse is left to decoding, which refuses it', () => {
    assert.equal(goTimeText('yesterday', false), undefined);
    assert.equal(goTimeText('2026-01-02T03:04:05.123456789Z', true), undefined);
    assert.equal(goTimeText('2026-01-02T03:04:05Z', true), undefined);
  });
});
