/**
 * Which requests an admission policy (and its binding) applies to: `matchResources` with resource rules,
 * exclusions, namespace and object selectors and matchPolicy, as upstream's policy/matching package.
 */
import { labelSelectorFromObject, type LabelSelectorObject } from '../../machinery/selectors.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionAttributes } from '../types.ts';

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
  resourceNames?: string[];
}

export interface MatchResources {
  namespaceSelector?: LabelSelectorObject;
  objectSelector?: LabelSelectorObject;
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
  matchPolicy?: 'Exact' | 'Equivalent';
}

function anyOf(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

/** `resources` entries: `res`, `res/sub`, `*`, `*\/*`, `res/*`, `*\/sub`. */
function resourceMatches(list: string[] | undefined, resource: string, subresource: string): boolean {
  for (const r of list ?? []) {
    const [res, sub] = r.split('/', 2);
    if (sub === undefined) {
      if ((res === '*' || res === resource) && subresource === '') return true;
      continue;
    }
    if ((res === '*' || res === resource) && (sub === '*' || sub === subresource)) return true;
  }
  return false;
}

/** Whether one rule matches the request (`ignoreVersion` for matchPolicy Equivalent). */
export function ruleMatches(rule: RuleWithOperations, attrs: AdmissionAttributes, ignoreVersion = false): boolean {
  if (!anyOf(rule.operations, attrs.operation)) return false;
  if (!anyOf(rule.apiGroups, attrs.resource.group)) return false;
  if (!ignoreVersion && !anyOf(rule.apiVersions, attrs.resource.version)) return false;
  if (!resourceMatches(rule.resources, attrs.resource.resource, attrs.subresource)) return false;
  const scope = rule.scope ?? '*';
  const namespaced = attrs.kind.scope === 'Namespaced';
  if (scope === 'Cluster' && namespaced) return false;
  if (scope === 'Namespaced' && !namespaced) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(attrs.name)) return false;
  return true;
}

function rulesMatch(rules: RuleWithOperations[] | undefined, attrs: AdmissionAttributes, equivalent: boolean): boolean {
  return (rules ?? []).some((r) => ruleMatches(r, attrs) || (equivalent && ruleMatches(r, attrs, true)));
}

function labelsOf(obj: StoredObject | undefined): Record<string, string> {
  return (obj?.metadata?.labels as Record<string, string> | undefined) ?? {};
}

export interface MatchContext {
  /** The request's namespace object (undefined for cluster-scoped requests or a namespace that does not exist). */
  namespace?: StoredObject;
}

/**
 * Whether `mr` matches the request. `requireRules`: a policy's matchConstraints match nothing without resource
 * rules; a binding's matchResources without rules match whatever the policy matches.
 */
export function matchesResources(mr: MatchResources | undefined, attrs: AdmissionAttributes, ctx: MatchContext, requireRules: boolean): boolean {
  if (!mr) return !requireRules;
  // Namespace selector: cluster-scoped objects match, except namespaces, which are matched by their own labels.
  if (mr.namespaceSelector && Object.keys(mr.namespaceSelector).length > 0) {
    const isNamespace = attrs.resource.group === '' && attrs.resource.resource === 'namespaces';
    if (isNamespace) {
      const labels = labelsOf(attrs.object ?? attrs.oldObject);
      if (!labelSelectorFromObject(mr.namespaceSelector).matches(labels)) return false;
    } else if (attrs.namespace) {
      if (!labelSelectorFromObject(mr.namespaceSelector).matches(labelsOf(ctx.namespace))) return false;
    }
  }
  if (mr.objectSelector && Object.keys(mr.objectSelector).length > 0) {
    const sel = labelSelectorFromObject(mr.objectSelector);
    const objs = [attrs.object, attrs.oldObject].filter((o): o is StoredObject => !!o);
    if (!objs.some((o) => sel.matches(labelsOf(o)))) return false;
  }
  const equivalent = (mr.matchPolicy ?? 'Equivalent') === 'Equivalent';
  if (mr.resourceRules?.length) {
    if (!rulesMatch(mr.resourceRules, attrs, equivalent)) return false;
  } else if (requireRules) {
    return false;
  }
  if (rulesMatch(mr.excludeResourceRules, attrs, false)) return false;
  return true;
}
