/**
 * PolicyRule semantics, as upstream's rbac/v1 helpers: whether a rule allows a request, and whether one set of
 * rules covers another (the escalation check). Pure functions over plain objects.
 */
import type { Attributes } from '../types.ts';
import { goQuote } from '../../../machinery/gofmt.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const all = '*';

function has(list: readonly string[] | undefined, value: string): boolean {
  return !!list && (list.includes(all) || list.includes(value));
}

/** `resource` or `resource/subresource` against the rule's resources (`*`, exact, or `*`/subresource). */
function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === all || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

/** A path against nonResourceURLs: `*`, exact, or a prefix ending in `*`. */
export function nonResourceURLMatches(pattern: string, path: string): boolean {
  if (pattern === all || pattern === path) return true;
  return pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1));
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (attrs.resourceRequest) {
    if (!has(rule.apiGroups, attrs.apiGroup)) return false;
    if (!resourceMatches(rule, attrs.resource, attrs.subresource)) return false;
    // Names restrict a rule to those objects; a request without a name (list, create) never matches them.
    return !rule.resourceNames?.length || rule.resourceNames.includes(attrs.name);
  }
  return (rule.nonResourceURLs ?? []).some((u) => nonResourceURLMatches(u, attrs.path));
}

/**
 * A rule reduced to one verb and one group/resource/name or one URL, so coverage can be checked piece by piece.
 * The pieces come in upstream's BreakdownRule order (group, resource, verb, name; then URL, verb): the start-up
 * reconcile appends the missing ones to a role as they come.
 */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        else out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

function resourcesCover(owner: readonly string[], wanted: string): boolean {
  if (owner.includes(all) || owner.includes(wanted)) return true;
  const slash = wanted.indexOf('/');
  return slash >= 0 && owner.includes(`*/${wanted.slice(slash + 1)}`);
}

/** Whether `owner` grants everything the simple rule `want` (from breakdown) grants. */
function ruleCovers(owner: PolicyRule, want: PolicyRule): boolean {
  if (!has(owner.verbs, want.verbs[0])) return false;
  if (want.nonResourceURLs?.length) {
    const url = want.nonResourceURLs[0];
    return (owner.nonResourceURLs ?? []).some((o) => o === all || o === url || (o.endsWith('*') && url.startsWith(o.slice(0, -1))));
  }
  if (!has(owner.apiGroups, want.apiGroups![0])) return false;
  if (!resourcesCover(owner.resources ?? [], want.resources![0])) return false;
  if (!owner.resourceNames?.length) return true;
  return !!want.resourceNames?.length && owner.resourceNames.includes(want.resourceNames[0]);
}

/** The pieces of `wanted` (one verb, one resource or URL each) not granted by any of `owned`, as upstream's Covers lists them. */
export function missingPieces(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) for (const piece of breakdown(rule)) if (!owned.some((o) => ruleCovers(o, piece))) missing.push(piece);
  return missing;
}

/** The parts of `wanted` not granted by any of `owned` (empty: owned covers wanted), compacted and sorted as upstream. */
export function uncoveredRules(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  return compact(missingPieces(owned, wanted));
}

/**
 * Merges the pieces that name one group and one resource and nothing else (no resource names), appending their
 * verbs as they come (a verb wanted twice is listed twice), as upstream's CompactRules; every other piece stays
 * as it is. Sorted by how they print, as upstream lists its set of descriptions.
 */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const simple = new Map<string, PolicyRule>();
  const apart: PolicyRule[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length || r.resourceNames?.length) {
      apart.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources]);
    const seen = simple.get(key);
    if (seen) seen.verbs.push(...r.verbs);
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...simple.values(), ...apart].sort((a, b) => (compactString(a) < compactString(b) ? -1 : compactString(a) > compactString(b) ? 1 : 0));
}

/** Go's %q of a string slice: `["a" "b"]`. */
export function goQuotedList(list: readonly string[]): string {
  return `[${list.map((s) => goQuote(s)).join(' ')}]`;
}

/** A rule as upstream prints it in escalation errors: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuotedList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuotedList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuotedList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuotedList(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuotedList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
