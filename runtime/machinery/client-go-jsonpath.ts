/**
 * Whether a template parses as client-go's `jsonpath.Parse` (k8s.io/client-go/util/jsonpath/parser.go) parses it,
 * and its error when not: the words a ValidatingAdmissionPolicy status's `fieldRef` is refused with
 * (`invalid JSONPath: invalid array index foo`). Only the syntax is checked; nothing is evaluated.
 *
 * The walk follows the Go parser's order (so the first error is the one Go names): text outside `{...}` is free;
 * inside an action come `}`, a filter `[?(...)]`, recursive descent `..`, spaces, `@`/`$`, `[...]` (unions, `'key'`,
 * slices), quoted strings (Go escapes), `.field`, numbers and identifiers. Sub-expressions (union members, dict keys,
 * filter operands) are parsed on their own, as the Go parser does.
 */
import { atoi } from './strconv.ts';

/** Go's strconv.UnquoteChar rules for the escapes in a quoted string. */
const simpleEscape = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\']);

class JsonPathSyntaxError extends Error {}
function fail(message: string): never {
  throw new JsonPathSyntaxError(message);
}

const isDigit = (r: string) => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const isEndOfLine = (r: string) => r === '\r' || r === '\n';
const isTerminator = (r: string | undefined) => r === undefined || r === ' ' || r === '\t' || isEndOfLine(r) || '.,[]$@{}'.includes(r);
/** Go's %#U: `U+0009`, and the character in quotes when it prints. */
const goRune = (r: string) => {
  const hex = `U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(r) ? `${hex} '${r}'` : hex;
};

const sliceOperator = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/;
const dictKey = /^'([^']*)'$/;
const filterComparison = /^([^!<>=]+)([!<>=]+)(.+?)$/s;

/** Whether strconv.Atoi takes `s`. */
const isAtoi = (s: string): boolean => typeof atoi(s) === 'number';

class Parser {
  private pos = 0;
  private start = 0;
  private width = 0;
  /** The kind of the node last added to the action being parsed (only recursive descent is looked back at). */
  private last: 'recursive' | 'other' | undefined;

  constructor(private readonly input: string) {}

  parse(): void {
    this.parseText();
  }

  private next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return undefined;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += this.width;
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private peek(): string | undefined {
    const r = this.next();
    this.backup();
    return r;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        this.pos += 1;
        this.consumeText();
        this.last = undefined;
        return this.parseInsideAction();
      }
      if (this.next() === undefined) return;
    }
  }

  private added(kind: 'recursive' | 'other' = 'other'): void {
    this.last = kind;
  }

  private parseInsideAction(): void {
    // Loops where the Go parser recurses into itself after consuming a space, `@` or `$`.
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        return this.parseText();
      }
      if (rest.startsWith('[?(')) return this.parseFilter();
      if (rest.startsWith('..')) return this.parseRecursive();
      const r = this.next();
      if (r === undefined || isEndOfLine(r)) fail('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consumeText();
        continue;
      }
      if (r === '[') return this.parseArray();
      if (r === '"' || r === "'") return this.parseQuote(r);
      if (r === '.') return this.parseField();
      if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        return this.parseNumber();
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return this.parseIdentifier();
      }
      fail(`unrecognized character in action: ${goRune(r)}`);
    }
  }

  private parseIdentifier(): void {
    while (!isTerminator(this.next()));
    this.backup();
    this.consumeText();
    this.added();
    this.parseInsideAction();
  }

  private parseRecursive(): void {
    if (this.last === 'recursive') fail('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    this.added('recursive');
    const r = this.peek();
    if (r !== undefined && isAlphaNumeric(r)) return this.parseField();
    this.parseInsideAction();
  }

  private parseNumber(): void {
    const r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      const d = this.next();
      if (d !== '.' && !(d !== undefined && isDigit(d))) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    // strconv.Atoi, then strconv.ParseFloat (ASCII digits with at most one point).
    if (!isAtoi(value) && !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) fail(`cannot parse number ${value}`);
    this.added();
    this.parseInsideAction();
  }

  private parseArray(): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') fail('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';
    const members = text.split(',');
    if (members.length > 1) {
      for (const m of members) parseAction(`[${m.replace(/^ +| +$/g, '')}]`);
    } else {
      const key = dictKey.exec(text);
      if (key) parseAction(`.${key[1]}`);
      else {
        const slice = sliceOperator.exec(text);
        if (!slice) fail(`invalid array index ${text}`);
        for (let i = 1; i <= 3; i++) {
          const part = i > 1 ? (slice[i] ?? '').slice(1) : slice[i]!;
          if (part !== '' && !isAtoi(part)) fail(`array index ${part} is not a number`);
        }
      }
    }
    this.added();
    this.parseInsideAction();
  }

  private parseFilter(): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') fail('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') fail('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const comparison = filterComparison.exec(text);
    if (!comparison) parseAction(text);
    else {
      parseAction(comparison[1]!);
      parseAction(comparison[3]!);
    }
    this.added();
    this.parseInsideAction();
  }

  private parseQuote(quote: string): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') fail('unterminated quoted string');
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    if (!unquotes(value.slice(1, -1), quote)) fail(`unquote string ${value} error invalid syntax`);
    this.added();
    this.parseInsideAction();
  }

  private parseField(): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    this.consumeText();
    this.added();
    this.parseInsideAction();
  }
}

/** Whether the inside of a quoted string is valid for strconv.UnquoteChar, character by character. */
function unquotes(s: string, quote: string): boolean {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === quote) return false;
    if (c !== '\\') {
      i += String.fromCodePoint(s.codePointAt(i)!).length;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return false;
    if (simpleEscape.has(e)) i += 2;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return false;
      const v = parseInt(hex, 16);
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return false;
      i += 2 + n;
    } else if (/[0-7]/.test(e)) {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return false;
      i += 4;
    } else if (e === "'" || e === '"') {
      if (e !== quote) return false;
      i += 2;
    } else return false;
  }
  return true;
}

/** parseAction: `text` parsed as the inside of one action, `{text}`. */
function parseAction(text: string): void {
  new Parser(`{${text}}`).parse();
}

/** client-go's jsonpath.Parse error for `template`, or undefined when it parses. */
export function jsonPathSyntaxError(template: string): string | undefined {
  try {
    new Parser(template).parse();
    return undefined;
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) return e.message;
    throw e;
  }
}
