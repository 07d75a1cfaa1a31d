/**
 * Go's strconv base-10 integer parsers (strconv/atoi.go, Go 1.23): a sign, ASCII digits, the type's range, and
 * NumError's text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atoi, numErrorText, parseInt10 } from '../../runtime/machinery/strconv.ts';

describe("Go's strconv base-10 integers", () => {
  it('takes a sign and ASCII digits, nothing else', () => {
    assert.deepEqual(['0', '+7', '-12', '007', '-0'].map(atoi), [0, 7, -12, 7, 0]);
    assert.deepEqual(['', '+', '1_000', ' 1', '1 ', '0x10', '1.0', '١'].map(atoi), Array(8).fill('invalid syntax'));
  });
  it('refuses what the type cannot hold, at its exact bounds', () => {
    assert.equal(atoi('9223372036854775807'), 9223372036854775807);
    assert.equal(atoi('-9223372036854775808'), -9223372036854775808);
    assert.equal(atoi('9223372036854775808'), 'value out of range');
    assert.equal(atoi('00000000000000000000000001'), 1);
    assert.equal(parseInt10('2147483647', 32), 2147483647);
    assert.equal(parseInt10('-2147483648', 32), -2147483648);
    assert.equal(parseInt10('2147483648', 32), 'value out of range');
    assert.equal(parseInt10('-2147483649', 32), 'value out of range');
  });
  it("says why as NumError does", () => {
    assert.equal(numErrorText('Atoi', 'a"b', 'invalid syntax'), 'strconv.Atoi: parsing "a\\"b": invalid syntax');
  });
});
