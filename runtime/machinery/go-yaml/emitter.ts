/**
 * go-yaml v2's emitter (a Go port of libyaml's) for the values JSONToYAML hands it: block mappings and sequences,
 * `{}` and `[]` for empty ones, and scalars in the style go-yaml settles on. It keeps the emitter's own state
 * (column, indent, whether the last thing written was whitespace or indentation), so that line breaks, indentation
 * and the folding of long scalars past column 80 come out byte for byte as upstream's.
 */
import { plainReadsAsString } from './scalars.ts';

/** A value as go-yaml holds it: a mapping (keys in go-yaml's order), a sequence, or a scalar. */
export type YamlNode =
  | { kind: 'map'; entries: [string, YamlNode][] }
  | { kind: 'seq'; items: YamlNode[] }
  /** Written as it is: a number, bool or null. */
  | { kind: 'plain'; text: string }
  | { kind: 'string'; text: string };

type Style = 'plain' | 'single' | 'double' | 'literal';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
/** Longer keys are written as `? key` / `: value` (the emitter's simple-key limit, in bytes). */
const SIMPLE_KEY_MAX = 128;

const isSpace = (c: string | undefined) => c === ' ';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankz = (c: string | undefined) => isBlank(c) || isBreak(c) || c === '\0';

/** yamlprivateh.go is_printable: what may be written unescaped (no tab, no control, nothing past U+FFFF). */
function isPrintable(c: string): boolean {
  const v = c.codePointAt(0)!;
  return v === 0x0a || (v >= 0x20 && v <= 0x7e) || (v >= 0xa0 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd && v !== 0xfeff);
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** emitterc.go yaml_emitter_analyze_scalar (block context only: this emitter never writes flow collections' items). */
function analyzeScalar(chars: string[]): ScalarAnalysis {
  if (chars.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false, special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  const head = chars.slice(0, 3).join('');
  if (head === '---' || head === '...') blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || special) a.blockPlainAllowed = a.singleQuotedAllowed = a.blockAllowed = false;
  return a;
}

/** The escapes of double-quoted scalars that have a letter of their own. */
const namedEscapes: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escape(c: string): string {
  const v = c.codePointAt(0)!;
  const named = namedEscapes[v];
  if (named !== undefined) return `\\${named}`;
  const [letter, width] = v <= 0xff ? ['x', 2] : v <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${letter}${v.toString(16).toUpperCase().padStart(width, '0')}`;
}

interface NodeContext {
  /** The node is a mapping's key or value (a block sequence as a value is then written without indenting). */
  mapping: boolean;
  simpleKey: boolean;
}

class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;

  document(root: YamlNode): string {
    this.node(root, { mapping: false, simpleKey: false });
    this.writeIndent();
    return this.out;
  }

  private put(s: string): void {
    this.out += s;
    this.column += s.length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** Writes one character: a column each, whatever its UTF-8 length. */
  private write(c: string): void {
    this.out += c;
    this.column++;
  }

  private writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private node(n: YamlNode, ctx: NodeContext): void {
    if (n.kind === 'map') this.mapping(n.entries);
    else if (n.kind === 'seq') this.sequence(n.items, ctx);
    else if (n.kind === 'plain') this.scalar(n.text, 'plain', ctx);
    else this.scalar(n.text, stringStyle(n.text), ctx);
  }

  private mapping(entries: [string, YamlNode][]): void {
    if (entries.length === 0) return this.emptyFlow('{', '}');
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      if (Buffer.byteLength(key) <= SIMPLE_KEY_MAX && !analyzeScalar([...key]).multiline) {
        this.scalar(key, stringStyle(key), { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.scalar(key, stringStyle(key), { mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private sequence(items: YamlNode[], ctx: NodeContext): void {
    if (items.length === 0) return this.emptyFlow('[', ']');
    // A sequence that is a mapping's value lines its dashes up with the mapping's keys.
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private scalar(text: string, requested: 'plain' | 'double' | 'literal', ctx: NodeContext): void {
    const chars = [...text];
    const a = analyzeScalar(chars);
    let style: Style = requested;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.blockPlainAllowed || (chars.length === 0 && ctx.simpleKey))) style = 'single';
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || ctx.simpleKey)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    if (style === 'plain') this.plain(chars, allowBreaks);
    else if (style === 'single') this.singleQuoted(chars, allowBreaks);
    else if (style === 'double') this.doubleQuoted(chars, allowBreaks);
    else this.literal(chars);
    this.popIndent();
  }

  private plain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    this.foldableRun(chars, allowBreaks);
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    this.foldableRun(chars, allowBreaks, "'");
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  /**
   * A plain or single-quoted scalar's characters: a space past column 80 may become a line break (inside the quotes
   * only, never at either end), line breaks are doubled as YAML folds them back, and a quote is written twice.
   */
  private foldableRun(chars: string[], allowBreaks: boolean, quote?: "'"): void {
    let spaces = false, breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (isSpace(c)) {
        const inner = quote === undefined || (i > 0 && i < chars.length - 1);
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inner && !isSpace(chars[i + 1])) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === quote) this.put(quote);
        this.write(c);
        this.indention = false;
        spaces = breaks = false;
      }
    }
  }

  private doubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    // The emitter's BOM check looks at the value's start, not at the character: a leading U+FEFF escapes them all.
    const bom = chars[0] === '\ufeff';
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (bom || !isPrintable(c) || isBreak(c) || c === '"' || c === '\\') {
        this.put(escape(c));
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (isSpace(chars[i + 1])) this.put('\\');
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(chars: string[]): void {
    this.writeIndicator('|', true, false, false);
    if (isSpace(chars[0]) || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars.length - 1;
    const chomp = !isBreak(chars[last]) ? '-' : last === 0 || isBreak(chars[last - 1]) ? '+' : '';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** The style encode.go's stringv asks for: literal for multi-line text, plain when that reads back as the string. */
export function stringStyle(s: string): 'plain' | 'double' | 'literal' {
  if (s.includes('\n')) return 'literal';
  return plainReadsAsString(s) ? 'plain' : 'double';
}

/** One YAML document: go-yaml's yaml.Marshal of `root`. */
export function emitYamlDocument(root: YamlNode): string {
  return new Emitter().document(root);
}
