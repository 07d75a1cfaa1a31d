/**
 * cel-go's optional syntax (its OptionalTypes library, on in every Kubernetes CEL environment) on top of
 * @bufbuild/cel's parser, which does not know it:
 *
 *   obj.?field   map[?key]   list[?0]   [a, ?b]   {?'k': v}   opt.optMap(x, f(x))   opt.optFlatMap(x, g(x))
 *
 * 1. `markOptionalSyntax` blanks each syntactic `?` (a space keeps every column where the user wrote it) and
 *    remembers where it stood: after a `.`, after an index `[`, before a list element or a map entry.
 * 2. The plain CEL that is left parses; `desugarOptionals` turns the marked nodes into cel-go's AST: the
 *    `_?._(operand, 'field')` and `_[?_]` calls, a list's `optionalIndices`, a map entry's `optionalEntry`, and
 *    expands the optMap/optFlatMap macros as cel-go does. The checker sees what cel-go's checker sees.
 * 3. After checking, `lowerOptionals` rewrites what @bufbuild/cel's planner cannot run with cel-go's meaning
 *    (it reads `_?._` and `_[?_]` as plain selections and ignores optional list elements) into calls of
 *    library/optional.ts, and makes `or`/`orValue` short-circuit as cel-go's do.
 */
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild, NodeFactory } from './ast.ts';
import { optionalFunctions } from './library/optional.ts';

/** Where the blanked `?`s stood, by the offset the parser gives the node they belong to. */
export interface OptionalMarks {
  /** Offset of the `.` of each `.?field` -> the field's name. */
  selects: Map<number, string>;
  /** Offsets of the `[` of each `[?index]`. */
  indexes: Set<number>;
  /** Offset of a list's `[` or a map's `{` -> indices of its optional elements or entries. */
  elements: Map<number, number[]>;
}

interface Open {
  kind: 'group' | 'index' | 'list' | 'map' | 'message';
  at: number;
  /** Commas seen at this level: the index of the current element. */
  count: number;
}

const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_]/;

/** Length of the string literal (with its r/b prefixes) starting at `i`, or 0 when none starts there. */
export function stringLength(s: string, i: number): number {
  let j = i;
  let raw = false;
  while (j < i + 2 && /[rRbB]/.test(s[j] ?? '')) {
    if (s[j] === 'r' || s[j] === 'R') raw = true;
    j++;
  }
  const q = s[j];
  if (q !== '"' && q !== "'") return 0;
  const close = s.startsWith(q.repeat(3), j) ? q.repeat(3) : q;
  j += close.length;
  while (j < s.length && !s.startsWith(close, j)) {
    if (!raw && s[j] === '\\') j++;
    if (close.length === 1 && (s[j] === '\n' || s[j] === '\r')) return j - i; // unterminated: the parser reports it
    j++;
  }
  return Math.min(j + close.length, s.length) - i;
}

/**
 * Blanks the `?` of the optional syntax, token-aware (strings and comments are left alone, a ternary `?` is
 * kept). Returns the source unchanged and no marks when there is nothing to blank.
 */
export function markOptionalSyntax(source: string): { text: string; marks?: OptionalMarks } {
  if (!source.includes('?')) return { text: source };
  const chars = source.split('');
  const marks: OptionalMarks = { selects: new Map(), indexes: new Set(), elements: new Map() };
  const stack: Open[] = [];
  let found = false;
  // The previous token: an operand end, or the punctuation itself, with its offset.
  let prev: { tok: string; at: number } | undefined;
  const addElement = (open: Open) => {
    const list = marks.elements.get(open.at) ?? [];
    list.push(open.count);
    marks.elements.set(open.at, list);
  };
  for (let i = 0; i < source.length; ) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    const str = stringLength(source, i);
    if (str > 0) {
      prev = { tok: 'operand', at: i };
      i += str;
      continue;
    }
    if (identPart.test(c)) {
      const start = i;
      while (i < source.length && identPart.test(source[i])) i++;
      const word = source.slice(start, i);
      prev = { tok: !identStart.test(c) ? 'operand' : word === 'in' ? 'in' : 'ident', at: start };
      continue;
    }
    const top = stack[stack.length - 1];
    switch (c) {
      case '(':
        stack.push({ kind: 'group', at: i, count: 0 });
        break;
      case '[':
        stack.push({ kind: prev && (prev.tok === 'operand' || prev.tok === 'ident' || prev.tok === 'close') ? 'index' : 'list', at: i, count: 0 });
        break;
      case '{':
        // `Name{...}` builds a message, which no Kubernetes environment declares; only map literals get marks.
        stack.push({ kind: prev?.tok === 'ident' ? 'message' : 'map', at: i, count: 0 });
        break;
      case ')':
      case ']':
      case '}':
        stack.pop();
        prev = { tok: 'close', at: i };
        i++;
        continue;
      case ',':
        if (top) top.count++;
        break;
      case '?': {
        let marked = true;
        if (prev?.tok === '.') marks.selects.set(prev.at, /^\s*(\w*)/.exec(source.slice(i + 1))![1]);
        else if (prev?.tok === '[' && top?.kind === 'index') marks.indexes.add(top.at);
        else if ((prev?.tok === '[' || prev?.tok === ',') && top?.kind === 'list') addElement(top);
        else if ((prev?.tok === '{' || prev?.tok === ',') && top?.kind === 'map') addElement(top);
        else marked = false;
        if (marked) {
          chars[i] = ' ';
          found = true;
          i++;
          continue; // the `?` is no token: what precedes it still decides what follows
        }
        break;
      }
    }
    prev = { tok: c, at: i };
    i++;
  }
  return found ? { text: chars.join(''), marks } : { text: source };
}

export interface SyntaxIssue {
  offset: number;
  message: string;
}

/**
 * Rewrites the marked nodes of a parsed expression (in place) into cel-go's optional AST and expands the
 * optMap/optFlatMap macros. Returns the problems cel-go's parser reports (`has(a.?b)`, a macro variable that is
 * not a name).
 */
export function desugarOptionals(parsed: ParsedExpr, marks: OptionalMarks | undefined): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const nodes = new NodeFactory(parsed);
  const pendingSelects = new Map(marks?.selects);
  const misplaced: SyntaxIssue[] = [];
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    const at = nodes.offsetOf(e);
    const k = e.exprKind;
    switch (k.case) {
      case 'selectExpr':
        if (!k.value.testOnly && pendingSelects.delete(at)) {
          e.exprKind = nodes.call(at, '_?._', [k.value.operand!, nodes.string(at, k.value.field)]).exprKind;
        } else if (k.value.testOnly) {
          // has() placed the selection at `has`; its `.?` is the first pending one after it with this field.
          const mark = [...pendingSelects].find(([offset, field]) => offset > at && field === k.value.field);
          if (mark) {
            pendingSelects.delete(mark[0]);
            misplaced.push({ offset: mark[0], message: 'invalid argument to has() macro' });
          }
        }
        break;
      case 'callExpr': {
        const call = k.value;
        if (call.function === '_[_]' && !call.target && marks?.indexes.has(at)) call.function = '_[?_]';
        else if ((call.function === 'optMap' || call.function === 'optFlatMap') && call.target && call.args.length === 2) {
          const expanded = expandOptMap(nodes, at, call.function, call.target, call.args[0], call.args[1], issues);
          if (expanded) e.exprKind = expanded.exprKind;
        }
        break;
      }
      case 'listExpr': {
        const optional = marks?.elements.get(at);
        if (optional) k.value.optionalIndices = optional;
        break;
      }
      case 'structExpr': {
        const optional = marks?.elements.get(at);
        if (optional && !k.value.messageName) for (const i of optional) if (k.value.entries[i]) k.value.entries[i].optionalEntry = true;
        break;
      }
    }
  };
  visit(parsed.expr);
  // Any other `.?` the parser did not make a selection of stood before a method call, which cel-go's grammar refuses.
  for (const at of pendingSelects.keys()) misplaced.push({ offset: at, message: "Syntax error: a method call cannot follow '.?'" });
  return [...misplaced, ...issues].sort((a, b) => a.offset - b.offset);
}

/** cel-go's optMap/optFlatMap: `t.hasValue() ? optional.of(bind(v, t.value(), f)) : optional.none()`. */
function expandOptMap(nodes: NodeFactory, at: number, macro: string, target: Expr, variable: Expr, body: Expr, issues: SyntaxIssue[]): Expr | undefined {
  if (variable.exprKind.case !== 'identExpr') {
    issues.push({ offset: nodes.offsetOf(variable), message: `${macro}() variable name must be a simple identifier` });
    return undefined;
  }
  const bound = nodes.bind(at, variable.exprKind.value.name, nodes.call(at, 'value', [], nodes.copy(target)), body);
  return nodes.call(at, '_?_:_', [nodes.call(at, 'hasValue', [], target), macro === 'optMap' ? nodes.call(at, 'optional.of', [bound]) : bound, nodes.call(at, 'optional.none', [])]);
}

/** The name the lowered short-circuit binds its left-hand optional to; no user identifier can be spelled so. */
const orOperand = '@optional';

/**
 * After checking: replaces, in place, what @bufbuild/cel's planner would run without cel-go's meaning by calls of
 * the optional library: optional selections and indexes, lists and maps with optional elements; `or` and
 * `orValue` evaluate their argument only when the optional is empty.
 */
export function lowerOptionals(parsed: ParsedExpr): void {
  const nodes = new NodeFactory(parsed);
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    const at = nodes.offsetOf(e);
    const k = e.exprKind;
    switch (k.case) {
      case 'callExpr': {
        const call = k.value;
        if (!call.target && call.function === '_?._') call.function = optionalFunctions.select;
        else if (!call.target && call.function === '_[?_]') call.function = optionalFunctions.index;
        else if (call.target && call.args.length === 1 && (call.function === 'or' || call.function === 'orValue')) {
          const self = () => nodes.ident(at, orOperand);
          const present = call.function === 'or' ? self() : nodes.call(at, 'value', [], self());
          const chosen = nodes.call(at, '_?_:_', [nodes.call(at, 'hasValue', [], self()), present, call.args[0]]);
          e.exprKind = nodes.bind(at, orOperand, call.target, chosen).exprKind;
        }
        break;
      }
      case 'listExpr':
        if (k.value.optionalIndices.length > 0) {
          const indices = k.value.optionalIndices.map((i) => nodes.int(at, i));
          k.value.optionalIndices = [];
          e.exprKind = nodes.call(at, optionalFunctions.list, [nodes.node(at, { case: 'listExpr', value: k.value } as never), nodes.list(at, indices)]).exprKind;
        }
        break;
      case 'structExpr': {
        const optional = k.value.entries.flatMap((en, i) => (en.optionalEntry ? [i] : []));
        if (optional.length > 0 && !k.value.messageName) {
          for (const en of k.value.entries) en.optionalEntry = false;
          const indices = optional.map((i) => nodes.int(at, i));
          e.exprKind = nodes.call(at, optionalFunctions.map, [nodes.node(at, { case: 'structExpr', value: k.value } as never), nodes.list(at, indices)]).exprKind;
        }
        break;
      }
    }
  };
  visit(parsed.expr);
}
