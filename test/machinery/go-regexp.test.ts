/**
 * Go's regular expressions (runtime/machinery/go-regexp.ts). The facts are Go's regexp and regexp/syntax (v1.23,
 * what kube-apiserver v1.32 is built with): which patterns compile, with what error, what they match where
 * JavaScript's reading of the same text differs, and that a match takes linear time whatever the pattern.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegexp, goRegexpError } from '../../runtime/machinery/go-regexp.ts';

// [pattern, input, does Go's regexp find a match]
const matches: [string, string, boolean][] = [
  // \s is [\t\n\f\r ] (JavaScript: also \v and the Unicode spaces)
  ['^\\s$', ' ', true], ['^\\s$', '\f', true], ['^\\s$', '\v', false], ['^\\s$', '\u00a0', false], ['^\\S$', '\u2028', true],
  // \d and \w are ASCII
  ['^\\d$', '٣', false], ['^\\w+$', 'abc_9', true], ['^\\w$', 'é', false],
  // POSIX classes (JavaScript: the set of `[:alph`, then a `]`)
  ['^[[:alpha:]]+$', 'abcXYZ', true], ['^[[:alpha:]]+$', 'a:', false], ['^[[:alpha:]]$', ']', false],
  ['^[[:^alpha:]]$', '1', true], ['^[[:^alpha:]]$', 'a', false], ['^[[:space:]]$', '\v', true], ['^[[:punct:]]$', '`', true],
  ['^[[:word:]]$', '_', true], ['^[[:xdigit:]]+$', 'c0FFee', true],
  // Unicode classes, one-letter and braced, negated two ways
  ['^\\pL+$', 'héllo', true], ['^\\pL$', '1', false], ['^\\p{Greek}+$', 'αβγ', true], ['^\\p{Greek}$', 'a', false],
  ['^\\PL$', '1', true], ['^\\p{^L}$', 'a', false], ['^\\P{^L}$', 'a', true], ['^\\pN$', '٣', true],
  // Go's C is Cc|Cf|Co|Cs: no unassigned code points
  ['^\\pC$', '\u0378', false], ['^\\pC$', '\u0007', true], ['^\\PC$', '\u0378', true], ['^[\\PCa]$', '\u0007', false],
  ['^[\\PCa]$', 'b', true], ['(?i)^[^\\PC]$', '\u0007', true],
  ['^\\p{^C}$', '\u0378', true], ['^[\\p{C}]$', '\u0378', false], ['^\\Q\\pC\\E$', '\\pC', true], ['^[[:alpha:]\\pC]+$', 'a\u0007', true],
  // \Q...\E quotes; a quantifier after it takes its last rune
  ['^\\Q.*+\\E$', '.*+', true], ['^\\Q.*+\\E$', 'x', false], ['^\\Qab\\E*$', 'abbb', true], ['^\\Qab\\E*$', 'abab', false],
  ['^a\\Q', 'a', true],
  // hex and octal escapes
  ['^\\x{263a}$', '☺', true], ['^\\x41$', 'A', true], ['^\\0$', '\0', true], ['^\\012$', '\n', true], ['^\\12$', '\n', true],
  ['^\\a\\f\\v$', '\x07\f\v', true],
  // . is any rune but \n; (?s) makes it any rune (JavaScript's . also refuses \r, U+2028, U+2029)
  ['^.$', '\n', false], ['^.$', '\r', true], ['^.$', '\u2028', true], ['^.$', '😀', true], ['(?s)^.$', '\n', true],
  ['(?s:.)(?-s:.)', 'a\n', false],
  // $ without (?m) is the end of the text; \z too; (?m) lines end at \n only
  ['a$', 'a\n', false], ['a\\z', 'a', true], ['(?m)a$', 'a\nb', true], ['(?m)a$', 'a\rb', false], ['(?m)^b', 'a\rb', false],
  ['(?m)^b', 'a\nb', true], ['\\Aa', 'ba', false],
  // {,n} is literal text; {n,m} counts
  ['^a{,3}$', 'a{,3}', true], ['^a{,3}$', 'aa', false], ['^a{2,}$', 'aaaa', true], ['^a{2,3}$', 'aaaa', false], ['^x{$', 'x{', true],
  // named groups both ways
  ['^(?P<first>a)b$', 'ab', true], ['^(?<first>a)b$', 'ab', true],
  // (?i) folds each rune's whole orbit: k, K and the Kelvin sign; s, S and long s; the classes too
  ['(?i)^k$', '\u212a', true], ['(?i)^K$', 'k', true], ['(?i)^s$', 'ſ', true], ['(?i)^[a-z]+$', 'Kſ', true],
  ['(?i)^[^k]$', '\u212a', false], ['(?i)^σ$', 'ς', true], ['(?i)^σ$', 'Σ', true], ['(?i)^\\w$', '\u212a', true],
  ['(?i)^\\W$', '\u212a', false], ['^\\W$', '\u212a', true], ['(?i)^\\p{Lu}$', 'a', true], ['^\\p{Lu}$', 'a', false],
  ['(?i)^ß$', 'ẞ', true], ['(?i)^i$', 'İ', false], ['a(?i)b', 'aB', true], ['a(?i)b', 'AB', false], ['(?i:a)b', 'AB', false],
  // (?U) swaps greedy and lazy; a flag group takes no quantifier of its own
  ['(?U)^a+$', 'aaa', true], ['^ab(?i)?$', 'a', true],
  // the class syntax: a leading ] is literal, - at an end is literal
  ['^[]a]+$', ']a', true], ['^[^]a]$', 'b', true], ['^[a-]+$', '-a', true], ['^[a-c-e]+$', 'b-e', true], ['^[a-c-e]$', 'd', false],
  ['^[\\d\\pL]+$', 'a1é', true], ['(?i)^[\\PL]$', 'a', false], ['^[^\\n]$', '\n', false], ['^[^a]$', '\n', true],
  // \b is ASCII words
  ['\\bfoo\\b', 'a foo.', true], ['\\bfoo\\b', 'éfooé', true], ['\\bfoo\\b', 'afoo', false],
];

// [pattern, Go's error]
const refused: [string, string][] = [
  ['a(?=b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['a(?!b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
  // Go 1.22 took up (?<name>re): a lookbehind now reads as a named group without its closing >
  ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
  ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
  ['a*+', 'error parsing regexp: invalid nested repetition operator: `*+`'],
  ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
  ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
  ['\\Z', 'error parsing regexp: invalid escape sequence: `\\Z`'],
  ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
  ['(a', 'error parsing regexp: missing closing ): `(a`'],
  ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
  ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
  // the three errors whose expression Go prints whole, or empty
  ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
  [`${'('.repeat(1001)}a${')'.repeat(1001)}`, `error parsing regexp: expression nests too deeply: \`${'('.repeat(1001)}a${')'.repeat(1001)}\``],
  ['(xx?){1000}'.repeat(1000), `error parsing regexp: expression too large: \`${'(xx?){1000}'.repeat(1000)}\``],
  // the error of the pattern as written, where Go's C category is spelled otherwise for re2
  ['\\pC(', 'error parsing regexp: missing closing ): `\\pC(`'],
];

// [pattern, input, n, Go's FindAllString(input, n)]
const finds: [string, string, number, string[]][] = [
  // leftmost-first: the first alternative, the lazy choice
  ['a|ab', 'abab', -1, ['a', 'a']], ['a+?', 'aaa', -1, ['a', 'a', 'a']], ['(?U)a+', 'aa', -1, ['a', 'a']], ['a+', 'baaac', -1, ['aaa']],
  // empty matches: none right after a match, a rune (not a UTF-16 unit) stepped over otherwise
  ['a*', 'baaac', -1, ['', 'aaa', '']], ['x*', '😀x😀', -1, ['', 'x', '']], ['', 'ab', -1, ['', '', '']], ['\\b', 'ab cd', -1, ['', '', '', '']],
  // n: at most n, negative all, zero none
  ['\\d', 'a1b2c3', 2, ['1', '2']], ['\\d', 'a1b2c3', 0, []], ['\\d', 'abc', -1, []],
  // anchors: ^ only at the start, (?m) at each line; $ only at the end
  ['^a', 'aaa', -1, ['a']], ['(?m)^a', 'a\na', -1, ['a', 'a']], ['a$', 'a\na', -1, ['a']], ['\\Aa|b', 'aab', -1, ['a', 'b']],
  // Go's classes and escapes
  ['\\pL+', 'héllo1wörld', -1, ['héllo', 'wörld']], ['\\p{Greek}+', 'xαβγ', -1, ['αβγ']], ['[[:^alpha:]]+', 'ab12c', -1, ['12']],
  ['\\x{263a}|\\x60', 'a☺`', -1, ['☺', '`']], ['(?i:a)b', 'Ab AB', -1, ['Ab']], ['\\s+', 'a\u00a0\vb \tc', -1, [' \t']],
  ['.+', 'a\rb\nc', -1, ['a\rb', 'c']], ['\\Qa.b\\E', 'axb a.b', -1, ['a.b']], ['[^a]', '😀', -1, ['😀']], ['\\pC', 'a\u0378\u0007', -1, ['\u0007']],
];

describe('Go regular expressions', () => {
  for (const [pattern, input, want] of matches) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${JSON.stringify(input)}`, () => {
      assert.equal(compileGoRegexp(pattern).test(input), want);
    });
  }

  for (const [pattern, message] of refused) {
    it(`refuses ${pattern} with Go's error`, () => {
      assert.equal(goRegexpError(pattern), message);
      assert.throws(() => compileGoRegexp(pattern), { message });
    });
  }

  for (const [pattern, input, n, want] of finds) {
    it(`finds ${JSON.stringify(want)} for ${pattern} in ${JSON.stringify(input)} (n=${n})`, () => {
      assert.deepEqual(compileGoRegexp(pattern).findAll(input, n), want);
    });
  }

  it('finds in time linear in the text whatever the pattern', () => {
    assert.deepEqual(compileGoRegexp('(a+)+b').findAll(`${'a'.repeat(20_000)}!`, -1), []);
  });

  it('answers a pattern that backtracks exponentially in JavaScript in linear time', () => {
    // JavaScript's engine takes 2^n steps here; this would hold the test (and a server) for ages.
    assert.equal(compileGoRegexp('^(a+)+$').test(`${'a'.repeat(100_000)}!`), false);
    assert.equal(compileGoRegexp('^(a|aa)*$').test('a'.repeat(100_000)), true);
  });
});
