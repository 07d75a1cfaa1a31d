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

/**
 * The cache: maps nested by the key's parts in turn (user name, each group, then the target's fields), so a lookup
 * joins no key string; a classification hangs under the last part.
 */
type CacheNode = Map<unknown, unknown>;
/**
 * Which kind of target follows the groups: the two have different parts, and being no string, the marker also ends
 * the list of groups (`[a, b]` never meets `[a]`).
 */
const resourceTarget = Symbol('resource');
const nonResourceTarget = Symbol('non-resource');

function child(node: CacheNode, key: unknown, create: boolean): CacheNode | undefined {
  let next = node.get(key) as CacheNode | undefined;
  if (next === undefined && create) node.set(key, (next = new Map()));
  return next;
}

export class Classifier {
  private readonly schemas: CompiledSchema[];
  /** Per user and target: the classification itself, so a request that was seen before allocates none. */
  private cache: CacheNode = new Map();
  private cached = 0;

  /** `schemas` need not be sorted; those whose priority level is missing must already be left out. */
  constructor(schemas: FlowSchema[]) {
    const sorted = [...schemas].sort((a, b) => (a.spec?.matchingPrecedence ?? 1000) - (b.spec?.matchingPrecedence ?? 1000) || compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? ''));
    this.schemas = sorted.map(compileSchema);
  }

  classify(user: UserInfo, info: RequestInfo): Classification | undefined {
    const last = info.isResourceRequest ? info.namespace : info.path;
    let classification = this.parentOf(user, info, false)?.get(last) as Classification | null | undefined;
    if (classification === undefined) {
      // Nothing matches only a request of a user in neither system:authenticated nor system:unauthenticated;
      // upstream serves those at catch-all too.
      const schema = this.schemas.find((s) => s.matches(user, info)) ?? this.schemas.find((s) => s.name === 'catch-all');
      // The user's name and the namespace are part of the key, so the flow is too.
      const distinguisher = schema?.distinguisher === 'ByUser' ? user.name : schema?.distinguisher === 'ByNamespace' ? info.namespace : '';
      classification = schema ? { schema, distinguisher } : null;
      if (this.cached >= maxCached) {
        this.cache = new Map();
        this.cached = 0;
      }
      this.parentOf(user, info, true)!.set(last, classification);
      this.cached++;
    }
    return classification ?? undefined;
  }

  /**
   * The cache node under which the classification of (user, target) hangs, keyed by the target's last part
   * (namespace or path): user name, groups, then verb, API group, resource and subresource, or verb. With `create`
   * the missing nodes are made; without, undefined when one is missing.
   */
  private parentOf(user: UserInfo, info: RequestInfo, create: boolean): CacheNode | undefined {
    let node = child(this.cache, user.name, create);
    for (let i = 0; node && i < user.groups.length; i++) node = child(node, user.groups[i], create);
    if (!info.isResourceRequest) {
      if (node) node = child(node, nonResourceTarget, create);
      return node && child(node, info.verb, create);
    }
    if (node) node = child(node, resourceTarget, create);
    if (node) node = child(node, info.verb, create);
    if (node) node = child(node, info.apiGroup, create);
    if (node) node = child(node, info.resource, create);
    return node && child(node, info.subresource, create);
  }
}
