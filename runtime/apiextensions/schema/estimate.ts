/**
 * Static cost estimates of `x-kubernetes-validations` rules, for the CRD validation at write time (upstream's
 * `StaticEstimatedCostLimit` per expression and `StaticEstimatedCRDCostLimit` per CRD, with its
 * `estimated rule cost exceeds budget by factor of ...` messages).
 *
 * An approximation of cel-go's estimator: every value's worst-case size comes from the schema (`maxLength`,
 * `maxItems`, `maxProperties`) or, where the schema sets no limit, from the largest request the server accepts
 * (3 MiB) divided by the value's smallest serialized size, as upstream does. A rule's cost is its worst-case
 * evaluation cost times the number of times it can run (the product of the limits of the lists and maps above it).
 * The estimate is kept on the low side where cel-go's details are not modelled, so a CRD upstream accepts is not
 * refused here; the obvious cases upstream refuses (a nested loop over an unbounded list, string functions on
 * unbounded strings inside unbounded lists) are refused the same way.
 */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { parseExpression } from '../../cel/index.ts';
import { additionalOf, itemsOf, type JSONSchemaProps } from './structural.ts';
import { withTypeAndObjectMeta } from './cel-values.ts';

/** Upstream's largest estimated cost of one expression. */
export const StaticEstimatedCostLimit = 10_000_000;
/** Upstream's largest estimated cost of all expressions of one CRD version's schema. */
export const StaticEstimatedCRDCostLimit = 100_000_000;
/** The request size limit upstream derives unbounded sizes from (3 MiB). */
const maxRequestSizeBytes = 3 * 1024 * 1024;

/** Sizes in JSON of the string formats CEL reads as durations and timestamps (upstream's apiserver/pkg/cel limits). */
const formatSizes: Record<string, { min: number; max: number }> = {
  duration: { min: 3, max: 32 },
  date: { min: 12, max: 12 },
  'date-time': { min: 21, max: 32 },
};

/**
 * The smallest serialized JSON size of a value of the schema (upstream's MinSerializedSize of its CEL declared type):
 * `""`, `false`, `0`, `[]`, and an object's braces with its required fields (`"name":` and their smallest values).
 */
function minSize(s: JSONSchemaProps | undefined): number {
  if (!s) return 1;
  if (s['x-kubernetes-int-or-string']) return 1;
  switch (s.type) {
    case 'string':
      return formatSizes[s.format ?? '']?.min ?? 2;
    case 'boolean':
      return 4;
    case 'integer':
    case 'number':
      return 1;
    case 'object': {
      if (additionalOf(s)) return 2;
      let size = 2;
      for (const name of s.required ?? []) {
        const p = s.properties && Object.hasOwn(s.properties, name) ? s.properties[name] : undefined;
        if (p) size += name.length + minSize(p) + 4;
      }
      return size;
    }
    default:
      return 2; // []
  }
}

/**
 * Worst-case number of elements (lists, maps) or bytes (strings) of a value, as upstream's SchemaDeclType sets
 * MaxElements: a string's maxLength counts runes, so four bytes each (a base64 `byte` string's counts bytes); a string
 * without one is as long as an enum member or a request allows; a list or map without a limit holds as many of its
 * smallest elements as a request can (`x,` per item, `"":x,` per map entry).
 */
export function maxSize(s: JSONSchemaProps | undefined): number {
  if (!s) return maxRequestSizeBytes;
  if (s.type === 'string') {
    const format = s['x-kubernetes-int-or-string'] ? undefined : formatSizes[s.format ?? ''];
    if (format) return format.max;
    if (s.maxLength !== undefined) return Math.max(0, s.maxLength) * (s.format === 'byte' ? 1 : 4);
    if (s.format !== 'byte' && Array.isArray(s.enum) && s.enum.length > 0) return Math.max(0, ...s.enum.map((v) => (typeof v === 'string' ? Buffer.byteLength(v) : 0)));
    return maxRequestSizeBytes - 2;
  }
  if (s.type === 'array') return s.maxItems ?? Math.floor((maxRequestSizeBytes - 2) / (minSize(itemsOf(s)) + 1));
  if (s.type === 'object') {
    if (s.maxProperties !== undefined) return s.maxProperties;
    if (additionalOf(s)) return Math.floor((maxRequestSizeBytes - 2) / (minSize(additionalOf(s)) + 6));
    // An object type has no MaxElements upstream (NewObjectType leaves it 0): comparing objects costs nothing more.
    return 0;
  }
  // Integers, numbers and booleans: upstream's IntType, DoubleType and BoolType have no MaxElements.
  if (isScalar(s)) return 0;
  return 1;
}

/** cel-go's size of a value it cannot bound (math.MaxUint64), kept within what a JS number counts exactly. */
const unboundedSize = Number.MAX_SAFE_INTEGER;

interface Est {
  cost: number;
  /** Characters of a string, elements of a list or map. */
  size: number;
  schema?: JSONSchemaProps;
}

const traversal = 0.1;
const regexTraversal = 0.25;

/** A size times a cost factor, rounded up as cel-go's SizeEstimate.MultiplyByCostFactor. */
const factor = (size: number, f: number): number => Math.ceil(size * f);

/**
 * The cost of a call charged by the size of its operands, in place of the 1 of any other call (cel-go v0.22.0
 * checker/cost.go functionCost, apiserver v0.32.0 library/cost.go EstimateCallCost): undefined for a call that
 * costs 1. The receiver, when there is one, is the first operand.
 */
function sizedCallCost(fn: string, target: Est | undefined, args: Est[]): { cost: number; size: number } | undefined {
  const first = target ?? args[0];
  const second = target ? args[0] : args[1];
  switch (fn) {
    case '_==_':
    case '_!=_':
      // Any two values: the smaller of their sizes (0 for a scalar field, 1 for a scalar literal).
      return { cost: factor(Math.min(first?.size ?? 1, second?.size ?? 1), traversal), size: 1 };
    case '_<_':
    case '_<=_':
    case '_>_':
    case '_>=_':
      if (first?.schema?.type !== 'string' && second?.schema?.type !== 'string') return undefined;
      return { cost: factor(Math.min(first.size, second.size), traversal), size: 1 };
    case '_+_': {
      // Strings and bytes (lists are told apart by the caller): the result's length.
      const size = (first?.size ?? 0) + (second?.size ?? 0);
      return { cost: factor(size, traversal), size };
    }
    case 'startsWith':
    case 'endsWith':
      // Only the prefix or suffix is compared.
      return target ? { cost: factor(second?.size ?? 0, traversal), size: 1 } : undefined;
    case 'contains':
      return target ? { cost: factor(target.size, traversal) * factor(second?.size ?? 0, traversal), size: 1 } : undefined;
    case 'matches':
    case 'find':
    case 'findAll':
      if (!first) return undefined;
      return { cost: factor(first.size + 1, traversal) * factor(second?.size ?? 0, regexTraversal), size: fn === 'matches' ? 1 : first.size };
    case 'lowerAscii':
    case 'upperAscii':
    case 'trim':
    case 'substring':
    case 'indexOf':
    case 'lastIndexOf':
      // indexOf and lastIndexOf of a list are the lists library's: charged per element.
      if (!target || target.schema?.type === 'array') return undefined;
      return { cost: factor(target.size, traversal), size: target.size };
    case 'replace':
    case 'split':
      return target ? { cost: factor(target.size, 2 * traversal), size: target.size } : undefined;
    case 'validate':
      // A named format's check, estimated as a match against a pattern of MaxNameFormatRegexSize (128) whatever
      // the format (apiserver v0.32.0 library/cost.go EstimateCallCost; the run-time cost uses the format's own).
      return target ? { cost: factor(factor(second?.size ?? 0, traversal), maxNameFormatRegexSize * regexTraversal), size: 1 } : undefined;
  }
  return undefined;
}

/** apiserver v0.32.0 pkg/cel/limits.go. */
const maxNameFormatRegexSize = 128;

/**
 * A map's keys as the estimator sizes them: upstream declares them with the shared StringType, whose MaxElements is
 * 0 (apiserver v0.32.0 pkg/cel/common/schemas.go NewMapType(StringType, ...), types.go), so a key (the `@keys` path
 * of a variable over a map) is sized 0 whatever the map holds.
 */
const mapKeySchema: JSONSchemaProps = { type: 'string', maxLength: 0 };

function elementSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!s) return undefined;
  if (s.type === 'array') return itemsOf(s);
  if (s.type === 'object') return mapKeySchema; // iterating a map yields its keys
  return undefined;
}

function isScalar(s: JSONSchemaProps | undefined): boolean {
  return s?.type === 'integer' || s?.type === 'number' || s?.type === 'boolean';
}

/** Selecting `field` of the operand: one more than the operand. */
function selectCost(operand: Est, field: string): Est {
  const os = operand.schema;
  const declared = os?.properties && Object.hasOwn(os.properties, field);
  const fs = declared ? os.properties![field] : additionalOf(os);
  // A map's entry read as a field has no path upstream's size estimator follows: a scalar there is sized 1 (cel-go's
  // fallback for scalars), not the 0 of a declared scalar field.
  const size = !declared && isScalar(fs) ? 1 : maxSize(fs);
  return { cost: operand.cost + 1, size, schema: fs };
}

/** The schema of the rule's own node in a scope (no CEL name can be this). */
const rootKey = '@root';

function estimate(e: Expr | undefined, scope: Map<string, JSONSchemaProps | undefined>): Est {
  if (!e) return { cost: 0, size: 0 };
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr': {
      const c = k.value.constantKind;
      return { cost: 0, size: c.case === 'stringValue' ? c.value.length : c.case === 'bytesValue' ? c.value.length : 1 };
    }
    case 'identExpr': {
      const s = scope.get(k.value.name);
      return { cost: 1, size: scope.has(k.value.name) ? maxSize(s) : 1, schema: s };
    }
    case 'selectExpr':
      return selectCost(estimate(k.value.operand, scope), k.value.field);
    case 'listExpr': {
      const parts = k.value.elements.map((x) => estimate(x, scope));
      return { cost: parts.reduce((a, p) => a + p.cost, 0) + 10, size: parts.length };
    }
    case 'structExpr': {
      let cost = 30;
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') cost += estimate(en.keyKind.value, scope).cost;
        cost += estimate(en.value, scope).cost;
      }
      return { cost, size: k.value.entries.length };
    }
    case 'comprehensionExpr': {
      const c = k.value;
      const range = estimate(c.iterRange, scope);
      const inner = new Map(scope);
      if (!c.iterVar2) inner.set(c.iterVar, elementSchema(range.schema));
      else {
        // cel-go's pushIterKey / pushIterValue: a list's index (an int) or a map's key, then the element or value.
        inner.set(c.iterVar, range.schema?.type === 'array' ? { type: 'integer' } : elementSchema(range.schema));
        inner.set(c.iterVar2, additionalOf(range.schema) ?? itemsOf(range.schema));
      }
      inner.set(c.accuVar, undefined);
      const init = estimate(c.accuInit, inner);
      const step = estimate(c.loopStep, inner).cost + estimate(c.loopCondition, inner).cost;
      const result = estimate(c.result, inner);
      // cel-go gives a comprehension's result the range's size and no field path, so what is read from it (a
      // variable over it, an index into it) has the path `@items` alone, which the CRD size estimator resolves to
      // the rule's own schema: elements of a map() or transformList() result are sized as `self`.
      const root = scope.get(rootKey);
      return { cost: range.cost + init.cost + range.size * step + result.cost, size: range.size, schema: { type: 'array', ...(root && { items: root }) } };
    }
    case 'callExpr': {
      const call = k.value;
      const target = call.target ? estimate(call.target, scope) : undefined;
      const args = call.args.map((a) => estimate(a, scope));
      let cost = (target?.cost ?? 0) + args.reduce((a, x) => a + x.cost, 0);
      const fn = call.function;
      // && and || cost their operands (the worst case evaluates both), ?: its condition and dearer branch (both here).
      if (fn === '_&&_' || fn === '_||_' || fn === '_?_:_') return { cost, size: 1 };
      const lists = fn === '_+_' && (call.args.some((a) => a.exprKind.case === 'listExpr') || args.some((x) => x.schema?.type === 'array'));
      const sized = lists ? undefined : sizedCallCost(fn, target, args);
      if (sized) return { cost: cost + sized.cost, size: sized.size };
      cost += 1;
      let size = 1;
      if (fn === 'string' && !target && args[0]?.schema?.type === 'string') {
        // cel-go gives string() of a string no result size, so what uses the result (a concatenation) is costed as
        // over a string of unbounded size (upstream's "messageExpression exceeding per-CRD estimated cost limit"
        // case); string() of a number is not, as CRDs upstream accepts concatenate it.
        size = unboundedSize;
      } else if (fn === '_+_') {
        // Concatenating lists costs 1 in cel-go (the map and filter macros append to their result each step).
        size = args.reduce((a, x) => a + x.size, 0);
      } else if (fn === '_?._') {
        // An optional selection (`a.?b`) costs as a selection.
        const field = call.args[1]?.exprKind.case === 'constExpr' ? String(call.args[1].exprKind.value.constantKind.value) : '';
        return selectCost(args[0], field);
      } else if (fn === '_[_]' || fn === '_[?_]') {
        const s = elementSchema(args[0]?.schema) && args[0]?.schema?.type === 'array' ? itemsOf(args[0].schema) : additionalOf(args[0]?.schema);
        return { cost, size: maxSize(s), schema: s };
      }
      return { cost, size };
    }
    default:
      return { cost: 0, size: 0 };
  }
}

/** The worst-case cost of one evaluation of an expression with `self` (and `oldSelf`) of the given schema. */
export function estimateExpressionCost(expression: string, self: JSONSchemaProps, isRoot = false): number | undefined {
  const { parsed } = parseExpression(expression);
  if (!parsed) return undefined;
  const s = isRoot || self['x-kubernetes-embedded-resource'] ? withTypeAndObjectMeta(self) : self;
  const scope = new Map<string, JSONSchemaProps | undefined>([
    ['self', s],
    ['oldSelf', s],
    [rootKey, s],
  ]);
  return Math.ceil(estimate(parsed.expr, scope).cost);
}

export interface RuleCost {
  /** Path of the schema node, as CRD validation names it (`openAPIV3Schema.properties[spec]`). */
  path: string;
  index: number;
  field: 'rule' | 'messageExpression';
  /** Estimated cost of one evaluation times the number of times the rule can run for one object. */
  cost: number;
}

/** Estimated costs of every rule and messageExpression of a schema. */
export function estimateRuleCosts(schema: JSONSchemaProps): RuleCost[] {
  const out: RuleCost[] = [];
  const walk = (s: JSONSchemaProps | undefined, path: string, cardinality: number, root: boolean) => {
    if (!s) return;
    (s['x-kubernetes-validations'] ?? []).forEach((rule, index) => {
      const rc = estimateExpressionCost(rule.rule, s, root);
      if (rc !== undefined) out.push({ path, index, field: 'rule', cost: Math.min(Number.MAX_SAFE_INTEGER, rc * cardinality) });
      if (rule.messageExpression) {
        const mc = estimateExpressionCost(rule.messageExpression, s, root);
        if (mc !== undefined) out.push({ path, index, field: 'messageExpression', cost: Math.min(Number.MAX_SAFE_INTEGER, mc * cardinality) });
      }
    });
    for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, `${path}.properties[${k}]`, cardinality, false);
    if (additionalOf(s)) walk(additionalOf(s), `${path}.additionalProperties`, cardinality * maxSize(s), false);
    if (itemsOf(s)) walk(itemsOf(s), `${path}.items`, cardinality * maxSize(s), false);
  };
  walk(schema, 'openAPIV3Schema', 1, true);
  return out;
}

/** Go's %f (six decimals) and %.1f, as upstream's getCostErrorMessage formats the factor. */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const f = cost / limit;
  const factor = f > 100 ? 'more than 100x' : f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/** The Forbidden detail for one rule or messageExpression over StaticEstimatedCostLimit, if it is. */
export function expressionCostError(field: RuleCost['field'], cost: number): string | undefined {
  if (cost <= StaticEstimatedCostLimit) return undefined;
  return costErrorMessage(field === 'rule' ? 'estimated rule cost' : 'estimated messageExpression cost', cost, StaticEstimatedCostLimit);
}

/**
 * When the expressions of a schema together (each at its full path) are over StaticEstimatedCRDCostLimit: an error
 * on each of the (at most four) most expensive ones that contributed at least 1% of it, then one on the schema
 * (`rootPath`), as upstream's TotalCost reports them.
 */
export function totalCostErrors(observed: Array<{ path: string; cost: number }>, rootPath: string): Array<{ path: string; detail: string }> {
  const total = observed.reduce((sum, o) => sum + o.cost, 0);
  if (total <= StaticEstimatedCRDCostLimit) return [];
  const expensive = observed.filter((o) => o.cost >= StaticEstimatedCRDCostLimit / 100).sort((a, b) => b.cost - a.cost);
  return [
    ...expensive.slice(0, 4).map((e) => ({ path: e.path, detail: 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema' })),
    { path: rootPath, detail: costErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total, StaticEstimatedCRDCostLimit) },
  ];
}

/** Where a cost is reported: `<node>.x-kubernetes-validations[<i>].<field>`. */
export const ruleCostPath = (c: Pick<RuleCost, 'path' | 'index' | 'field'>): string => `${c.path}.x-kubernetes-validations[${c.index}].${c.field}`;

/**
 * The cost errors of a schema's rules as upstream's CRD validation reports them, each a Forbidden field error:
 * on a rule or messageExpression over StaticEstimatedCostLimit, then the total's (see totalCostErrors). Paths are
 * relative to the version's `schema`.
 */
export function ruleCostErrors(schema: JSONSchemaProps): Array<{ path: string; detail: string }> {
  const costs = estimateRuleCosts(schema).map((c) => ({ path: ruleCostPath(c), field: c.field, cost: c.cost }));
  const perExpression = costs.flatMap((c) => {
    const detail = expressionCostError(c.field, c.cost);
    return detail ? [{ path: c.path, detail }] : [];
  });
  return [...perExpression, ...totalCostErrors(costs, 'openAPIV3Schema')];
}
