/**
 * Label and field selectors, as `?labelSelector=` / `?fieldSelector=` and `spec.selector` use them. The grammar and
 * the matching rules follow upstream's `labels.Parse` and `fields.ParseSelector` so that every client's selectors mean
 * the same here; parse errors are thrown as `Error`s whose message the REST layer returns in a 400 BadRequest.
 */

import { goQuote, goStringSlice } from './gofmt.ts';
import { isQualifiedName, isValidLabelValue } from './string-checks.ts';
import { aggregateErrors } from './aggregate-errors.ts';

// ---------------------------------------------------------------------------------------------------------------
// Label selectors

/** Operators in upstream's spelling (`selection.Operator`). */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated; empty for `exists` and `!`. */
  values: readonly string[];
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** True when the selector restricts nothing (every object matches). */
  readonly empty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined | null): boolean;
  /** The value the selector pins `key` to (`key=v`, `key==v`, `key in (v)`), if it does. */
  requiresExactMatch(key: string): string | undefined;
  toString(): string;
}

/** field.Invalid's text: a string as `%q`, a list of values as `%#v` of a Go `[]string` (null: a nil one). */
const invalid = (value: string | readonly string[] | null, detail: string) =>
  `Invalid value: ${typeof value === 'string' ? goQuote(value) : goStringSlice(value)}: ${detail}`;

/**
 * Upstream's NewRequirement. `given` is the values as the caller built them: null for a nil slice (an API
 * requirement with none, which LabelSelectorAsSelector copies with `append([]string(nil), ...)`), as the
 * error prints it.
 */
function newRequirement(key: string, operator: LabelOperator, given: string[] | null): LabelRequirement {
  const values = given ?? [];
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: ${invalid(key, keyErrs.join('; '))}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`values: ${invalid(given, "for 'in', 'notin' operators, values set can't be empty")}`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`values: ${invalid(given, 'exact-match compatibility requires one single value')}`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`values: ${invalid(given, 'values set must be empty for exists and does not exist')}`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`values: ${invalid(given, "for 'Gt', 'Lt' operators, exactly one value is required")}`);
      values.forEach((v, i) => {
        if (!/^[-+]?\d+$/.test(v)) errs.push(`values[${i}]: ${invalid(v, "for 'Gt', 'Lt' operators, the value must be an integer")}`);
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) errs.push(`values[${i}][${key}]: ${invalid(v, valueErrs.join('; '))}`);
  });
  if (errs.length) throw new Error(aggregateErrors(errs));
  return { key, operator, values: [...new Set(values)].sort() };
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(value!)) return false;
      const a = BigInt(value!);
      const b = BigInt(r.values[0]);
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

function makeLabelSelector(requirements: LabelRequirement[], nothing = false): LabelSelector {
  // Sorted by key, as upstream, so that String() is canonical.
  const reqs = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: reqs,
    empty: !nothing && reqs.length === 0,
    matches(labels) {
      if (nothing) return false;
      const ls = labels ?? {};
      return reqs.every((r) => requirementMatches(r, ls));
    },
    requiresExactMatch(key) {
      const r = reqs.find((x) => x.key === key);
      if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    },
    toString: () => reqs.map(requirementString).join(','),
  };
}

/** A selector matching every object. */
export const everythingLabelSelector: LabelSelector = makeLabelSelector([]);
/** A selector matching no object (upstream's `labels.Nothing()`, what a null `spec.selector` means). */
export const nothingLabelSelector: LabelSelector = makeLabelSelector([], true);

// Lexer: identifiers are runs of anything but whitespace and the special symbols; `in`/`notin` are keywords
// except where a value is expected.
type Token =
  | { t: 'id'; lit: string }
  | { t: 'op'; lit: '=' | '==' | '!=' | '>' | '<' }
  | { t: 'in' | 'notin' | '!' | '(' | ')' | ',' | 'end'; lit: string }
  | { t: 'error'; lit: string };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOLS = new Set(['=', '==', '!=', '!', '(', ')', ',', '>', '<']);

function lexLabelSelector(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && /[ \t\r\n]/.test(s[i])) i++;
    if (i >= s.length) {
      tokens.push({ t: 'end', lit: '' });
      return tokens;
    }
    if (SPECIAL.has(s[i])) {
      // Longest run of special characters that is still a symbol.
      let lit = '';
      let j = i;
      let best = '';
      while (j < s.length && SPECIAL.has(s[j])) {
        lit += s[j++];
        if (SYMBOLS.has(lit)) best = lit;
        else if (best) break;
      }
      if (!best) {
        tokens.push({ t: 'error', lit: `error expected: keyword found '${lit}'` });
        tokens.push({ t: 'end', lit: '' });
        return tokens;
      }
      i += best.length;
      if (best === '=' || best === '==' || best === '!=' || best === '>' || best === '<') tokens.push({ t: 'op', lit: best });
      else tokens.push({ t: best as '!' | '(' | ')' | ',', lit: best });
    } else {
      let lit = '';
      while (i < s.length && !SPECIAL.has(s[i]) && !/[ \t\r\n]/.test(s[i])) lit += s[i++];
      if (lit === 'in' || lit === 'notin') tokens.push({ t: lit, lit });
      else tokens.push({ t: 'id', lit });
    }
  }
}

class LabelSelectorParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  // In a value position the keywords `in`/`notin` are ordinary identifiers.
  private peek(asValue = true): Token {
    const tok = this.tokens[this.pos];
    return asValue && (tok.t === 'in' || tok.t === 'notin') ? { t: 'id', lit: tok.lit } : tok;
  }
  private next(asValue = true): Token {
    const tok = this.peek(asValue);
    this.pos++;
    return tok;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'end') return reqs;
      if (tok.t !== 'id' && tok.t !== '!') throw new Error(`found '${tok.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const after = this.next();
      if (after.t === 'end') return reqs;
      if (after.t !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.t !== 'id' && following.t !== '!') throw new Error(`found '${following.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let tok = this.next();
    let negated = false;
    if (tok.t === '!') {
      negated = true;
      tok = this.next();
    }
    if (tok.t !== 'id') throw new Error(`found '${tok.lit}', expected: identifier`);
    const key = tok.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(invalid(key, keyErrs.join('; ')));
    // `!key` takes no operator; whatever follows is the caller's to judge, as upstream.
    if (negated) return newRequirement(key, '!', []);
    const la = this.peek();
    if (la.t === 'end' || la.t === ',') return newRequirement(key, 'exists', []);
    const op = this.next(false);
    switch (op.t) {
      case 'in':
      case 'notin':
        return newRequirement(key, op.t, this.valueSet());
      case 'op': {
        const operator: LabelOperator = op.lit === '>' ? 'gt' : op.lit === '<' ? 'lt' : op.lit;
        return newRequirement(key, operator, [this.exactValue()]);
      }
      default:
        throw new Error(`found '${op.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private exactValue(): string {
    const la = this.peek();
    if (la.t === 'end' || la.t === ',') return '';
    const tok = this.next();
    if (tok.t !== 'id') throw new Error(`found '${tok.lit}', expected: identifier`);
    return tok.lit;
  }

  // `(a,b)`; empty members (`(a,,b)`, `()`) stand for the empty value, as upstream.
  private valueSet(): string[] {
    const open = this.next();
    if (open.t !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const tok = this.next();
      if (tok.t === ')') {
        if (expectValue) values.push('');
        return values;
      }
      if (tok.t === ',') {
        if (expectValue) values.push('');
        expectValue = true;
        continue;
      }
      if (tok.t === 'id' && expectValue) {
        values.push(tok.lit);
        expectValue = false;
        continue;
      }
      throw new Error(`found '${tok.lit}', expected: ',', ')' or identifier`);
    }
  }
}

/** Parses the string form (`a=b,c!=d,e in (x,y),!f`). Throws an Error with upstream-style text when invalid. */
export function parseLabelSelector(selector: string): LabelSelector {
  // No selector, as on nearly every list and watch: the one shared selector, not a parse and a new one each time.
  if (selector === '') return everythingLabelSelector;
  const tokens = lexLabelSelector(selector);
  return makeLabelSelector(new LabelSelectorParser(tokens).parse());
}

/** The JSON form of `metav1.LabelSelector`. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

/**
 * Converts `{matchLabels, matchExpressions}` to a selector. As upstream, a null/undefined selector matches nothing
 * and an empty one matches everything.
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return nothingLabelSelector;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(obj.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of obj.matchExpressions ?? []) {
    const values = expr.values?.length ? expr.values : null;
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, LabelOperator>)[expr.operator];
    if (!op) throw new Error(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, values));
  }
  return makeLabelSelector(reqs);
}

// ---------------------------------------------------------------------------------------------------------------
// Field selectors

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  /** Unescaped value. */
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  /** Missing fields read as the empty string, as upstream's `fields.Set`. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** The value the selector pins `field` to with `=`/`==`, if it does (e.g. `metadata.name` for a single-object watch). */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

// Splits on commas that are not escaped with a backslash.
function splitFieldTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ',') {
      terms.push(cur);
      cur = '';
    } else cur += s[i];
  }
  terms.push(cur);
  return terms;
}

// The first position where an operator starts; `!=` and `==` win over `=` at the same position.
function splitFieldTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeFieldValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\') {
      const n = v[i + 1];
      if (n === '\\' || n === ',' || n === '=') {
        out += n;
        i++;
        continue;
      }
      throw new Error(`invalid field selector: invalid escape sequence: ${n === undefined ? '\\' : `\\${n}`}`);
    }
    if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c}`);
    out += c;
  }
  return out;
}

const everythingFieldSelector: FieldSelector = makeFieldSelector([]);

/** Escapes `\\`, `,` and `=` in a field selector value (upstream's fields.EscapeValue). */
export const escapeFieldValue = (v: string) => v.replace(/[\\,=]/g, (c) => `\\${c}`);

/**
 * Parses `metadata.name=x,status.phase!=Running`. With `supportedFields`, a field outside it is refused with
 * upstream's message `field label not supported: <field>`.
 */
export function parseFieldSelector(selector: string, supportedFields?: Iterable<string>): FieldSelector {
  if (selector === '') return everythingFieldSelector; // as parseLabelSelector
  const supported = supportedFields ? new Set(supportedFields) : undefined;
  const reqs: FieldRequirement[] = [];
  for (const raw of splitFieldTerms(selector).sort()) {
    const term = raw.trim();
    if (term === '') continue;
    const split = splitFieldTerm(term);
    if (!split) throw new Error(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, operator, rhs] = split;
    const name = field.trim();
    if (supported && !supported.has(name)) throw new Error(`field label not supported: ${name}`);
    reqs.push({ field: name, operator, value: unescapeFieldValue(rhs) });
  }
  return makeFieldSelector(reqs);
}

function makeFieldSelector(reqs: FieldRequirement[]): FieldSelector {
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches(fields) {
      return reqs.every((r) => {
        const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
        return r.operator === '!=' ? v !== r.value : v === r.value;
      });
    },
    requiresExactMatch(field) {
      return reqs.find((r) => r.field === field && r.operator !== '!=')?.value;
    },
    toString: () => reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(','),
  };
}

/**
 * The selector with each requirement's field replaced by `convert(field)` (upstream's fields.Selector.Transform):
 * `convert` throws when a field is not supported; the requirements are visited in their (sorted) order, so the
 * first unsupported field is the one reported.
 */
export function transformFieldSelector(sel: FieldSelector, convert: (field: string) => string): FieldSelector {
  let changed = false;
  const reqs = sel.requirements.map((r) => {
    const field = convert(r.field);
    if (field !== r.field) changed = true;
    return field === r.field ? r : { ...r, field };
  });
  if (!changed) return sel;
  return parseFieldSelector(reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(','));
}

/**
 * The values `sel` requires fields to equal (`f=v`, `f==v`), by field (the last, when one field is pinned twice: the
 * selector then matches nothing, whichever is kept). Watch caches keep their watchers by them.
 */
export function exactFieldValues(sel: FieldSelector): Record<string, string> {
  const exact: Record<string, string> = {};
  for (const r of sel.requirements) if (r.operator !== '!=') exact[r.field] = r.value;
  return exact;
}

/** The fields every resource can be selected by: `metadata.name`, and `metadata.namespace` for namespaced kinds. */
export function defaultSelectableFields(obj: { metadata?: { name?: string; namespace?: string } } | Record<string, unknown>, namespaced: boolean): Record<string, string> {
  const meta = ((obj as { metadata?: { name?: unknown; namespace?: unknown } }).metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const fields: Record<string, string> = { 'metadata.name': typeof meta.name === 'string' ? meta.name : '' };
  if (namespaced) fields['metadata.namespace'] = typeof meta.namespace === 'string' ? meta.namespace : '';
  return fields;
}
