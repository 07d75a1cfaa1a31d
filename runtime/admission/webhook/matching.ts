/**
 * Whether a webhook is called for a request, as upstream's generic webhook matcher: namespaceSelector, then
 * objectSelector, then rules (for the request's resource, or with matchPolicy Equivalent, for the same resource in
 * another version of its group), then matchConditions (CEL). The configurations themselves are never sent to
 * webhooks, so a broken webhook can always be removed.
 */
import { withRawValues } from '../../machinery/raw-json.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import type { Scheme } from '../../machinery/scheme.ts';
import { forbidden, internalError, notFound, StatusError } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { UserInfo } from '../../auth/user.ts';
import type { AdmissionAttributes } from '../types.ts';
import type { Hook, MatchCondition, RuleWithOperations } from './config.ts';
import { requestNamespace, type Invocation } from './review.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

/** Kinds whose objects configure admission: requests for them are never sent to webhooks (no lock-out). */
const exemptKinds = new Set([
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);

export function isExemptAdmissionConfiguration(kind: KindRegistration): boolean {
  return kind.group === 'admissionregistration.k8s.io' && exemptKinds.has(kind.kind);
}

/** What CEL match conditions see (upstream's variables `object`, `oldObject`, `request`, `authorizer`). */
export interface MatchConditionInput {
  object: StoredObject | null;
  oldObject: StoredObject | null;
  /** The AdmissionRequest without its objects. */
  request: StoredObject;
  /** The request's user and resource, behind the `authorizer` variable and `authorizer.requestResource`. */
  user: UserInfo;
  requestResource: { group: string; version: string; resource: string; subresource: string; namespace: string; name: string };
}

/** One condition's outcome: its value, or why it could not be computed. */
export interface MatchConditionResult {
  name: string;
  expression: string;
  value?: unknown;
  error?: string;
}

/**
 * The CEL engine's part (runtime/cel): compiles the conditions of one webhook once, and evaluates them per request.
 * A condition that does not compile evaluates to an error (configuration validation normally refuses it first).
 */
export interface MatchConditionCompiler {
  compile(conditions: readonly MatchCondition[]): { evaluate(input: MatchConditionInput): MatchConditionResult[] | Promise<MatchConditionResult[]> };
}

export interface MatcherDeps {
  scheme: Scheme;
  /** Labels of a namespace; undefined when it does not exist. */
  namespaceLabels(name: string): Promise<Record<string, string> | undefined>;
  /** Absent until a CEL engine is wired: a webhook with matchConditions then fails by its failurePolicy. */
  matchConditions?: MatchConditionCompiler;
}

function exactOrWildcard(items: readonly string[] | undefined, requested: string): boolean {
  return (items ?? []).some((i) => i === '*' || i === requested);
}

function splitResource(r: string): [string, string] {
  const i = r.indexOf('/');
  return i < 0 ? [r, ''] : [r.slice(0, i), r.slice(i + 1)];
}

function isNamespaceResource(res: { group: string; version: string; resource: string }): boolean {
  return res.group === '' && res.version === 'v1' && res.resource === 'namespaces';
}

/** One rule against a request for `res` (the request's own resource, or an equivalent). */
export function ruleMatches(rule: RuleWithOperations, attrs: AdmissionAttributes, res: { group: string; version: string; resource: string }): boolean {
  const scope = rule.scope ?? '*';
  const namespace = requestNamespace(attrs);
  if (scope === 'Namespaced' && (isNamespaceResource(res) || namespace === '')) return false;
  if (scope === 'Cluster' && !(isNamespaceResource(res) || namespace === '')) return false;
  if (scope !== '*' && scope !== 'Namespaced' && scope !== 'Cluster') return false;
  if (!(rule.operations ?? []).some((op) => op === '*' || op === attrs.operation)) return false;
  if (!exactOrWildcard(rule.apiGroups, res.group) || !exactOrWildcard(rule.apiVersions, res.version)) return false;
  return (rule.resources ?? []).some((r) => {
    const [resource, sub] = splitResource(r);
    return (resource === '*' || resource === res.resource) && (sub === '*' || sub === attrs.subresource);
  });
}

const equivalentsCache = new WeakMap<KindRegistration, { schemeVersion: number; kinds: KindRegistration[] }>();

/** The same resource served in the other versions of its group, in the group's version preference (cached). */
function equivalents(scheme: Scheme, kind: KindRegistration): KindRegistration[] {
  const cached = equivalentsCache.get(kind);
  if (cached && cached.schemeVersion === scheme.version) return cached.kinds;
  const kinds = scheme
    .versionsOf(kind.group)
    .filter((gv) => gv.version !== kind.version)
    .flatMap((gv) => gv.kinds.filter((k) => k.resource === kind.resource && k.kind === kind.kind));
  equivalentsCache.set(kind, { schemeVersion: scheme.version, kinds });
  return kinds;
}

function selectorError(hook: Hook, which: 'namespaceSelector' | 'objectSelector'): StatusError | undefined {
  const s = hook[which];
  return s instanceof Error ? internalError(s) : undefined;
}

async function matchNamespace(hook: Hook, attrs: AdmissionAttributes, deps: MatcherDeps): Promise<{ matches: boolean; error?: StatusError }> {
  const namespace = requestNamespace(attrs);
  const isNamespace = attrs.resource.group === '' && attrs.resource.resource === 'namespaces';
  // Cluster-scoped requests other than for namespaces are never exempted by a namespaceSelector.
  if (!namespace && !isNamespace) return { matches: true };
  const err = selectorError(hook, 'namespaceSelector');
  if (err) return { matches: false, error: err };
  const selector = hook.namespaceSelector as Exclude<Hook['namespaceSelector'], Error>;
  if (selector.empty) return { matches: true };
  let labels: Record<string, string> | undefined;
  // A Namespace being created or updated is judged by its own (new) labels.
  if (isNamespace && !attrs.subresource && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE')) {
    labels = attrs.object?.metadata?.labels ?? {};
  } else {
    labels = await deps.namespaceLabels(namespace);
    if (!labels) return { matches: false, error: notFound({ group: '', resource: 'namespaces' }, namespace) };
  }
  return { matches: selector.matches(labels) };
}

function matchObject(hook: Hook, attrs: AdmissionAttributes): { matches: boolean; error?: StatusError } {
  const err = selectorError(hook, 'objectSelector');
  if (err) return { matches: false, error: err };
  const selector = hook.objectSelector as Exclude<Hook['objectSelector'], Error>;
  if (selector.empty) return { matches: true };
  const has = (o: StoredObject | undefined) => o !== undefined && o !== null && selector.matches(o.metadata?.labels ?? {});
  return { matches: has(attrs.object) || has(attrs.oldObject) };
}

/**
 * The invocation of `hook` for the request, or undefined when the hook does not apply. Throws a StatusError when
 * the decision itself fails (a missing namespace, a broken selector, a failing match condition under Fail).
 * `conditions` evaluates the hook's matchConditions for the invocation (it builds the versioned input).
 */
export async function shouldCallHook(
  hook: Hook,
  attrs: AdmissionAttributes,
  deps: MatcherDeps,
  conditions: (invocation: Invocation) => Promise<boolean>,
): Promise<Invocation | undefined> {
  // Rules first: they cost nothing, and the outcome is upstream's (selectors first), whose errors count only for
  // webhooks whose rules match.
  const kind = attrs.kind;
  // The objects are of the resource's own kind unless a subresource has a kind of its own (scale: Scale).
  const ownKind = attrs.objectKind.group === kind.group && attrs.objectKind.version === kind.version && attrs.objectKind.kind === kind.kind;
  let invocation: Invocation | undefined;
  if (hook.rules.some((r) => ruleMatches(r, attrs, attrs.resource))) {
    invocation = { resource: attrs.resource, subresource: attrs.subresource, kind: attrs.objectKind, registration: ownKind ? kind : undefined };
  }
  if (!invocation && hook.matchPolicy === 'Equivalent') {
    // Earlier rules first, and within a rule the group's preferred versions first.
    const others = equivalents(deps.scheme, kind);
    outer: for (const rule of hook.rules) {
      for (const eq of others) {
        const res = { group: eq.group, version: eq.version, resource: eq.resource };
        if (ruleMatches(rule, attrs, res)) {
          invocation = ownKind
            ? { resource: res, subresource: attrs.subresource, kind: { group: eq.group, version: eq.version, kind: eq.kind }, registration: eq }
            : { resource: res, subresource: attrs.subresource, kind: attrs.objectKind };
          break outer;
        }
      }
    }
  }
  if (!invocation) return undefined;
  const obj = matchObject(hook, attrs);
  if (!obj.matches && !obj.error) return undefined;
  const ns = await matchNamespace(hook, attrs, deps);
  if (!ns.matches && !ns.error) return undefined;
  if (ns.error) throw ns.error;
  if (obj.error) throw obj.error;
  if (hook.spec.matchConditions?.length && !(await conditions(invocation))) return undefined;
  return invocation;
}

/**
 * Upstream's match-condition semantics: any false skips the webhook; otherwise errors follow the failurePolicy
 * (Fail: the request is refused as Forbidden; Ignore: the webhook is skipped); all true calls it.
 */
export async function evaluateMatchConditions(hook: Hook, attrs: AdmissionAttributes, objects: Pick<MatchConditionInput, 'object' | 'oldObject' | 'request'>, deps: MatcherDeps): Promise<boolean> {
  // CEL sees a RawExtension field's value, not the text kept for it (machinery/raw-json.ts).
  const raw = attrs.subresource === '' ? attrs.kind.rawJsonFields : undefined;
  const input: MatchConditionInput = {
    ...objects,
    ...(raw && { object: objects.object && withRawValues(raw, objects.object), oldObject: objects.oldObject && withRawValues(raw, objects.oldObject) }),
    user: attrs.user,
    requestResource: { ...attrs.resource, subresource: attrs.subresource, namespace: attrs.namespace, name: attrs.name },
  };
  const conditions = hook.spec.matchConditions ?? [];
  let results: MatchConditionResult[];
  try {
    if (!deps.matchConditions) throw new Error('matchConditions are not supported: no CEL engine is configured');
    let compiled = hook.cache.get('matchConditions') as ReturnType<MatchConditionCompiler['compile']> | undefined;
    if (!compiled) {
      compiled = deps.matchConditions.compile(conditions);
      hook.cache.set('matchConditions', compiled);
    }
    results = await compiled.evaluate(input);
  } catch (e) {
    if (hook.failurePolicy === 'Ignore') return false;
    throw forbidden(attrs.resource, attrs.name, (e as Error).message);
  }
  const errors: string[] = [];
  for (const r of results) {
    if (r.error !== undefined) errors.push(r.error);
    else if (r.value === false) return false;
    else if (typeof r.value !== 'boolean') errors.push(`expression '${r.expression}' resulted in non-boolean value`);
  }
  if (!errors.length) return true;
  if (hook.failurePolicy === 'Ignore') return false;
  throw forbidden(attrs.resource, attrs.name, aggregateErrors(errors));
}
