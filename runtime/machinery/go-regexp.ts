/**
 * Go's regular expressions (RE2 syntax, as `regexp.Compile`), checked and run by @bufbuild/re2: a port of Go's
 * parser (Go's verdict and Go's error text) and of its automata, so a pattern means what it means to Go and a match
 * takes time linear in the input. Patterns come from users (a CRD's `pattern`): JavaScript's backtracking engine
 * would let `^(a+)+$` against a long `aaa...!` hold the event loop, and with it every client, for minutes; V8's
 * linear engine refuses the Unicode mode and lookarounds that Go's meaning needs. The patterns that a JavaScript
 * RegExp runs with the same answers and no more than linear backtracking (the common CRD shapes) take that instead
 * (go-regexp-fast.ts), some 20-50 times faster a match.
 */
import { RE2JS, RE2JSSyntaxException } from '@bufbuild/re2';
import { fastGoRegExp } from './go-regexp-fast.ts';
import { ProgramFinder } from './go-regexp-find.ts';

/**
 * A compiled Go pattern: `test` says whether it matches anywhere in the text, as Go's `MatchString`; `findAll`
 * lists the matches as Go's `FindAllString(text, n)` (at most `n`, negative for all).
 */
export interface GoRegexp {
  test(text: string): boolean;
  findAll(text: string, n: number): string[];
}

// Go's `C` category is Cc|Cf|Co|Cs; @bufbuild/re2 reads it from JavaScript's `\p{C}`, which has the unassigned Cn.
const goC = '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}';
const notGoC = '\\PC\\p{Cn}';

/**
 * The pattern with Go's `C` category spelled as class items @bufbuild/re2 reads as Go does (`\pC`, `\p{C}`, `\PC`,
 * `\P{C}`, `\p{^C}`, `\P{^C}`, inside a class or out); escapes, `\Q...\E` and POSIX classes are stepped over.
 */
function withGoCategoryC(pattern: string): string {
  if (!/\\[pP]/.test(pattern)) return pattern;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const m = /^\\([pP])(C|\{\^?C\})/.exec(pattern.slice(i, i + 6));
      if (m) {
        const negated = (m[1] === 'P') !== m[2].includes('^');
        const items = negated ? notGoC : goC;
        out += inClass ? items : `[${items}]`;
        i += m[0].length - 1;
        continue;
      }
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass && c === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      if (end >= 0) {
        out += pattern.slice(i, end + 2);
        i = end + 1;
        continue;
      }
    }
    if (!inClass && c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i]; // a leading ] is a literal
      continue;
    }
    if (inClass && c === ']') inClass = false;
    out += c;
  }
  return out;
}

/** Go's EmptyBeginText: a program that starts with it (`^` without `(?m)`, `\\A`) matches only at the start. */
const beginText = 0x04;

/**
 * Go's text for a syntax error. Go's regexp/syntax prints every error with its expression in backquotes (the
 * whole pattern for one too large or nested too deeply, an empty one for a trailing backslash); @bufbuild/re2 leaves
 * it out for those three.
 */
function goSyntaxError(e: unknown, pattern: string): string {
  const { message } = e as Error;
  const { error, input } = e as RE2JSSyntaxException;
  if (!(e instanceof RE2JSSyntaxException) || input) return message;
  return `${message}: \`${error === 'trailing backslash at end of expression' ? '' : pattern}\``;
}

/** Go's compile error for a pattern (`error parsing regexp: ...`), or undefined when RE2 accepts it. */
export function goRegexpError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return goSyntaxError(e, pattern);
  }
}

/** Patterns compiled so far, or Go's error for them: a schema's fast-path gate and its validator compile each pattern. */
const compiled = new Map<string, GoRegexp | Error>();

/**
 * Compiles a Go pattern; throws Go's error for a pattern RE2 refuses. The result is shared by every caller of the
 * same pattern (`test` keeps no state between calls).
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      // re2 first, for Go's verdict on the syntax; the fast path only for what it accepted.
      const re2 = RE2JS.compile(withGoCategoryC(pattern)).re2();
      const fast = fastGoRegExp(pattern);
      let finder: ProgramFinder | undefined; // built at the first find: most patterns are only tested
      re = {
        test: fast ? (text) => fast.test(text) : (text) => re2.match(text),
        findAll: (text, n) => (finder ??= new ProgramFinder(re2.prog, (re2.cond & beginText) !== 0)).findAll(text, n),
      };
    } catch (e) {
      // The error of the pattern as written, not of its spelling for re2.
      re = new Error(goRegexpError(pattern) ?? goSyntaxError(e, pattern));
    }
    if (compiled.size >= 10_000) compiled.clear(); // patterns come from CRDs: bounded in practice, capped anyway
    compiled.set(pattern, re);
  }
  if (re instanceof Error) throw new Error(re.message);
  return re;
}
