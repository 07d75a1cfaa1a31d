/**
 * PodSecurity: Pod Security Admission, as upstream's plugin/pkg/admission/security/podsecurity over
 * k8s.io/pod-security-admission (v1.32). Each namespace picks a level (privileged, baseline, restricted) and a
 * policy version per mode with `pod-security.kubernetes.io/<mode>[-version]` labels:
 * - enforce: a Pod that violates it is refused, 403 `pods "x" is forbidden: violates PodSecurity "restricted:latest": ...`;
 * - warn: the response carries `Warning: would violate PodSecurity "...": ...`;
 * - audit: the request's audit event gets a `pod-security.kubernetes.io/audit-violations` annotation.
 * Workload kinds (Deployments, Jobs, ...) are checked against their pod template for warn and audit only, as
 * upstream, so a bad template is reported when it is written rather than when its Pods fail. Changing a
 * namespace's enforce label warns about existing Pods that the new level would refuse.
 */
import { fieldErrorMessage, type FieldError } from '../../../machinery/field-errors.ts';
import { failure, forbidden, invalid } from '../../../machinery/status.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { AdmissionPluginRegistry } from '../../registry.ts';
import { addAuditAnnotation, addWarning, type AdmissionAttributes, type AdmissionPlugin } from '../../types.ts';
import { aggregate, evaluatePod, forbiddenDetail, forbiddenReason, type AggregateResult } from './checks.ts';
import { admissionPluginConfiguration } from '../../config.ts';
import { podTemplateHolders } from '../../../registry/pod-templates.ts';
import {
  compareLevels,
  defaultPolicy,
  labelPrefix,
  levelVersionString,
  parsePodSecurityConfiguration,
  policyFromLabels,
  sameLevelVersion,
  type LevelVersion,
  type Policy,
  type PodSecurityConfiguration,
} from './policy.ts';

export type { PodSecurityConfiguration } from './policy.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PodSecurityDependencies {
  /** The namespace, or undefined when there is none. */
  getNamespace(name: string): Promise<StoredObject | undefined>;
  /** Every Pod in a namespace (for the warnings about existing Pods when the enforce level changes). */
  listPods(namespace: string): Promise<StoredObject[]>;
  configuration?: PodSecurityConfiguration;
}

/** Pod subresources that cannot change what the checks look at. */
const ignoredPodSubresources = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

/** Kinds that embed a pod template, as upstream's DefaultPodSpecExtractor, by `<group>/<resource>`. */
const podTemplateOf: Record<string, (obj: Json) => Json | undefined> = Object.fromEntries(
  podTemplateHolders.map((h) => [`${h.group}/${h.resource}`, h.template]),
);

/** Upstream checks at most this many Pods, for at most this long, when the enforce level of a namespace changes. */
const namespaceMaxPodsToCheck = 3000;
const namespacePodCheckTimeoutMs = 1000;

export function podSecurity(deps: PodSecurityDependencies): AdmissionPlugin {
  const config = deps.configuration ?? {};
  const defaults = config.defaults ?? defaultPolicy;
  const exempt = {
    usernames: new Set(config.exemptions?.usernames ?? []),
    namespaces: new Set(config.exemptions?.namespaces ?? []),
    runtimeClasses: new Set(config.exemptions?.runtimeClasses ?? []),
  };

  async function namespacePolicy(name: string): Promise<ReturnType<typeof policyFromLabels>> {
    let ns: StoredObject | undefined;
    try {
      ns = await deps.getNamespace(name);
    } catch {
      throw failure(500, 'InternalError', `failed to lookup namespace ${name}`);
    }
    return policyFromLabels(ns?.metadata?.labels, defaults);
  }

  /** Evaluates a pod (or template) for every mode; `enforce` is false for workload kinds. */
  function evaluate(attrs: AdmissionAttributes, policy: Policy, policyErrors: FieldError[], meta: Json | undefined, spec: Json | undefined, enforce: boolean): void {
    if (spec?.runtimeClassName && exempt.runtimeClasses.has(spec.runtimeClassName)) {
      addAuditAnnotation(attrs, `${labelPrefix}exempt`, 'runtimeClass');
      return;
    }
    if (policyErrors.length) addAuditAnnotation(attrs, `${labelPrefix}error`, `Failed to parse policy: ${policyErrors.map(fieldErrorMessage).join(', ')}`);
    const results = new Map<string, AggregateResult>();
    const resultFor = (lv: LevelVersion): AggregateResult => {
      const key = levelVersionString(lv);
      let r = results.get(key);
      if (!r) {
        r = aggregate(evaluatePod(lv.level, lv.version, meta, spec));
        results.set(key, r);
      }
      return r;
    };
    if (enforce) {
      addAuditAnnotation(attrs, `${labelPrefix}enforce-policy`, levelVersionString(policy.enforce));
      const r = resultFor(policy.enforce);
      if (!r.allowed) {
        const audit = resultFor(policy.audit);
        if (!audit.allowed) addAuditAnnotation(attrs, `${labelPrefix}audit-violations`, `would violate PodSecurity "${levelVersionString(policy.audit)}": ${forbiddenDetail(audit)}`);
        throw forbidden({ group: attrs.kind.group, resource: attrs.kind.resource }, attrs.name, `violates PodSecurity "${levelVersionString(policy.enforce)}": ${forbiddenDetail(r)}`);
      }
    }
    const audit = resultFor(policy.audit);
    if (!audit.allowed) addAuditAnnotation(attrs, `${labelPrefix}audit-violations`, `would violate PodSecurity "${levelVersionString(policy.audit)}": ${forbiddenDetail(audit)}`);
    const warn = resultFor(policy.warn);
    if (!warn.allowed) addWarning(attrs, `would violate PodSecurity "${levelVersionString(policy.warn)}": ${forbiddenDetail(warn)}`);
  }

  function isExempt(attrs: AdmissionAttributes): boolean {
    if (attrs.namespace && exempt.namespaces.has(attrs.namespace)) {
      addAuditAnnotation(attrs, `${labelPrefix}exempt`, 'namespace');
      return true;
    }
    if (attrs.user.name && exempt.usernames.has(attrs.user.name)) {
      addAuditAnnotation(attrs, `${labelPrefix}exempt`, 'user');
      return true;
    }
    return false;
  }

  async function validatePod(attrs: AdmissionAttributes): Promise<void> {
    if (ignoredPodSubresources.has(attrs.subresource) || !attrs.object) return;
    if (isExempt(attrs)) return;
    const { policy, errors } = await namespacePolicy(attrs.namespace);
    if (!errors.length && policy.enforce.level === 'privileged' && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    if (attrs.operation === 'UPDATE' && attrs.oldObject && !isSignificantPodUpdate(attrs.object, attrs.oldObject)) return;
    evaluate(attrs, policy, errors, attrs.object.metadata, attrs.object.spec, true);
  }

  async function validatePodController(attrs: AdmissionAttributes, template: (o: Json) => Json | undefined): Promise<void> {
    if (attrs.subresource || !attrs.object) return;
    if (isExempt(attrs)) return;
    const { policy, errors } = await namespacePolicy(attrs.namespace);
    if (!errors.length && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    const t = template(attrs.object);
    if (!t) return;
    evaluate(attrs, policy, errors, t.metadata, t.spec, false);
  }

  async function validateNamespace(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.subresource || !attrs.object) return;
    const next = policyFromLabels(attrs.object.metadata?.labels, defaults);
    if (attrs.operation === 'CREATE') {
      if (next.errors.length) throw invalid('', 'Namespace', attrs.name, next.errors);
      return;
    }
    const old = policyFromLabels(attrs.oldObject?.metadata?.labels, defaults);
    // Bad labels are refused only when they change, so an old namespace with bad labels can still be edited.
    const message = (e: typeof next.errors) => e.map((x) => `${x.field}:${x.detail}:${String(x.badValue)}`).join('|');
    if (next.errors.length && (!old.errors.length || message(next.errors) !== message(old.errors))) throw invalid('', 'Namespace', attrs.name, next.errors);
    const newEnforce = next.policy.enforce;
    const oldEnforce = old.policy.enforce;
    if (sameLevelVersion(newEnforce, oldEnforce) || newEnforce.level === 'privileged') return;
    if (newEnforce.version === oldEnforce.version && compareLevels(newEnforce.level, oldEnforce.level) < 1) return;
    if (exempt.namespaces.has(attrs.name)) return;
    for (const w of await existingPodWarnings(attrs.name, newEnforce)) addWarning(attrs, w);
  }

  /** Warnings naming the existing Pods the new enforce level would refuse, grouped by reason, as upstream. */
  async function existingPodWarnings(namespace: string, enforce: LevelVersion): Promise<string[]> {
    let pods: StoredObject[];
    try {
      pods = await deps.listPods(namespace);
    } catch {
      return ['failed to list pods while checking new PodSecurity enforce level'];
    }
    const total = pods.length;
    pods = pods.slice(0, namespaceMaxPodsToCheck);
    const deadline = Date.now() + namespacePodCheckTimeoutMs;
    const byReason = new Map<string, { first: string; count: number }>();
    let checked = pods.length;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      const runtimeClass = pod.spec?.runtimeClassName;
      if (!(runtimeClass && exempt.runtimeClasses.has(runtimeClass))) {
        const r = aggregate(evaluatePod(enforce.level, enforce.version, pod.metadata, pod.spec));
        if (!r.allowed) {
          const reason = forbiddenReason(r);
          const name = pod.metadata?.name ?? '';
          const seen = byReason.get(reason);
          if (!seen) byReason.set(reason, { first: name, count: 1 });
          else {
            seen.count++;
            if (name < seen.first) seen.first = name;
          }
        }
      }
      if (Date.now() > deadline) {
        checked = i + 1;
        break;
      }
    }
    const warnings: string[] = [];
    if (checked < total) warnings.push(`new PodSecurity enforce level only checked against the first ${checked} of ${total} existing pods`);
    if (byReason.size) warnings.push(`existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionString(enforce)}"`);
    const perPod = [...byReason].map(([reason, { first, count }]) => {
      if (count === 1) return `${first}: ${reason}`;
      if (count === 2) return `${first} (and 1 other pod): ${reason}`;
      return `${first} (and ${count - 1} other pods): ${reason}`;
    });
    perPod.sort();
    return [...warnings, ...perPod];
  }

  return {
    name: 'PodSecurity',
    async validate(attrs) {
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      const { group, resource } = attrs.kind;
      if (group === '' && resource === 'namespaces') return validateNamespace(attrs);
      if (group === '' && resource === 'pods') return validatePod(attrs);
      const template = podTemplateOf[`${group}/${resource}`];
      if (template) return validatePodController(attrs, template);
    },
  };
}

/** Whether a Pod update can change the outcome: only images and seccomp annotations are mutable in a Pod's spec. */
function isSignificantPodUpdate(pod: Json, old: Json): boolean {
  const ann = pod.metadata?.annotations ?? {};
  const oldAnn = old.metadata?.annotations ?? {};
  if (ann['seccomp.security.alpha.kubernetes.io/pod'] !== oldAnn['seccomp.security.alpha.kubernetes.io/pod']) return true;
  const significant = (c: Json, o: Json) => c.image !== o.image || ann[`container.seccomp.security.alpha.kubernetes.io/${c.name}`] !== oldAnn[`container.seccomp.security.alpha.kubernetes.io/${c.name}`];
  for (const field of ['containers', 'initContainers']) {
    const now: Json[] = pod.spec?.[field] ?? [];
    const before: Json[] = old.spec?.[field] ?? [];
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) if (significant(now[i], before[i])) return true;
  }
  const oldEphemeral: Json[] = old.spec?.ephemeralContainers ?? [];
  for (const c of (pod.spec?.ephemeralContainers ?? []) as Json[]) {
    const o = oldEphemeral.find((x) => x.name === c.name);
    if (!o || significant(c, o)) return true;
  }
  return false;
}

/**
 * Registers PodSecurity into the admission plug-in registry, reading namespaces from the watched lister and pods from
 * the watch cache; its defaults and exemptions come from `--admission-control-config-file`
 * (options.admissionControlConfigFile).
 */
export function registerPodSecurity(registry: AdmissionPluginRegistry): void {
  registry.register('PodSecurity', (deps) => {
    const file = deps.options.admissionControlConfigFile as string | undefined;
    const configuration = parsePodSecurityConfiguration(admissionPluginConfiguration(file, 'PodSecurity'));
    // Namespaces from the watched lister, as upstream's namespace informer (only their labels are read): each pod
    // create then costs no store read and copy of its namespace; one not there yet is looked up in the store.
    const namespaces = deps.watched('', 'v1', 'namespaces');
    const pods = deps.reader('', 'v1', 'pods');
    return podSecurity({ getNamespace: (name) => namespaces.get('', name), listPods: (ns) => pods.list(ns), configuration });
  });
}
