import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoDuration } from '../../runtime/machinery/go-duration.ts';

describe("durations as Go's time.ParseDuration reads them", () => {
  // Nanoseconds for what Go accepts (the forms client-go's Duration.String() writes, and the rest of the grammar).
  const accepted: Array<[string, bigint]> = [
    ['1s', 1_000_000_000n],
    ['1m0s', 60_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['.5s', 500_000_000n],
    ['1.s', 1_000_000_000n],
    ['-300ms', -300_000_000n],
    ['+2us', 2_000n],
    ['3\u00b5s', 3_000n],
    ['4\u03bcs', 4_000n],
    ['0', 0n],
    ['-0', 0n],
    ['0s', 0n],
    ['1.1h', 3_960_000_000_000n],
    ['0.000000001s', 1n],
    ['1.0000000000000000000001s', 1_000_000_000n],
    ['9223372036854775807ns', 9_223_372_036_854_775_807n],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
  ];
  for (const [text, nanos] of accepted) it(`${text} -> ${nanos}ns`, () => assert.equal(parseGoDuration(text), nanos));

  // Go's error texts, word for word: the server answers them (`?timeout=`) and clients show them.
  const refused: Array<[string, string]> = [
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['.s', 'time: invalid duration ".s"'],
    ['-', 'time: invalid duration "-"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1..5s', 'time: missing unit in duration "1..5s"'],
    ['1sec', 'time: unknown unit "sec" in duration "1sec"'],
    ['1\u00e9', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
    ['"1"s', 'time: invalid duration "\\"1\\"s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['10000000000000000000s', 'time: invalid duration "10000000000000000000s"'],
  ];
  for (const [text, message] of refused) it(`${JSON.stringify(text)} -> ${message}`, () => assert.throws(() => parseGoDuration(text), { message }));
});
