/**
 * Syntax errors in cel-go's (ANTLR's) words for the common mistakes, as cel-go v0.22's parser tests and
 * Kubernetes' own tests show them: what a client sees in a 422 for a CRD rule or a policy expression.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from '../../runtime/cel/index.ts';

const operand = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
const error = (expression: string) => compile(expression, { variables: { self: 'dyn' } }).error;

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
  it('an unclosed parenthesis', () => {
    assert.equal(error("'asdf'.contains('x'"), "ERROR: <input>:1:20: Syntax error: missing ')' at '<EOF>'\n | 'asdf'.contains('x'\n | ...................^");
    assert.equal(error('(self.a + 2'), "ERROR: <input>:1:12: Syntax error: missing ')' at '<EOF>'\n | (self.a + 2\n | ...........^");
  });
  it('an unclosed list, with or without its trailing comma (Kubernetes v1.32 admissionregistration validation_test)', () => {
    assert.equal(error('self.x in [1, 2,'), "ERROR: <input>:1:17: Syntax error: missing ']' at '<EOF>'\n | self.x in [1, 2,\n | ................^");
    assert.equal(error('[1, 2'), "ERROR: <input>:1:6: Syntax error: missing ']' at '<EOF>'\n | [1, 2\n | .....^");
  });
});
