/**
 * `x-kubernetes-validations` (upstream's `apiextensions-apiserver/pkg/apiserver/schema/cel`): each rule is
 * compiled once with the server's CEL engine (`self`, and `oldSelf` for transition rules) and evaluated where
 * its schema applies, in document order, with upstream's limits — a per-expression cost limit (PerCallLimit)
 * and one budget for all rules of an object (RuntimeCELCostBudget) — and upstream's messages when they run out.
 *
 * Transition rules (those that read `oldSelf`) run only on updates, where the old object has a value at the
 * same place: the same property or map key, or for `x-kubernetes-list-type: map` the item with the same keys.
 * On updates, a failing rule that does not read `oldSelf` on a value that did not change becomes a warning
 * (upstream's validation ratcheting), so objects stored before a rule was added stay updatable.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { compile, environmentFor, evaluate, optionalNone, optionalOf, PerCallLimit, RuntimeCELCostBudget, type EnvironmentType, type FieldSchema, type Program } from '../../cel/index.ts';
import { celFieldSchema, toCel, withTypeAndObjectMeta } from './cel-values.ts';
import { Correlation, makeMapList } from './correlation.ts';
import { fieldPath } from './listtype.ts';
import { additionalOf, deepEqualJSON, isObject, itemsOf, type JSONSchemaProps, type ValidationRule } from './structural.ts';

/** Upstream's limit on an evaluated messageExpression (celconfig.MaxEvaluatedMessageExpressionSizeBytes). */
const maxMessageBytes = 5 * 1024;

export interface CelLimits {
  /** Cost at which one expression is stopped (PerCallLimit, 1 000 000). */
  perCallLimit?: number;
  /** Cost all rules of one object may spend together (RuntimeCELCostBudget, 10 000 000). */
  runtimeCostBudget?: number;
}

export interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  /** `rule compile error: ...` at evaluation, as upstream reports a stored rule that does not compile. */
  error?: string;
  message?: Program;
  messageError?: string;
  usesOldSelf: boolean;
  /** The rule's `fieldPath`, normalised (`.spec.x` -> `spec.x`, `['a.b']` -> `a.b`). */
  fieldPath?: string;
}

interface CelNode {
  schema: JSONSchemaProps;
  type: string;
  root: boolean;
  rules: CompiledRule[];
  props?: Map<string, CelNode>;
  additional?: CelNode;
  items?: CelNode;
  allOf: CelNode[];
}

/** Whether an expression reads `oldSelf` (string literals aside). */
function readsOldSelf(expr: string): boolean {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return /(^|[^\w.])oldSelf\b/.test(code);
}

/** upstream's ValidFieldPath: `.a.b`, `['a.b']`, map keys; returns the field path or undefined when invalid. */
export function normalizeFieldPath(jsonPath: string, schema: JSONSchemaProps): string | undefined {
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  const re = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/y;
  let pos = 0;
  while (pos < jsonPath.length) {
    re.lastIndex = pos;
    const m = re.exec(jsonPath);
    if (!m || !s) return undefined;
    pos = re.lastIndex;
    const name = m[1] ?? m[2].replace(/\\(.)/g, '$1');
    if (s.properties) {
      if (!Object.hasOwn(s.properties, name)) return undefined;
      out = fieldPath.child(out, name);
      s = s.properties[name];
    } else if (additionalOf(s)) {
      out = fieldPath.key(out, name);
      s = additionalOf(s);
    } else return undefined;
  }
  return out;
}

/**
 * Which CEL environment a rule and a messageExpression compile with (upstream's EnvLoader): the custom resource
 * validator runs stored rules, with every library; CRD validation compiles new text with the compatibility
 * version's libraries.
 */
export interface CelEnvLoader {
  rule(expression: string): EnvironmentType;
  messageExpression(expression: string): EnvironmentType;
}

export const storedExpressionsEnvLoader: CelEnvLoader = { rule: () => 'StoredExpressions', messageExpression: () => 'StoredExpressions' };

/** The rules and messageExpressions a CRD already had, anywhere in its schemas (upstream's preexistingExpressions). */
export interface PreexistingExpressions {
  rules: ReadonlySet<string>;
  messageExpressions: ReadonlySet<string>;
}

/** For a CRD being written: text the stored CRD already had compiles as stored, the rest as new (nothing on create). */
export function preexistingExpressionsEnvLoader(pre: PreexistingExpressions | undefined): CelEnvLoader {
  return { rule: (e) => environmentFor(e, pre?.rules), messageExpression: (e) => environmentFor(e, pre?.messageExpressions) };
}

/**
 * The name of the object type of a rule's `self` (and `oldSelf`): upstream's compilation.go names it `selfType` and
 * the nanoseconds of the clock at each compile, so messages that print object types (`found no matching overload for
 * '_==_' applied to '(selfType123.a, selfType123.b)'`) differ from run to run. One name per process here keeps the
 * compiled rules cacheable.
 */
const selfTypeName = `selfType${process.hrtime()[1]}`;

/**
 * Compiles one rule of the node `schema` (`root`: the version's top-level schema): at evaluation and, through
 * the CRD validation, at write time, so both see the same types (formats included).
 */
export function compileRule(rule: ValidationRule, schema: JSONSchemaProps, root: boolean, envs: CelEnvLoader = storedExpressionsEnvLoader): CompiledRule {
  const usesOldSelf = readsOldSelf(rule.rule);
  const out: CompiledRule = { rule, usesOldSelf };
  if (rule.rule.trim() === '') return out;
  const self = { ...celFieldSchema(root || schema['x-kubernetes-embedded-resource'] ? withTypeAndObjectMeta(schema) : schema), objectTypeName: selfTypeName };
  // With optionalOldSelf, oldSelf is an optional of the old value (optional.none() on create), of self's type.
  const decl: { variables: Record<string, string>; schemas: Record<string, FieldSchema> } = {
    variables: { self: 'dyn', oldSelf: rule.optionalOldSelf ? 'optional_type' : 'dyn' },
    schemas: { self, oldSelf: self },
  };
  const r = compile(rule.rule, { ...decl, resultKinds: ['bool'], environment: envs.rule(rule.rule) });
  if (r.error) out.error = r.error.startsWith('must evaluate to') ? 'cel expression must evaluate to a bool' : r.error.startsWith('program instantiation failed') ? r.error : `compilation failed: ${r.error}`;
  else out.program = r.program;
  if (rule.messageExpression) {
    const m = compile(rule.messageExpression, { ...decl, resultKinds: ['string'], environment: envs.messageExpression(rule.messageExpression) });
    if (m.error) out.messageError = m.error.startsWith('must evaluate to') ? 'messageExpression must evaluate to a string' : `messageExpression compilation failed: ${m.error}`;
    else out.message = m.program;
  }
  if (rule.fieldPath) out.fieldPath = normalizeFieldPath(rule.fieldPath, schema);
  return out;
}

/** Compiles the rules of a schema tree; undefined when no rule applies anywhere below. */
export function compileCelNode(s: JSONSchemaProps | undefined, root = false): CelNode | undefined {
  if (!s) return undefined;
  const rules = (s['x-kubernetes-validations'] ?? []).map((r) => compileRule(r, s, root));
  let props: Map<string, CelNode> | undefined;
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const n = compileCelNode(p);
    if (n) (props ??= new Map()).set(k, n);
  }
  const additional = compileCelNode(additionalOf(s));
  const items = compileCelNode(itemsOf(s));
  const allOf = (s.allOf ?? []).map((a) => compileCelNode({ ...a, type: s.type })).filter((n): n is CelNode => !!n);
  if (rules.length === 0 && !props && !additional && !items && allOf.length === 0) return undefined;
  return { schema: s, type: s.type ?? '', root, rules, props, additional, items, allOf };
}

/** Every compile error of the rules in a schema, with the path of the rule (for CRD validation). */
export function ruleCompileErrors(s: JSONSchemaProps): Array<{ path: string; index: number; field: 'rule' | 'messageExpression'; error: string }> {
  const out: Array<{ path: string; index: number; field: 'rule' | 'messageExpression'; error: string }> = [];
  const walk = (node: JSONSchemaProps | undefined, path: string, root: boolean) => {
    if (!node) return;
    (node['x-kubernetes-validations'] ?? []).forEach((rule, index) => {
      const c = compileRule(rule, node, root);
      if (c.error) out.push({ path, index, field: 'rule', error: c.error });
      if (c.messageError) out.push({ path, index, field: 'messageExpression', error: c.messageError });
    });
    for (const [k, p] of Object.entries(node.properties ?? {})) walk(p, `${path}.properties[${k}]`, false);
    walk(additionalOf(node), `${path}.additionalProperties`, false);
    walk(itemsOf(node), `${path}.items`, false);
  };
  walk(s, 'openAPIV3Schema', true);
  return out;
}

interface State {
  budget: number;
  perCall: number;
  stopped: boolean;
  errs: FieldError[];
  warnings: string[] | undefined;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

function errorForReason(field: string, value: unknown, detail: string, reason: string | undefined): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field, badValue: value };
    default:
      return { type: 'FieldValueInvalid', field, badValue: value, detail };
  }
}

function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue: value, detail };
}

/** Renders a field error as upstream's warning text (`spec.x: Invalid value: ...`). */
function warningText(e: FieldError): string {
  const v = e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' ? '' : `: ${JSON.stringify(e.badValue)}`;
  const reason = { FieldValueInvalid: 'Invalid value', FieldValueForbidden: 'Forbidden', FieldValueRequired: 'Required value', FieldValueDuplicate: 'Duplicate value' }[e.type as string] ?? e.type;
  return `${e.field}: ${reason}${v}${e.detail ? `: ${e.detail}` : ''}`;
}

function evalMessage(rule: CompiledRule, activation: Record<string, unknown>, st: State, field: string, type: string): string | undefined | 'stop' {
  const r = evaluate(rule.message!, activation, { costLimit: st.perCall });
  if (r.cost > st.budget) {
    st.errs.push(invalid(field, type, 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run'));
    return 'stop';
  }
  if (r.error && r.costExceeded) {
    st.errs.push(invalid(field, type, `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.rule.messageExpression)}`));
    return 'stop';
  }
  st.budget -= r.cost;
  if (r.error || typeof r.value !== 'string') return undefined;
  const msg = r.value.trim();
  if (msg.length === 0 || Buffer.byteLength(msg) > maxMessageBytes || /\n/.test(msg)) return undefined;
  return msg;
}

function validateExpressions(node: CelNode, fldPath: string, obj: unknown, old: unknown, hasOld: boolean, ratchet: LazyRatchet, st: State): void {
  if (node.rules.length === 0) return;
  const type = node.type;
  // Upstream's root field path is a nil *field.Path, which prints as "<nil>".
  const path = fldPath || '<nil>';
  if (st.budget <= 0) {
    st.errs.push(invalid(path, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
    st.stopped = true;
    return;
  }
  const activation: Record<string, unknown> = { self: toCel(obj, node.schema, node.root) };
  if (hasOld) activation.oldSelf = toCel(old, node.schema, node.root);
  let optionalActivation: Record<string, unknown> | undefined;
  for (const rule of node.rules) {
    if (rule.error) {
      st.errs.push(invalid(path, type, `rule compile error: ${rule.error}`));
      continue;
    }
    if (!rule.program) continue;
    const optionalOldSelf = rule.rule.optionalOldSelf === true;
    if (rule.usesOldSelf && !hasOld && !optionalOldSelf) continue;
    const ruleActivation = optionalOldSelf
      ? (optionalActivation ??= { self: activation.self, oldSelf: hasOld ? optionalOf(activation.oldSelf as never) : optionalNone })
      : activation;
    const r = evaluate(rule.program, ruleActivation, { costLimit: st.perCall });
    if (r.cost > st.budget) {
      st.errs.push(invalid(path, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
      st.stopped = true;
      return;
    }
    st.budget -= r.cost;
    if (r.error !== undefined) {
      if (r.costExceeded) {
        st.errs.push(invalid(path, type, `'${r.error}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule.rule)}`));
        st.stopped = true;
        return;
      }
      if (r.error.startsWith('no such overload')) {
        st.errs.push(invalid(path, type, `'${r.error}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule.rule)}`));
      } else st.errs.push(invalid(path, type, `${r.error} evaluating rule: ${ruleErrorString(rule.rule)}`));
      continue;
    }
    if (r.value === true) continue;
    const field = rule.fieldPath ? fieldPath.child(fldPath, rule.fieldPath) : path;
    let detail = ruleMessageOrDefault(rule.rule);
    if (rule.message) {
      const m = evalMessage(rule, activation, st, field, type);
      if (m === 'stop') {
        st.stopped = true;
        return;
      }
      if (m !== undefined) detail = m;
    }
    const e = errorForReason(field, type, detail, rule.rule.reason);
    if (!rule.usesOldSelf && shouldRatchet(ratchet)) st.warnings?.push(warningText(e));
    else st.errs.push(e);
  }
}

/**
 * Where a node stands for ratcheting (upstream's ratchetingOptions): its own correlation with the old object, or,
 * where that chain broke (an item of a list that does not correlate, a new field), the nearest ancestor that had
 * one. A failing rule ratchets when that correlation is unchanged.
 */
interface Ratchet {
  current?: Correlation;
  parent?: Correlation;
}

/**
 * A node's Ratchet, worked out only when one of its rules fails (most updates never ask): the step from its
 * parent's (a field name, an index, or null for an allOf branch).
 */
interface LazyRatchet {
  from?: LazyRatchet;
  step?: string | number | null;
  done?: Ratchet;
}

function resolve(r: LazyRatchet): Ratchet {
  if (r.done) return r.done;
  const p = resolve(r.from!);
  let out: Ratchet;
  if (r.step === null) out = { parent: p.parent };
  else if (!p.current) out = p;
  else if (typeof r.step === 'number') out = { current: p.current.index(r.step), parent: p.current };
  // The root's apiVersion and kind never ratchet: both sides carry the version being served.
  else if (!p.parent && (r.step === 'apiVersion' || r.step === 'kind')) out = {};
  else out = { current: p.current.key(r.step!), parent: p.current };
  return (r.done = out);
}

function shouldRatchet(r: LazyRatchet): boolean {
  const { current, parent } = resolve(r);
  return (current ?? parent)?.unchanged() === true;
}

function validateNode(node: CelNode, path: string, obj: unknown, old: unknown, hasOld: boolean, ratchet: LazyRatchet, st: State): void {
  if (obj === null || obj === undefined || st.stopped) return;
  if (hasOld && (old === null || old === undefined)) hasOld = false;
  validateExpressions(node, path, obj, old, hasOld, ratchet, st);
  if (st.stopped) return;
  // allOf's rules ratchet on the parent's correlation, not this node's (as upstream, which gives allOf none).
  for (const a of node.allOf) {
    validateNode(a, path, obj, old, hasOld, { from: ratchet, step: null }, st);
    if (st.stopped) return;
  }
  if (Array.isArray(obj)) {
    if (!node.items) return;
    // oldSelf of a list item: only `x-kubernetes-list-type: map` items have one, the old item with the same keys.
    const oldItem = makeMapList(node.schema, hasOld ? old : undefined);
    for (let i = 0; i < obj.length; i++) {
      const o = oldItem(obj[i]);
      validateNode(node.items, fieldPath.index(path, i), obj[i], o, o !== undefined, { from: ratchet, step: i }, st);
      if (st.stopped) return;
    }
  } else if (isObject(obj)) {
    const oldMap = hasOld && isObject(old) ? old : undefined;
    if (node.additional) {
      for (const [k, v] of Object.entries(obj)) {
        if (node.schema.properties && Object.hasOwn(node.schema.properties, k)) continue;
        const found = !!oldMap && Object.hasOwn(oldMap, k);
        validateNode(node.additional, fieldPath.key(path, k), v, oldMap?.[k], found, { from: ratchet, step: k }, st);
        if (st.stopped) return;
      }
    }
    if (node.props) {
      for (const [k, v] of Object.entries(obj)) {
        const child = node.props.get(k);
        if (!child) continue;
        const found = !!oldMap && Object.hasOwn(oldMap, k);
        validateNode(child, fieldPath.child(path, k), v, oldMap?.[k], found, { from: ratchet, step: k }, st);
        if (st.stopped) return;
      }
    }
  }
}

/**
 * A compiled rule set for a whole object; `validate` returns the rule errors and collects ratchet warnings.
 * `resourceRoot` is false for a schema below a resource's root (a `default` checked against its own node).
 */
export function compileRules(schema: JSONSchemaProps, limits: CelLimits = {}, resourceRoot = true) {
  const root = compileCelNode(schema, resourceRoot);
  const perCall = limits.perCallLimit ?? PerCallLimit;
  const budget = limits.runtimeCostBudget ?? RuntimeCELCostBudget;
  return {
    hasRules: root !== undefined,
    /**
     * With `old` (an update) transition rules run; with `correlation` (ratcheting, shared with the schema's
     * validation as upstream shares it) failing rules on unchanged values become `warnings`.
     */
    validate(obj: unknown, old?: unknown, warnings?: string[], prefix = '', correlation?: Correlation): FieldError[] {
      if (!root) return [];
      const st: State = { budget, perCall, stopped: false, errs: [], warnings };
      validateNode(root, prefix, obj, old, old !== undefined && old !== null, { done: { current: correlation } }, st);
      return st.errs;
    },
  };
}
