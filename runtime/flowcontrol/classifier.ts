/**
 * Classification: which FlowSchema a request matches (lowest matchingPrecedence first, then name), and its flow
 * distinguisher. A Classifier is built once per configuration version from the FlowSchemas whose priority level
 * exists; rules are compiled to sets, and answers are cached by everything that can change them (user, groups,
 * verb, group, resource, namespace or path), so a steady stream of requests costs one map lookup each.
 */
import type { FlowSchema, NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from '../../apis/flowcontrol.apiserver.k8s.io/v1/flowschema.ts';
import type { UserInfo } from '../auth/user.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { compareStrings } from '../machinery/order.ts';

type Matcher = (user: UserInfo, info: RequestInfo) => boolean;

export interface CompiledSchema {
  name: string;
  uid: string;
  priorityLevel: string;
  distinguisher?: string;
  matches: Matcher;
}

/** A set of names where `*` matches anything. */
function nameSet(values: readonly string[] | undefined): (v: string) => boolean {
  const set = new Set(values ?? []);
  if (set.has('*')) return () => true;
  return (v) => set.has(v);
}

function subjectMatcher(s: Subject): (user: UserInfo) => boolean {
  switch (s.kind) {
    case 'User': {
      const name = s.user?.name ?? '';
      return name === '*' ? () => true : (u) => u.name === name;
    }
    case 'Group': {
      const name = s.group?.name ?? '';
      return name === '*' ? () => true : (u) => u.groups.includes(name);
    }
    case 'ServiceAccount': {
      const prefix = `system:serviceaccount:${s.serviceAccount?.namespace ?? ''}:`;
      const name = s.serviceAccount?.name ?? '';
      return name === '*' ? (u) => u.name.startsWith(prefix) : (u) => u.name === prefix + name;
    }
    default:
      return () => false;
  }
}

function resourceRuleMatcher(r: ResourcePolicyRule): Matcher {
  const verb = nameSet(r.verbs);
  const group = nameSet(r.apiGroups);
  const resource = nameSet(r.resources);
  const namespace = nameSet(r.namespaces);
  const clusterScope = Boolean(r.clusterScope);
  return (_u, info) => {
    if (!info.isResourceRequest || !verb(info.verb) || !group(info.apiGroup)) return false;
    if (!resource(info.subresource ? `${info.resource}/${info.subresource}` : info.resource)) return false;
    return info.namespace ? namespace(info.namespace) : clusterScope;
  };
}

function nonResourceRuleMatcher(r: NonResourcePolicyRule): Matcher {
  const verb = nameSet(r.verbs);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let all = false;
  for (const url of r.nonResourceURLs ?? []) {
    if (url === '*') all = true;
    else if (url.endsWith('*')) prefixes.push(url.slice(0, -1));
    else exact.add(url);
  }
  return (_u, info) => {
    if (info.isResourceRequest || !verb(info.verb)) return false;
    return all || exact.has(info.path) || prefixes.some((p) => info.path.startsWith(p));
  };
}

function ruleMatcher(rule: PolicyRulesWithSubjects): Matcher {
  const subjects = (rule.subjects ?? []).map(subjectMatcher);
  const requests = [...(rule.resourceRules ?? []).map(resourceRuleMatcher), ...(rule.nonResourceRules ?? []).map(nonResourceRuleMatcher)];
  return (u, info) => subjects.some((s) => s(u)) && requests.some((m) => m(u, info));
}

export function compileSchema(fs: FlowSchema): CompiledSchema {
  const rules = (fs.spec?.rules ?? []).map(ruleMatcher);
  return {
    name: fs.metadata?.name ?? '',
    uid: fs.metadata?.uid ?? '',
    priorityLevel: fs.spec?.priorityLevelConfiguration?.name ?? '',
    distinguisher: fs.spec?.distinguisherMethod?.type,
    matches: (u, info) => rules.some((r) => r(u, info)),
  };
}

export interface Classification {
  schema: CompiledSchema;
  /** The flow inside the schema: the user name, the namespace, or empty. */
  distinguisher: string;
}

const maxCached = 4096;

export class Classifier {
  private readonly schemas: CompiledSchema[];
  /** Per user and target: the classification itself, so a request that was seen before allocates none. */
  private readonly cache = new Map<string, Classification | null>();

  /** `schemas` need not be sorted; those whose priority level is missing must already be left out. */
  constructor(schemas: FlowSchema[]) {
    const sorted = [...schemas].sort((a, b) => (a.spec?.matchingPrecedence ?? 1000) - (b.spec?.matchingPrecedence ?? 1000) || compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? ''));
    this.schemas = sorted.map(compileSchema);
  }

  classify(user: UserInfo, info: RequestInfo): Classification | undefined {
    const target = info.isResourceRequest ? `${info.verb}\0${info.apiGroup}\0${info.resource}\0${info.subresource}\0${info.namespace}` : `${info.verb}\0${info.path}`;
    const key = `${user.name}\0${user.groups.join('\0')}\0${info.isResourceRequest ? 'r' : 'n'}\0${target}`;
    let classification = this.cache.get(key);
    if (classification === undefined) {
      // Nothing matches only a request of a user in neither system:authenticated nor system:unauthenticated;
      // upstream serves those at catch-all too.
      const schema = this.schemas.find((s) => s.matches(user, info)) ?? this.schemas.find((s) => s.name === 'catch-all');
      // The user's name and the namespace are part of the key, so the flow is too.
      const distinguisher = schema?.distinguisher === 'ByUser' ? user.name : schema?.distinguisher === 'ByNamespace' ? info.namespace : '';
      classification = schema ? { schema, distinguisher } : null;
      if (this.cache.size >= maxCached) this.cache.clear();
      this.cache.set(key, classification);
    }
    return classification ?? undefined;
  }
}
