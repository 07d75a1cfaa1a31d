/**
 * The audit policy (`--audit-policy-file`, audit.k8s.io/v1 Policy): rules matched in order against who asks and what
 * for; the first match decides the level, stages left out and whether managedFields are dropped. No matching rule:
 * level None (not audited), as upstream.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const levels: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const stages: readonly Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** Whether `level` records at least as much as `min`. */
export function atLeast(level: Level, min: Level): boolean {
  return levels.indexOf(level) >= levels.indexOf(min);
}

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  rules: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What the policy decides for one request. */
export interface RequestAuditConfig {
  level: Level;
  omitStages: ReadonlySet<Stage>;
  omitManagedFields: boolean;
}

/** The request as the policy sees it (upstream's authorizer attributes). */
export interface AuditAttributes {
  user: string;
  groups: readonly string[];
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface PolicyEvaluator {
  evaluate(attrs: AuditAttributes): RequestAuditConfig;
}

/** Reads and validates a policy file; throws one Error naming every problem. */
export function loadPolicyFile(path: string): PolicyEvaluator {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`failed to read file path "${path}": ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new Error(`failed decoding file "${path}": ${(e as Error).message}`);
  }
  try {
    return policyEvaluator(validatePolicy(doc));
  } catch (e) {
    throw new Error(`invalid audit policy file "${path}": ${(e as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringList(v: unknown, at: string, errors: string[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    errors.push(`${at}: Invalid value: must be a list of strings`);
    return undefined;
  }
  return v as string[];
}

function stageList(v: unknown, at: string, errors: string[]): Stage[] | undefined {
  const list = stringList(v, at, errors);
  for (const [i, s] of (list ?? []).entries()) {
    if (!stages.includes(s as Stage)) errors.push(`${at}[${i}]: Unsupported value: "${s}": supported values: "${stages.join('", "')}"`);
  }
  return list as Stage[] | undefined;
}

/** Checks a decoded Policy object as upstream's validation does. */
export function validatePolicy(doc: unknown): Policy {
  if (!isObject(doc)) throw new Error('the file does not hold a Policy object');
  if (doc.kind !== 'Policy' || (doc.apiVersion !== 'audit.k8s.io/v1' && doc.apiVersion !== 'audit.k8s.io/v1beta1')) {
    throw new Error(`unexpected object kind "${doc.apiVersion ?? ''}, Kind=${doc.kind ?? ''}" (want apiVersion audit.k8s.io/v1, kind Policy)`);
  }
  const errors: string[] = [];
  const omitStages = stageList(doc.omitStages, 'omitStages', errors);
  if (doc.omitManagedFields !== undefined && typeof doc.omitManagedFields !== 'boolean') errors.push('omitManagedFields: Invalid value: must be true or false');
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw new Error('loaded illegal policy with 0 rules');
  const rules: PolicyRule[] = doc.rules.map((r, i) => {
    const at = `rules[${i}]`;
    if (!isObject(r)) {
      errors.push(`${at}: Invalid value: must be an object`);
      return { level: 'None' };
    }
    if (r.level === undefined || r.level === '') errors.push(`${at}.level: Required value`);
    else if (!levels.includes(r.level as Level)) errors.push(`${at}.level: Unsupported value: "${String(r.level)}": supported values: "${levels.join('", "')}"`);
    const rule: PolicyRule = {
      level: r.level as Level,
      users: stringList(r.users, `${at}.users`, errors),
      userGroups: stringList(r.userGroups, `${at}.userGroups`, errors),
      verbs: stringList(r.verbs, `${at}.verbs`, errors),
      namespaces: stringList(r.namespaces, `${at}.namespaces`, errors),
      nonResourceURLs: stringList(r.nonResourceURLs, `${at}.nonResourceURLs`, errors),
      omitStages: stageList(r.omitStages, `${at}.omitStages`, errors),
    };
    if (r.omitManagedFields !== undefined) {
      if (typeof r.omitManagedFields !== 'boolean') errors.push(`${at}.omitManagedFields: Invalid value: must be true or false`);
      else rule.omitManagedFields = r.omitManagedFields;
    }
    if (r.resources !== undefined && r.resources !== null) {
      if (!Array.isArray(r.resources)) errors.push(`${at}.resources: Invalid value: must be a list`);
      else {
        rule.resources = r.resources.map((g, j) => {
          const gat = `${at}.resources[${j}]`;
          if (!isObject(g)) {
            errors.push(`${gat}: Invalid value: must be an object`);
            return {};
          }
          const gr: GroupResources = {
            group: typeof g.group === 'string' ? g.group : undefined,
            resources: stringList(g.resources, `${gat}.resources`, errors),
            resourceNames: stringList(g.resourceNames, `${gat}.resourceNames`, errors),
          };
          if (g.group !== undefined && typeof g.group !== 'string') errors.push(`${gat}.group: Invalid value: must be a string`);
          if (gr.resourceNames?.length && !gr.resources?.length) errors.push(`${gat}.resourceNames: Invalid value: resourceNames require a non-empty resources list`);
          for (const [k, res] of (gr.resources ?? []).entries()) {
            if (res.includes('/') && !/^(\*|[^/*]+)\/(\*|[^/*]+)$/.test(res)) errors.push(`${gat}.resources[${k}]: Invalid value: "${res}": a subresource must be "<resource>/<subresource>", "*/<subresource>" or "<resource>/*"`);
          }
          return gr;
        });
      }
    }
    if (rule.nonResourceURLs?.length) {
      if (rule.resources?.length || rule.namespaces?.length) errors.push(`${at}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
      for (const [k, url] of rule.nonResourceURLs.entries()) {
        if (url === '*') continue;
        if (!url.startsWith('/')) errors.push(`${at}.nonResourceURLs[${k}]: Invalid value: "${url}": non-resource URL rules must begin with a '/' character`);
        if (url.slice(0, -1).includes('*')) errors.push(`${at}.nonResourceURLs[${k}]: Invalid value: "${url}": non-resource URL wildcards '*' must be the final character of the rule`);
      }
    }
    return rule;
  });
  if (errors.length) throw new Error(errors.join('; '));
  return { rules, omitStages, omitManagedFields: doc.omitManagedFields as boolean | undefined };
}

function ruleMatches(r: PolicyRule, a: AuditAttributes): boolean {
  if (r.users?.length && !r.users.includes(a.user)) return false;
  if (r.userGroups?.length && !a.groups.some((g) => r.userGroups!.includes(g))) return false;
  if (r.verbs?.length && !r.verbs.includes(a.verb)) return false;
  if (a.isResourceRequest) {
    if (r.nonResourceURLs?.length) return false;
    if (r.namespaces?.length && !r.namespaces.includes(a.namespace)) return false;
    if (!r.resources?.length) return true;
    return r.resources.some((gr) => groupResourcesMatch(gr, a));
  }
  if (r.namespaces?.length || r.resources?.length) return false;
  if (!r.nonResourceURLs?.length) return true;
  return r.nonResourceURLs.some((spec) => spec === '*' || spec === a.path || (spec.endsWith('*') && a.path.startsWith(spec.slice(0, -1))));
}

function groupResourcesMatch(gr: GroupResources, a: AuditAttributes): boolean {
  if ((gr.group ?? '') !== a.apiGroup) return false;
  if (!gr.resources?.length) return true;
  if (gr.resourceNames?.length && !gr.resourceNames.includes(a.name)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return gr.resources.some(
    (res) =>
      res === '*' ||
      res === combined ||
      (a.subresource !== '' && res.startsWith('*/') && res.slice(2) === a.subresource) ||
      (res.endsWith('/*') && res.slice(0, -2) === a.resource),
  );
}

const nothing: RequestAuditConfig = { level: 'None', omitStages: new Set(), omitManagedFields: false };

/** Evaluates rules in order; the per-rule settings are computed once, not per request. */
export function policyEvaluator(policy: Policy): PolicyEvaluator {
  const configs = policy.rules.map(
    (r): RequestAuditConfig => ({
      level: r.level,
      omitStages: new Set([...(policy.omitStages ?? []), ...(r.omitStages ?? [])]),
      omitManagedFields: r.omitManagedFields ?? policy.omitManagedFields ?? false,
    }),
  );
  return {
    evaluate(attrs) {
      for (let i = 0; i < policy.rules.length; i++) if (ruleMatches(policy.rules[i], attrs)) return configs[i];
      return nothing;
    },
  };
}
