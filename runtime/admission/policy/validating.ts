/**
 * The ValidatingAdmissionPolicy admission plug-in (upstream's k8s.io/apiserver/pkg/admission/plugin/policy/
 * validating): policies and their bindings are kept in memory by watches (read from the watch cache until those
 * have synced), paired once per change of either and kept compiled per spec generation;
 * each write a policy's matchConstraints and a binding's matchResources match is checked by the policy's CEL
 * validations, with params, variables, matchConditions, messageExpression, auditAnnotations, the binding's
 * validationActions (Deny, Warn, Audit) and the policy's failurePolicy, and refused with upstream's messages:
 *
 *   deployments.apps "web" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'b' denied request: ...
 *
 * (422 Invalid unless the validation names another reason.)
 */
import { withRawValues } from '../../machinery/raw-json.ts';
import { randomUUID } from 'node:crypto';
import { AuthorizationSession, AuthorizerValue, evaluateAsync, evaluateNested, isCelError, JsonMap, RuntimeCELCostBudget, toJson, type CelAuthorize, type Program } from '../../cel/index.ts';
import { failure, type StatusError } from '../../machinery/status.ts';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../machinery/selectors.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import type { StoredObject } from '../../storage/store.ts';
import { addAuditAnnotation, admissionForbidden, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';
import type { AdmissionPluginDependencies, ObjectReader } from '../registry.ts';
import type { WatchedLister } from '../../controllers/lister.ts';
import { compilePolicy, type CompiledPolicy, type PolicySpec } from './compile.ts';
import { matchesResources, type MatchResources } from './matching.ts';
import { compareStrings } from '../../machinery/order.ts';
import { jsonText } from '../../machinery/json-text.ts';

const group = 'admissionregistration.k8s.io';

interface BindingSpec {
  policyName?: string;
  paramRef?: { name?: string; namespace?: string; selector?: LabelSelectorObject; parameterNotFoundAction?: 'Allow' | 'Deny' };
  matchResources?: MatchResources;
  validationActions?: Array<'Deny' | 'Warn' | 'Audit'>;
}

export interface ValidatingAdmissionPolicyOptions {
  /** The server's authorizer, behind the `authorizer` variable. Absent: every check is allowed (AlwaysAllow). */
  authorize?: CelAuthorize;
  /** Finds the resource of a paramKind (apiVersion + kind). */
  kindFor(apiVersion: string, kind: string): KindRegistration | undefined;
}

interface Decision {
  deny: boolean;
  message: string;
  reason?: string;
  /** The validation's index (for the Audit action's annotation). */
  index?: number;
}

interface EvaluationResult {
  decisions: Decision[];
  /** auditAnnotations that produced a value: key -> value. */
  annotations: Map<string, string>;
}

/** Upstream's limit on an audit annotation value. */
const maxAuditAnnotationValueLength = 10 * 1024;

interface Denial {
  policy: string;
  binding?: string;
  message: string;
  reason?: string;
}

/** Upstream's reasonToCode. */
function reasonToCode(reason: string): number {
  switch (reason) {
    case 'Forbidden':
      return 403;
    case 'Unauthorized':
      return 401;
    case 'RequestEntityTooLarge':
      return 413;
    case 'Invalid':
      return 422;
    default:
      return 500;
  }
}

/** The request as CEL sees it: upstream's AdmissionRequest (without object and oldObject, which are variables). */
function admissionRequest(attrs: AdmissionAttributes): Record<string, unknown> {
  const kind = { group: attrs.objectKind.group, version: attrs.objectKind.version, kind: attrs.objectKind.kind };
  const resource = { ...attrs.resource };
  return {
    uid: randomUUID(),
    kind,
    resource,
    subResource: attrs.subresource || undefined,
    requestKind: kind,
    requestResource: resource,
    requestSubResource: attrs.subresource || undefined,
    name: attrs.name,
    namespace: attrs.namespace || undefined,
    operation: attrs.operation,
    userInfo: { username: attrs.user.name, uid: attrs.user.uid, groups: attrs.user.groups, extra: attrs.user.extra },
    dryRun: attrs.dryRun,
    options: attrs.options,
  };
}

/** The namespace as `namespaceObject`: upstream exposes its metadata (selected fields), spec and status. */
function namespaceObject(ns: StoredObject | undefined): Record<string, unknown> | null {
  if (!ns) return null;
  const m = ns.metadata ?? {};
  const metadata: Record<string, unknown> = {};
  for (const k of ['name', 'generateName', 'namespace', 'labels', 'annotations', 'uid', 'creationTimestamp', 'deletionTimestamp']) if (m[k] !== undefined) metadata[k] = m[k];
  return { apiVersion: 'v1', kind: 'Namespace', metadata, spec: ns.spec ?? {}, status: ns.status ?? {} };
}

/** `variables`, each computed on first use within the evaluation and kept for the request. */
class LazyVariables extends JsonMap {
  private readonly cache = new Map<string, unknown>();
  constructor(
    private readonly programs: Map<string, Program | string>,
    private readonly activation: () => Record<string, unknown>,
  ) {
    super({});
  }
  override get size(): number {
    return this.programs.size;
  }
  override get(key: unknown) {
    if (typeof key !== 'string' || !this.programs.has(key)) return undefined;
    if (!this.cache.has(key)) {
      const p = this.programs.get(key)!;
      this.cache.set(key, typeof p === 'string' ? new Error(p) : evaluateNested(p, this.activation()));
    }
    const v = this.cache.get(key);
    if (v instanceof Error && !isCelError(v)) throw v;
    return v as never;
  }
  override has(key: unknown): boolean {
    return typeof key === 'string' && this.programs.has(key);
  }
  override *entries() {
    for (const k of this.programs.keys()) yield [k, this.get(k)!] as [string, never];
  }
  override *keys() {
    yield* this.programs.keys();
  }
}

/** A policy that has bindings, with them (each sorted by name). */
interface BoundPolicy {
  policy: StoredObject;
  bindings: StoredObject[];
}

/** The policies that have bindings, by name; policies without one are left out (they do nothing). */
function pairWithBindings(policies: readonly StoredObject[], bindings: readonly StoredObject[]): BoundPolicy[] {
  const byPolicy = new Map<string, StoredObject[]>();
  for (const b of bindings) {
    const name = (b.spec as BindingSpec | undefined)?.policyName;
    if (!name) continue;
    byPolicy.set(name, [...(byPolicy.get(name) ?? []), b]);
  }
  const byName = (a: StoredObject, b: StoredObject) => compareStrings(a.metadata.name, b.metadata.name);
  return policies
    .filter((p) => byPolicy.has(p.metadata.name))
    .sort(byName)
    .map((policy) => ({ policy, bindings: byPolicy.get(policy.metadata.name)!.sort(byName) }));
}

const nothingToDo = Promise.resolve();

export class ValidatingAdmissionPolicyPlugin implements AdmissionPlugin {
  readonly name = 'ValidatingAdmissionPolicy';
  private readonly policies: ObjectReader;
  private readonly bindings: ObjectReader;
  private readonly policyLister: WatchedLister;
  private readonly bindingLister: WatchedLister;
  private readonly namespaces: ObjectReader;
  private readonly compiled = new Map<string, { key: string; compiled: CompiledPolicy }>();
  /** The listers' policies paired with their bindings, and the generations they were paired at. */
  private bound?: { policies: number; bindings: number; items: BoundPolicy[] };

  constructor(
    private readonly deps: AdmissionPluginDependencies,
    private readonly opts: ValidatingAdmissionPolicyOptions,
  ) {
    this.policies = deps.reader(group, 'v1', 'validatingadmissionpolicies');
    this.bindings = deps.reader(group, 'v1', 'validatingadmissionpolicybindings');
    this.policyLister = deps.lister(group, 'v1', 'validatingadmissionpolicies');
    this.bindingLister = deps.lister(group, 'v1', 'validatingadmissionpolicybindings');
    this.namespaces = deps.reader('', 'v1', 'namespaces');
  }

  /** The bound policies from the listers, paired again only after either changed; undefined until both have synced. */
  private listedPolicies(): readonly BoundPolicy[] | undefined {
    const bindings = this.bindingLister.list('');
    const policies = this.policyLister.list('');
    if (!bindings || !policies) return undefined;
    const gen = { policies: this.policyLister.generation, bindings: this.bindingLister.generation };
    if (this.bound?.policies !== gen.policies || this.bound.bindings !== gen.bindings) this.bound = { ...gen, items: this.forgetUnbound(pairWithBindings(policies, bindings)) };
    return this.bound.items;
  }

  /** The bound policies read from the watch cache; none when the admissionregistration.k8s.io group is not served. */
  private async cachedPolicies(): Promise<readonly BoundPolicy[]> {
    let listed: StoredObject[];
    try {
      listed = await this.bindings.list('');
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('internal: no store')) return [];
      throw e;
    }
    return listed.length ? this.forgetUnbound(pairWithBindings(await this.policies.list(''), listed)) : [];
  }

  /** Forgets the compiled forms of policies that are gone or unbound. */
  private forgetUnbound(bound: BoundPolicy[]): BoundPolicy[] {
    const names = new Set(bound.map((b) => b.policy.metadata.name));
    for (const name of this.compiled.keys()) if (!names.has(name)) this.compiled.delete(name);
    return bound;
  }

  /** The compiled form of a policy, recompiled when its spec changes (generation). */
  private compiledFor(policy: StoredObject): CompiledPolicy {
    const m = policy.metadata;
    const key = `${m.uid}/${m.generation ?? m.resourceVersion}`;
    const hit = this.compiled.get(m.name);
    if (hit?.key === key) return hit.compiled;
    const compiled = compilePolicy((policy.spec ?? {}) as PolicySpec);
    this.compiled.set(m.name, { key, compiled });
    return compiled;
  }

  validate(attrs: AdmissionAttributes): Promise<void> {
    const listed = this.listedPolicies();
    // Nothing bound, the usual case: answered without starting the evaluation (an async call per write).
    if (listed?.length === 0) return nothingToDo;
    return this.validateWith(attrs, listed);
  }

  private async validateWith(attrs: AdmissionAttributes, listed: readonly BoundPolicy[] | undefined): Promise<void> {
    const policies = listed ?? (await this.cachedPolicies());
    if (policies.length === 0) return;

    const nsName = attrs.resource.group === '' && attrs.resource.resource === 'namespaces' ? '' : attrs.namespace;
    const namespace = nsName ? await this.namespaces.get('', nsName) : undefined;
    const session = new AuthorizationSession(this.opts.authorize ?? (async () => ({ decision: 'allow' })));
    const requestResource = { group: attrs.resource.group, version: attrs.resource.version, resource: attrs.resource.resource, subresource: attrs.subresource, namespace: attrs.namespace, name: attrs.name };
    const authorizer = new AuthorizerValue(session, attrs.user, requestResource);
    const request = admissionRequest(attrs);
    const budget = { remaining: RuntimeCELCostBudget };
    const denials: Denial[] = [];

    for (const { policy, bindings } of policies) {
      const spec = (policy.spec ?? {}) as PolicySpec;
      const policyName = policy.metadata.name;
      if (!matchesResources(spec.matchConstraints as MatchResources | undefined, attrs, { namespace }, true)) continue;
      const failurePolicy = spec.failurePolicy ?? 'Fail';
      const configError = (message: string, binding?: string) => {
        if (failurePolicy === 'Ignore') return;
        denials.push({ policy: policyName, binding, message: binding ? `failed to configure binding: ${message}` : `failed to configure policy: ${message}` });
      };
      let paramResource: KindRegistration | undefined;
      if (spec.paramKind) {
        paramResource = this.opts.kindFor(spec.paramKind.apiVersion ?? '', spec.paramKind.kind ?? '');
        if (!paramResource) {
          configError(`failed to find resource referenced by paramKind: '${spec.paramKind.apiVersion}, Kind=${spec.paramKind.kind}'`);
          continue;
        }
      }
      const compiled = this.compiledFor(policy);
      const published = new Map<string, string[]>();
      for (const binding of bindings) {
        const bspec = (binding.spec ?? {}) as BindingSpec;
        const bindingName = binding.metadata.name;
        if (bspec.matchResources && !matchesResources(bspec.matchResources, attrs, { namespace }, false)) continue;
        let params: Array<StoredObject | null>;
        try {
          params = await this.collectParams(spec, paramResource, bspec, attrs);
        } catch (e) {
          configError((e as Error).message, bindingName);
          continue;
        }
        const actions = bspec.validationActions ?? [];
        for (const param of params) {
          const base: Record<string, unknown> = {
            // CEL sees a RawExtension field's value, not the text kept for it (machinery/raw-json.ts).
            object: attrs.operation === 'DELETE' ? null : rawValues(attrs, attrs.object),
            oldObject: attrs.operation === 'CREATE' ? null : rawValues(attrs, attrs.oldObject),
            request,
            params: param,
            namespaceObject: namespaceObject(namespace),
            authorizer,
          };
          const { decisions, annotations } = await this.evaluate(compiled, base, failurePolicy, session, budget);
          for (const d of decisions) {
            if (!d.deny) continue;
            // Errors of auditAnnotations deny whatever the actions are, as upstream.
            if (d.index === undefined && !d.reason) {
              denials.push({ policy: policyName, binding: bindingName, message: d.message });
              continue;
            }
            for (const action of actions) {
              if (action === 'Deny') denials.push({ policy: policyName, binding: bindingName, message: d.message, reason: d.reason });
              else if (action === 'Warn') attrs.warnings?.push(`Validation failed for ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}': ${d.message}`);
              else if (action === 'Audit') {
                const failure = [{ message: d.message, policy: policyName, binding: bindingName, expressionIndex: d.index ?? 0, validationActions: actions }];
                addAuditAnnotation(attrs, 'validation.policy.admission.k8s.io/validation_failure', jsonText(failure));
              }
            }
          }
          for (const [key, value] of annotations) {
            const values = published.get(key) ?? [];
            if (!values.includes(value)) values.push(value);
            published.set(key, values);
          }
        }
      }
      for (const [key, values] of published) addAuditAnnotation(attrs, `${policyName}/${key}`, values.join(', '));
    }
    if (denials.length) throw this.denied(attrs, denials[0]);
  }

  private denied(attrs: AdmissionAttributes, d: Denial): StatusError {
    const message = d.binding
      ? `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`
      : `ValidatingAdmissionPolicy '${d.policy}' denied request: ${d.message}`;
    // Upstream's admission.NewForbidden, with the reason (and code) of the validation and the message as a cause.
    const base = admissionForbidden(attrs, message).status;
    const reason = d.reason || 'Invalid';
    return failure(reasonToCode(reason), reason as never, base.message ?? message, { ...base.details, causes: [{ message }] });
  }

  /** The params of one binding, as upstream's CollectParams: [null] without paramKind. Throws configuration errors. */
  private async collectParams(spec: PolicySpec, kind: KindRegistration | undefined, b: BindingSpec, attrs: AdmissionAttributes): Promise<Array<StoredObject | null>> {
    if (!spec.paramKind || !kind) return [null];
    const ref = b.paramRef;
    if (!ref) throw new Error('paramRef is required when paramKind is specified');
    const reader = this.deps.reader(kind.group, kind.version, kind.resource);
    let namespace = '';
    if (kind.scope === 'Namespaced') {
      namespace = ref.namespace || attrs.namespace;
      if (!namespace) throw new Error('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
    }
    let found: StoredObject[] = [];
    if (ref.name) {
      const obj = await reader.get(namespace, ref.name);
      if (obj) found = [obj];
    } else if (ref.selector) {
      const sel = labelSelectorFromObject(ref.selector);
      found = (await reader.list(namespace)).filter((o) => sel.matches((o.metadata?.labels as Record<string, string> | undefined) ?? {}));
    }
    const withType = found.map((o) => ({ apiVersion: spec.paramKind!.apiVersion, kind: spec.paramKind!.kind, ...o }));
    if (withType.length === 0) {
      if ((ref.parameterNotFoundAction ?? 'Deny') === 'Deny') throw new Error('no params found for policy binding with `Deny` parameterNotFoundAction');
      return [];
    }
    return withType;
  }

  /** Evaluates one policy for one binding and param: the decisions of its validations (and audit annotation errors). */
  private async evaluate(c: CompiledPolicy, base: Record<string, unknown>, failurePolicy: string, session: AuthorizationSession, budget: { remaining: number }): Promise<EvaluationResult> {
    const annotations = new Map<string, string>();
    const onError = (message: string, index?: number): Decision => ({ deny: failurePolicy !== 'Ignore', message, index, reason: index === undefined ? undefined : 'Invalid' });
    const programs = new Map<string, Program | string>(c.variables.map((v) => [v.name, v.program ?? `compilation error: ${v.error}`]));
    let activation: Record<string, unknown> = base;
    activation = { ...base, variables: new LazyVariables(programs, () => activation) };

    const run = async (program: Program) => {
      const r = await evaluateAsync(program, activation, { session, costLimit: Math.min(1_000_000, budget.remaining) });
      budget.remaining -= r.cost;
      return r;
    };

    for (const m of c.matchConditions) {
      if (!m.program) return { decisions: [onError(`compilation error: ${m.error}`, 0)], annotations };
      const r = await run(m.program);
      if (r.error) return { decisions: [onError(`failed to evaluate matchCondition '${m.name}': expression '${m.program.expression}' resulted in error: ${r.error}`, 0)], annotations };
      if (r.value !== true) return { decisions: [], annotations };
    }

    const decisions: Decision[] = [];
    for (const [index, v] of c.validations.entries()) {
      if (!v.compiled.program) {
        decisions.push(onError(`compilation error: ${v.compiled.error}`, index));
        continue;
      }
      if (budget.remaining <= 0) {
        decisions.push(onError('validation failed due to running out of cost budget, no further validation rules will be run', index));
        break;
      }
      const r = await run(v.compiled.program);
      if (r.error) {
        decisions.push(onError(`expression '${v.validation.expression}' resulted in error: ${r.error}`, index));
        continue;
      }
      if (r.value === true) continue;
      let message = '';
      if (v.message?.program) {
        const m = await run(v.message.program);
        if (!m.error && typeof m.value === 'string') {
          message = m.value.trim();
          if (message.length > 5 * 1024 || message.includes('\n')) message = '';
        }
      }
      if (!message && v.validation.message) message = v.validation.message.trim();
      if (!message) message = `failed expression: ${v.validation.expression.trim()}`;
      decisions.push({ deny: true, message, reason: v.validation.reason || 'Invalid', index });
    }

    for (const a of c.auditAnnotations) {
      if (!a.program) {
        decisions.push(onError(`compilation error: ${a.error}`));
        continue;
      }
      const r = await run(a.program);
      if (r.error) decisions.push(onError(`expression '${a.valueExpression}' resulted in error: ${r.error}`));
      else if (typeof r.value === 'string') {
        const value = r.value.trim();
        if (value) annotations.set(a.key, value.slice(0, maxAuditAnnotationValueLength));
      } else if (r.value !== null) {
        decisions.push(onError(`valueExpression '${a.valueExpression}' resulted in unsupported return type: ${typeof toJson(r.value)}. Return type must be either string or null.`));
      }
    }
    return { decisions, annotations };
  }
}

/** The plug-in factory for the admission registry's `ValidatingAdmissionPolicy` slot. */
export function validatingAdmissionPolicy(deps: AdmissionPluginDependencies, opts: ValidatingAdmissionPolicyOptions): AdmissionPlugin {
  return new ValidatingAdmissionPolicyPlugin(deps, opts);
}

/** The object with its kind's RawExtension fields read as values (for CEL), or null. */
function rawValues(attrs: AdmissionAttributes, obj: StoredObject | undefined): StoredObject | null {
  if (!obj) return null;
  const fields = attrs.kind.rawJsonFields;
  return fields && attrs.subresource === '' ? withRawValues(fields, obj) : obj;
}
