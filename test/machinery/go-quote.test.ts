/**
 * goQuote against Go's strconv.Quote: the cases of Go's strconv/quote_test.go that a JavaScript string can hold (the
 * invalid byte of "abc\xffdef" as go-url.ts holds it, U+DCFF), and the invisible runes a name may carry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goQuote } from '../../runtime/machinery/gofmt.ts';

describe('goQuote is strconv.Quote', () => {
  const cases: [string, string][] = [
    // strconv/quote_test.go quotetests
    ['\x07\b\f\r\n\t\v', String.raw`"\a\b\f\r\n\t\v"`],
    ['\\', String.raw`"\\"`],
    ['\u263a', '"\u263a"'],
    ['\u{10ffff}', String.raw`"\U0010ffff"`],
    ['\x04', String.raw`"\x04"`],
    ['!\u00a0!\u2000!\u3000!', String.raw`"!\u00a0!\u2000!\u3000!"`],
    ['\x7f', String.raw`"\x7f"`],
    // names as clients send them
    ['', '""'],
    ['a"b', String.raw`"a\"b"`],
    ['a\u200bb', String.raw`"a\u200bb"`],
    ['\ufeffx', String.raw`"\ufeffx"`],
    ['soft\u00adhyphen', String.raw`"soft\u00adhyphen"`],
    ['line\u2028sep', String.raw`"line\u2028sep"`],
    ['\u0085', String.raw`"\u0085"`],
    ['\u{e0001}', String.raw`"\U000e0001"`],
    ['caf\u00e9 \u65e5\u672c', '"caf\u00e9 \u65e5\u672c"'],
    ['\u{1f600}', '"\u{1f600}"'],
    ['e\u0301', '"e\u0301"'],
    ['\ufffd', '"\ufffd"'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} -> ${want}`, () => assert.equal(goQuote(input), want));
  }

  it('a lone surrogate is the U+FFFD Go decodes it to, which prints', () => {
    assert.equal(goQuote('a\ud800b'), '"a\ufffdb"');
    assert.equal(goQuote('\udc00'), '"\ufffd"');
  });

  it('U+DC80 to U+DCFF are the bytes that are no UTF-8 they hold (a decoded request path), written as Go writes them', () => {
    // strconv/quote_test.go: "abc\xffdef" -> `"abc\xffdef"`.
    assert.equal(goQuote('abc\udcffdef'), String.raw`"abc\xffdef"`);
    assert.equal(goQuote('\udc80\udcc3'), String.raw`"\x80\xc3"`);
  });
});
