/**
 * Syntax errors in cel-go's (ANTLR's) words for the common mistakes, as cel-go v0.22's parser tests and
 * Kubernetes' own tests show them: what a client sees in a 422 for a CRD rule or a policy expression.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from '../../runtime/cel/index.ts';

const operand = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
const error = (expression: string) => compile(expression, { variables: { self: 'dyn' } }).error;
/** The ERROR lines of an error, without the source lines and carets. */
const lines = (text: string | undefined) => (text ?? '').split('\n').filter((l) => l.startsWith('ERROR'));

describe('CEL syntax errors as cel-go words them', () => {
  it('an operator with nothing after it', () => {
    assert.equal(error('1 + +'), [`ERROR: <input>:1:5: Syntax error: mismatched input '+' expecting ${operand}`, ' | 1 + +', ' | ....^', `ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${operand}`, ' | 1 + +', ' | .....^'].join('\n'));
    assert.equal(error('self.a &&'), [`ERROR: <input>:1:10: Syntax error: mismatched input '<EOF>' expecting ${operand}`, ' | self.a &&', ' | .........^'].join('\n'));
  });
  it('an operator where an operand should start', () => {
    assert.equal(error('1 + * 2'), [`ERROR: <input>:1:5: Syntax error: extraneous input '*' expecting ${operand}`, ' | 1 + * 2', ' | ....^'].join('\n'));
  });
  it('a stray operand after a complete expression', () => {
    assert.equal(error('self.a b'), "ERROR: <input>:1:8: Syntax error: extraneous input 'b' expecting <EOF>\n | self.a b\n | .......^");
    assert.equal(error('1 + 2\n3 +'), "ERROR: <input>:2:1: Syntax error: mismatched input '3' expecting <EOF>\n | 3 +\n | ^");
  });
  it("characters no token starts with: the lexer's token recognition errors, the parser going on without them", () => {
    // parser_test.go's `a | b`, `*@a | b` and `1 + $`: every mistake is reported, in the order of the text.
    assert.equal(error('a | b'), ["ERROR: <input>:1:3: Syntax error: token recognition error at: '| '", ' | a | b', ' | ..^', "ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting <EOF>", ' | a | b', ' | ....^'].join('\n'));
    assert.deepEqual(lines(error('*@a | b')), [
      `ERROR: <input>:1:1: Syntax error: extraneous input '*' expecting ${operand}`,
      "ERROR: <input>:1:2: Syntax error: token recognition error at: '@'",
      "ERROR: <input>:1:5: Syntax error: token recognition error at: '| '",
      "ERROR: <input>:1:7: Syntax error: extraneous input 'b' expecting <EOF>",
    ]);
    assert.deepEqual(lines(error('1 + $')), ["ERROR: <input>:1:5: Syntax error: token recognition error at: '$'", `ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${operand}`]);
    assert.deepEqual(lines(error("self.a = 'b'")), ["ERROR: <input>:1:8: Syntax error: token recognition error at: '= '", "ERROR: <input>:1:10: Syntax error: extraneous input ''b'' expecting <EOF>"]);
  });
  it("map entries and message fields without their `:`, stray tokens before them, `--` (cel-go parser_test.go's own cases)", () => {
    const field = "{'}', ',', '?', IDENTIFIER}";
    const entry = "{'[', '{', '}', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
    const cases: Array<[string, string[]]> = [
      ['{self}', ["ERROR: <input>:1:6: Syntax error: mismatched input '}' expecting ':'"]],
      ['self[self{b}]', ["ERROR: <input>:1:12: Syntax error: mismatched input '}' expecting ':'"]],
      ['{:self}', [`ERROR: <input>:1:2: Syntax error: extraneous input ':' expecting ${entry}`, "ERROR: <input>:1:7: Syntax error: mismatched input '}' expecting ':'"]],
      ['self{:a}', [`ERROR: <input>:1:6: Syntax error: extraneous input ':' expecting ${field}`, "ERROR: <input>:1:8: Syntax error: mismatched input '}' expecting ':'"]],
      ['self{{a}}', [`ERROR: <input>:1:6: Syntax error: extraneous input '{' expecting ${field}`, "ERROR: <input>:1:8: Syntax error: mismatched input '}' expecting ':'", "ERROR: <input>:1:9: Syntax error: extraneous input '}' expecting <EOF>"]],
      ['--', ["ERROR: <input>:1:3: Syntax error: no viable alternative at input '-'", `ERROR: <input>:1:3: Syntax error: mismatched input '<EOF>' expecting ${operand}`]],
      ['self)', ["ERROR: <input>:1:5: Syntax error: extraneous input ')' expecting <EOF>"]],
    ];
    for (const [expression, want] of cases) assert.deepEqual(lines(error(expression)), want, expression);
  });
  it("a bracket left open with nothing inside: ANTLR's expected set right after it (CEL.g4's optional list, call arguments)", () => {
    // As parser_test.go's `{` (`'{' mapInitializerList? ','? '}'`): `'[' listInit? ','? ']'` and a call's
    // `'(' exprList? ')'` sync before their optional part and list what may start it or end the bracket.
    assert.deepEqual(lines(error('[')), ["ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', ']', '{', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"]);
    const args = "{'[', '{', '(', ')', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
    assert.deepEqual(lines(error('size(')), [`ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${args}`]);
    assert.deepEqual(lines(error('self.startsWith(')), [`ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting ${args}`]);
  });
  it('a string with an escape CEL does not have, or never closed: the lexer fails at the bad character and goes on after it', () => {
    // parser_test.go's `"\xFh"` and its illegal `\>` escape (which @bufbuild/cel's parser alone would take as `>`).
    assert.deepEqual(lines(error('"\\xFh"')), [
      "ERROR: <input>:1:1: Syntax error: token recognition error at: '\"\\xFh'",
      "ERROR: <input>:1:6: Syntax error: token recognition error at: '\"'",
      `ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting ${operand}`,
    ]);
    const illegal = String.raw`"\a\b\f\n\r\t\v\'\"\\\? Illegal escape \>"`;
    assert.deepEqual(lines(error(illegal)), [
      `ERROR: <input>:1:1: Syntax error: token recognition error at: '${illegal.slice(0, -1)}'`,
      "ERROR: <input>:1:42: Syntax error: token recognition error at: '\"'",
      `ERROR: <input>:1:43: Syntax error: mismatched input '<EOF>' expecting ${operand}`,
    ]);
    // Every escape CEL has still reads.
    assert.equal(error(String.raw`"\a\b\f\n\r\t\v\'\"\\\?\x41\X41\101\u0041\U00000041" != '' && r'\d' != '' && b'\xff' != b''`), undefined);
  });
  it('a dot with no name after it, a stray bracket after a whole expression, an empty unclosed brace', () => {
    assert.equal(error('{"a": 1}."a"'), 'ERROR: <input>:1:10: Syntax error: no viable alternative at input \'."a"\'\n | {"a": 1}."a"\n | .........^');
    assert.equal(error('self.true == 1'), "ERROR: <input>:1:6: Syntax error: mismatched input 'true' expecting IDENTIFIER\n | self.true == 1\n | .....^");
    assert.deepEqual(lines(error('TestAllTypes(){}')), ["ERROR: <input>:1:15: Syntax error: mismatched input '{' expecting <EOF>"]);
    assert.deepEqual(lines(error('TestAllTypes{}()')), ["ERROR: <input>:1:15: Syntax error: mismatched input '(' expecting <EOF>"]);
    assert.deepEqual(lines(error('{')), ["ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '}', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"]);
  });
  it('shows the line with tabs as spaces, columns in characters, full-width marks under wide ones (common/error.go)', () => {
    // parser_test.go: an extraneous `in`, an emoji no token starts with, then a dot with nothing after it.
    assert.equal(
      error("      '😁' in ['😁', '😑', '😦']\n\t\t\t&& in.😁"),
      [
        `ERROR: <input>:2:7: Syntax error: extraneous input 'in' expecting ${operand}`,
        ' |    && in.😁',
        ' | ......^',
        "ERROR: <input>:2:10: Syntax error: token recognition error at: '😁'",
        ' |    && in.😁',
        ' | .........＾',
        "ERROR: <input>:2:11: Syntax error: no viable alternative at input '.'",
        ' |    && in.😁',
        ' | .........．^',
      ].join('\n'),
    );
  });
  it('an unclosed parenthesis', () => {
    assert.equal(error("'asdf'.contains('x'"), "ERROR: <input>:1:20: Syntax error: missing ')' at '<EOF>'\n | 'asdf'.contains('x'\n | ...................^");
    assert.equal(error('(self.a + 2'), "ERROR: <input>:1:12: Syntax error: missing ')' at '<EOF>'\n | (self.a + 2\n | ...........^");
  });
  it('an unclosed index, list or map: ANTLR puts in the `]` of an index, but a list or map may have a `,` before its bracket', () => {
    assert.deepEqual(lines(error('self.list[0')), ["ERROR: <input>:1:12: Syntax error: missing ']' at '<EOF>'"]);
    assert.deepEqual(lines(error("self.name in ['a', 'b'")), ["ERROR: <input>:1:23: Syntax error: mismatched input '<EOF>' expecting {']', ','}"]);
    assert.deepEqual(lines(error("{'a': 1, 'b': 2")), ["ERROR: <input>:1:16: Syntax error: mismatched input '<EOF>' expecting {'}', ','}"]);
    // After a list's comma ANTLR puts in the `]` (Kubernetes v1.32 admissionregistration validation_test).
    assert.equal(error('self.x in [1, 2,'), "ERROR: <input>:1:17: Syntax error: missing ']' at '<EOF>'\n | self.x in [1, 2,\n | ................^");
    // Only the innermost is reported: ANTLR stays silent in recovery until a token matches.
    assert.deepEqual(lines(error('[1, f(2')), ["ERROR: <input>:1:8: Syntax error: missing ')' at '<EOF>'"]);
  });
  it("right after an index's `[` or a `,`: what may come there (CEL.g4: an index may be optional; a call has no trailing comma)", () => {
    const index = "{'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
    assert.equal(error('self.list['), `ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting ${index}\n | self.list[\n | ..........^`);
    // After the optional `?` only the index may come.
    assert.deepEqual(lines(error('self.list[?')), [`ERROR: <input>:1:12: Syntax error: mismatched input '<EOF>' expecting ${operand}`]);
    assert.deepEqual(lines(error("self.name.startsWith('a',")), [`ERROR: <input>:1:26: Syntax error: mismatched input '<EOF>' expecting ${operand}`]);
    assert.deepEqual(lines(error("size(self,")), [`ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting ${operand}`]);
    // A map's entries, as a list's elements, may end with a comma: ANTLR puts in the brace.
    assert.deepEqual(lines(error("{'a': 1,")), ["ERROR: <input>:1:9: Syntax error: missing '}' at '<EOF>'"]);
  });
});
