/**
 * Templates checked as client-go's jsonpath.Parse checks them (k8s.io/client-go v0.32 util/jsonpath/parser.go):
 * client-go's own failing parser tests (parser_test.go) with their messages, the admissionregistration test's
 * "spec[foo]", and templates that parse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonPathSyntaxError } from '../../runtime/machinery/client-go-jsonpath.ts';

describe("JSONPath templates as client-go's parser reads them", () => {
  it("fails client-go's failing parser tests with their messages", () => {
    assert.equal(jsonPathSyntaxError('{.hello'), 'unclosed action');
    assert.equal(jsonPathSyntaxError('{*}'), "unrecognized character in action: U+002A '*'");
    assert.equal(jsonPathSyntaxError('{+12.3.0}'), 'cannot parse number +12.3.0');
    assert.equal(jsonPathSyntaxError('{[1}'), 'unterminated array');
    assert.equal(jsonPathSyntaxError('{[?(.price]}'), 'unterminated filter');
    assert.equal(jsonPathSyntaxError('{........}'), 'invalid multiple recursive descent');
  });
  it('names the array index, quoted string or number it cannot read', () => {
    assert.equal(jsonPathSyntaxError('{spec[foo]}'), 'invalid array index foo');
    assert.equal(jsonPathSyntaxError('{.a[1, x]}'), 'invalid array index x');
    assert.equal(jsonPathSyntaxError('{.a[-]}'), 'array index - is not a number');
    assert.equal(jsonPathSyntaxError('{"a\\q"}'), 'unquote string "a\\q" error invalid syntax');
    assert.equal(jsonPathSyntaxError('{.items[?(@.a=="x")}'), 'unclosed array expect ]');
    assert.equal(jsonPathSyntaxError('{\t}'), 'unrecognized character in action: U+0009');
  });
  it('parses fields, wildcards, slices, unions, dict keys, filters, recursive descent, ranges and plain text', () => {
    for (const t of ['{spec.validations[0].expression}', '{$.items[*].metadata.name}', '{.a[1:2:3]}', '{.a[-1:]}', '{.a[1,2]}', "{.a['b.c']}", '{.items[?(@.a=="x")].b}', '{..a..b}', '{range .items}{.x}{end}', 'text only', '{.a b}', '{"a\\n"}', '{1.5}']) {
      assert.equal(jsonPathSyntaxError(t), undefined, t);
    }
  });
});
