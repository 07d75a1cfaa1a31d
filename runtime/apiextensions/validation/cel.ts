/**
 * Compiling a schema node's `x-kubernetes-validations` rules with the server's CEL engine (runtime/cel), as
 * upstream's `pkg/apiserver/schema/cel` does at CRD write time: `self` is the node's value, typed by the node's
 * schema (so an undefined field is a compile error), `oldSelf` the previous value for transition rules. The error
 * texts are upstream's (`compilation failed: ERROR: <input>:1:5: ...`, `cel expression must evaluate to a bool`).
 *
 * Exported for the custom resource validator, which evaluates the same compiled programs.
 */
import { compile, type FieldSchema, type Kind, type Program } from '../../cel/index.ts';
import { isObject, propertyEntries, type Schema } from './paths.ts';

/** The CEL kind of a value a schema node describes. */
export function celKindOf(s: Schema): Kind {
  if (s['x-kubernetes-int-or-string'] === true) return 'dyn';
  switch (s.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'list';
    case 'object':
      return s['x-kubernetes-preserve-unknown-fields'] === true && !isObject(s.properties) && !isObject(s.additionalProperties) ? 'dyn' : 'map';
    default:
      return 'dyn';
  }
}

/**
 * The type information CEL checks field accesses against. At the root and in embedded resources, `apiVersion`,
 * `kind` and `metadata` (only `name` and `generateName`) are always there, as upstream declares them.
 */
export function celFieldSchema(s: Schema, isResource = false): FieldSchema {
  const out: FieldSchema = {};
  if (typeof s.type === 'string' && s.type) out.type = s.type;
  if (s['x-kubernetes-int-or-string'] === true) out['x-kubernetes-int-or-string'] = true;
  if (s['x-kubernetes-preserve-unknown-fields'] === true) out['x-kubernetes-preserve-unknown-fields'] = true;
  const props = propertyEntries(s);
  const resource = isResource || s['x-kubernetes-embedded-resource'] === true;
  if (props.length || resource) {
    out.properties = {};
    for (const [k, v] of props) out.properties[k] = celFieldSchema(v);
    if (resource) {
      out.properties.apiVersion = { type: 'string' };
      out.properties.kind = { type: 'string' };
      out.properties.metadata = { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } };
      out.type ??= 'object';
    }
  }
  if (isObject(s.additionalProperties)) out.additionalProperties = celFieldSchema(s.additionalProperties as Schema);
  if (isObject(s.items)) out.items = celFieldSchema(s.items as Schema);
  return out;
}

export interface CompiledRule {
  /** Set when the rule does not compile: upstream's detail for the field error on `rule`. */
  error?: string;
  /** Set when `messageExpression` does not compile. */
  messageExpressionError?: string;
  /** The rule refers to `oldSelf` (a transition rule). */
  usesOldSelf: boolean;
  program?: Program;
  messageProgram?: Program;
}

export interface RuleInput {
  rule?: unknown;
  messageExpression?: unknown;
  optionalOldSelf?: unknown;
}

const referencesOldSelf = /(^|[^\w.])oldSelf\b/;

/** Compiles one rule of `x-kubernetes-validations` on the node `s` (`isRoot`: the CRD's top-level schema). */
export function compileRule(rule: RuleInput, s: Schema, isRoot: boolean): CompiledRule {
  const kind = celKindOf(s);
  const schema = celFieldSchema(s, isRoot);
  const expression = typeof rule.rule === 'string' ? rule.rule : '';
  const optionalOldSelf = rule.optionalOldSelf === true;
  const variables: Record<string, Kind> = { self: kind, oldSelf: optionalOldSelf ? 'dyn' : kind };
  const schemas: Record<string, FieldSchema> = optionalOldSelf ? { self: schema } : { self: schema, oldSelf: schema };
  const out: CompiledRule = { usesOldSelf: referencesOldSelf.test(expression) };
  const r = compile(expression, { variables, schemas, resultKinds: ['bool'] });
  if (r.error) {
    // An optional oldSelf is an optional value (`oldSelf.hasValue()`, `oldSelf.value()`), which our checker does not
    // know as a type: those calls are not errors.
    const optionalCallsOnly = optionalOldSelf && /undeclared reference to '(hasValue|value|orValue|optMap|optFlatMap)'/.test(r.error) && !/undefined field|Syntax error/.test(r.error);
    if (!optionalCallsOnly) out.error = r.error.startsWith('must evaluate to') ? 'cel expression must evaluate to a bool' : `compilation failed: ${r.error}`;
  } else out.program = r.program;
  if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim() !== '') {
    const m = compile(rule.messageExpression, { variables, schemas, resultKinds: ['string'] });
    if (m.error) out.messageExpressionError = m.error.startsWith('must evaluate to') ? 'messageExpression must evaluate to a string' : `messageExpression compilation failed: ${m.error}`;
    else out.messageProgram = m.program;
  }
  return out;
}
