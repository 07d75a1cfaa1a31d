/**
 * A Pod as a whole, on create and on each kind of write (upstream v1.32's ValidatePodCreate, ValidatePodUpdate and
 * ValidatePodStatusUpdate): the spec through the one PodSpec validator (podspec-validation.ts), plus what only a
 * pod is held to: its pod-specific annotations, the few spec fields an update may change and how, and the status
 * rules a kubelet's write must keep. Errors come in upstream's order within each function.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { type GoType, goMap, goSlice, goString, goStrings, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import type { Container, NodeAffinity, NodeSelectorTerm, Pod, PodSpec, PodStatus, Toleration } from './pod.ts';
import { podAnnotationErrors, podAnnotationUpdateErrors, securityAnnotationsMatchFields } from './pod-annotations.ts';
import { validate_PodSpec, validateTolerations } from './podspec-validation.ts';
import type { ValidationOptions } from '../../../runtime/machinery/validation-options.ts';
import { ipFamily } from './ip-address.ts';
import { ipMsg } from './validation-common.ts';

/** Pods alone must not name an image with surrounding whitespace (upstream's validateContainersOnlyForPod). */
function imageWhitespace(spec: PodSpec): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const) {
    (list ?? []).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) errors.push(invalid(`spec.${k}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errors;
}

/**
 * A pod's projected token has no account to be issued for without a serviceAccountName (the deprecated
 * serviceAccount stands in for it, as v1's conversion does). Pods only: the ServiceAccount admission plug-in names
 * "default" first, so only a server without it sees this.
 */
function tokenWithoutServiceAccount(spec: PodSpec): FieldError[] {
  if (spec.serviceAccountName || spec.serviceAccount) return [];
  const errors: FieldError[] = [];
  (spec.volumes ?? []).forEach((v, vi) => {
    (v.projected?.sources ?? []).forEach((src, si) => {
      if (src.serviceAccountToken) errors.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
    });
  });
  return errors;
}

/** Upstream's validatePodMetadataAndSpec (after ObjectMeta, which the store checks): annotations, then the spec. */
function metadataAndSpecErrors(obj: Pod, old: Pod | undefined, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec!;
  return [
    ...podAnnotationErrors(obj, old),
    ...validate_PodSpec(spec, old?.spec, 'spec', opts, true, obj.metadata?.name || undefined),
    ...tokenWithoutServiceAccount(spec),
    ...imageWhitespace(spec),
  ];
}

/**
 * A pod on create and update; validation.ts's validate_Pod. A write through pods/<name>/ephemeralcontainers comes
 * to the same hook (its strategy reaches it through the pod strategy's validateUpdate, for the schema and metadata
 * checks around it), told the subresource: it is checked as upstream's ValidatePodEphemeralContainersUpdate rather
 * than as a pod update, which refuses any change to ephemeral containers.
 */
export function validatePod(obj: Pod, old: Pod | undefined, opts: ValidationOptions): FieldError[] {
  if (!obj.spec) return [required('spec', '')];
  if (old?.spec && opts.subresource === 'ephemeralcontainers') return validatePodEphemeralContainersUpdate(obj, old, opts);
  return old?.spec ? validatePodUpdate(obj, old, opts) : validatePodCreate(obj, opts);
}

/**
 * Upstream's ValidatePodEphemeralContainersUpdate: the pod as on create but for the create-only rules, then no
 * ephemeral containers for a static pod (that refusal alone), and existing ones neither removed nor changed (both
 * at the list; upstream follows "changed" with a go-cmp diff, which it words differently from build to build).
 */
function validatePodEphemeralContainersUpdate(obj: Pod, old: Pod, opts: ValidationOptions): FieldError[] {
  const errors = [...metadataAndSpecErrors(obj, old, opts), ...podAnnotationUpdateErrors(obj, old)];
  if (old.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return [forbidden('', 'static pods do not support ephemeral containers')];
  const current = new Map((obj.spec?.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const before of old.spec?.ephemeralContainers ?? []) {
    const after = current.get(before.name);
    if (after === undefined) errors.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${before.name}" may not be removed\n`));
    else if (!semanticEqual(before, after)) errors.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${before.name}" may not be changed\n`));
  }
  return errors;
}

function validatePodCreate(obj: Pod, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec!;
  const errors = metadataAndSpecErrors(obj, undefined, opts);
  // Ephemeral containers come through their subresource only, and a pod bound to a node is past scheduling, so it
  // cannot still wait on gates.
  if (spec.ephemeralContainers?.length) errors.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (spec.nodeName && spec.schedulingGates?.length) errors.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  errors.push(...securityAnnotationsMatchFields(obj.metadata?.annotations ?? {}, obj.spec));
  return errors;
}

/** The fields a pod update may change, as upstream lists them in its one refusal. */
const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/**
 * Upstream's ValidatePodUpdate: metadata and spec as on create, then the updatable fields one by one (a change in
 * the number of containers, or a bad activeDeadlineSeconds, ends the walk there), then the rest of the spec compared
 * whole. Upstream follows its refusal with a go-cmp diff of the two specs, which go-cmp words differently from run
 * to run on purpose; only the stable first line is given here.
 */
function validatePodUpdate(obj: Pod, old: Pod, opts: ValidationOptions): FieldError[] {
  const spec = obj.spec!;
  const oldSpec = old.spec!;
  const errors = [...metadataAndSpecErrors(obj, old, opts), ...podAnnotationUpdateErrors(obj, old)];
  for (const k of ['containers', 'initContainers'] as const) {
    const [containerErrors, stop] = containerUpdateErrors(`spec.${k}`, spec[k], oldSpec[k]);
    errors.push(...containerErrors);
    if (stop) return errors;
  }
  const deadline = spec.activeDeadlineSeconds;
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (deadline != null) {
    if (deadline < 0 || deadline > 2147483647) return [...errors, invalid('spec.activeDeadlineSeconds', deadline, 'must be between 0 and 2147483647, inclusive')];
    if (oldDeadline != null && oldDeadline < deadline) return [...errors, invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value')];
  } else if (oldDeadline != null) {
    errors.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errors.push(...onlyAddedTolerations('spec.tolerations', spec.tolerations, oldSpec.tolerations));
  errors.push(...onlyDeletedSchedulingGates('spec.schedulingGates', spec.schedulingGates, oldSpec.schedulingGates));
  if (semanticEqual(spec, oldSpec)) return errors;
  const munged = mungedPodSpec(spec, oldSpec);
  if ((oldSpec.schedulingGates?.length ?? 0) > 0) errors.push(...gatedSchedulingMutations(spec, oldSpec));
  if (!semanticEqual(munged, comparable(oldSpec))) errors.push(forbidden('spec', `pod updates may not change fields other than ${updatablePodSpecFields}`));
  return errors;
}

/** Upstream's ValidateContainerUpdates: the same number of containers, each still with an image; `true` stops. */
function containerUpdateErrors(path: string, containers: Container[] | undefined, old: Container[] | undefined): [FieldError[], boolean] {
  const list = containers ?? [];
  if (list.length !== (old ?? []).length) return [[forbidden(path, 'pod updates may not add or remove containers')], true];
  const errors: FieldError[] = [];
  list.forEach((c, i) => {
    if (!c.image) errors.push(required(`${path}[${i}].image`, ''));
    if ((c.image ?? '').trim() !== (c.image ?? '')) errors.push(invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return [errors, false];
}

/**
 * Each stored toleration must still be there, its tolerationSeconds aside (one refusal at most); the new list is
 * then checked again as tolerations, so its errors show twice, as upstream's do.
 */
function onlyAddedTolerations(path: string, tolerations: Toleration[] | undefined, old: Toleration[] | undefined): FieldError[] {
  const list = tolerations ?? [];
  const found = (o: Toleration) => list.some((t) => semanticEqual({ ...o, tolerationSeconds: t.tolerationSeconds }, t));
  if (!(old ?? []).every(found)) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  return validateTolerations(path, list);
}

/** A gate may only go; each new one is refused at its own name (in list order: upstream's map order is random). */
function onlyDeletedSchedulingGates(path: string, gates: PodSpec['schedulingGates'], old: PodSpec['schedulingGates']): FieldError[] {
  const before = new Set((old ?? []).map((g) => g.name));
  const added = new Map<string, number>();
  (gates ?? []).forEach((g, i) => added.set(g.name, i));
  return [...added].filter(([name]) => !before.has(name)).sort((a, b) => a[1] - b[1]).map(([name, i]) => forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
}

/** A spec with its empty optional members dropped, so `{}` and absent compare equal where Go's nil would. */
function comparable(spec: PodSpec): PodSpec {
  const affinity = spec.affinity && Object.values(spec.affinity).some((v) => v != null) ? spec.affinity : undefined;
  return { ...spec, affinity };
}

/**
 * The new spec with what an update may change taken from the old one (upstream's munging): images, the deadline,
 * tolerations, scheduling gates, a negative grace period become 1; a gated pod's node selector and node affinity,
 * which gatedSchedulingMutations checks apart.
 */
function mungedPodSpec(spec: PodSpec, old: PodSpec): PodSpec {
  const images = (cs: Container[] | undefined, olds: Container[] | undefined) => cs?.map((c, i) => ({ ...c, image: olds?.[i]?.image }));
  const grace = (old.terminationGracePeriodSeconds ?? 0) < 0 && spec.terminationGracePeriodSeconds === 1 ? old.terminationGracePeriodSeconds : spec.terminationGracePeriodSeconds;
  const munged: PodSpec = {
    ...spec,
    containers: images(spec.containers, old.containers)!,
    initContainers: images(spec.initContainers, old.initContainers),
    activeDeadlineSeconds: old.activeDeadlineSeconds,
    schedulingGates: old.schedulingGates,
    tolerations: old.tolerations,
    terminationGracePeriodSeconds: grace,
  };
  if ((old.schedulingGates?.length ?? 0) > 0) {
    munged.nodeSelector = old.nodeSelector;
    munged.affinity = { ...spec.affinity, nodeAffinity: old.affinity?.nodeAffinity };
  }
  return comparable(munged);
}

const goNodeSelectorRequirement = goStruct('core.NodeSelectorRequirement', [
  ['Key', goString()],
  ['Operator', goString('core.NodeSelectorOperator')],
  ['Values', goStrings],
]);
const goNodeSelectorTerm = goStruct('core.NodeSelectorTerm', [
  ['MatchExpressions', goSlice(goNodeSelectorRequirement)],
  ['MatchFields', goSlice(goNodeSelectorRequirement)],
]);

/**
 * A pod still held by scheduling gates may be narrowed before it is scheduled (upstream's
 * validateNodeSelectorMutation and validateNodeAffinityMutation): node selectors added, required node affinity
 * terms extended, nothing taken away or changed.
 */
function gatedSchedulingMutations(spec: PodSpec, old: PodSpec): FieldError[] {
  const errors: FieldError[] = [];
  const selector = spec.nodeSelector ?? {};
  if (Object.entries(old.nodeSelector ?? {}).some(([k, v]) => selector[k] !== v)) {
    errors.push(invalid('spec.nodeSelector', goValue(goMap(goString()), spec.nodeSelector), 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
  }
  errors.push(...nodeAffinityMutations('spec.affinity.nodeAffinity', spec.affinity?.nodeAffinity, old.affinity?.nodeAffinity));
  return errors;
}

function nodeAffinityMutations(path: string, affinity: NodeAffinity | undefined, old: NodeAffinity | undefined): FieldError[] {
  if (!old?.requiredDuringSchedulingIgnoredDuringExecution) return [];
  const oldTerms = old.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? [];
  const terms = affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const at = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  if (oldTerms.length > 0 && oldTerms.length !== (terms ?? []).length) {
    return [invalid(at, goValue(goSlice(goNodeSelectorTerm), terms), 'no additions/deletions to non-empty NodeSelectorTerms list are allowed')];
  }
  return oldTerms.flatMap((o, i) => (termOnlyAdds(terms![i], o) ? [] : [invalid(`${at}[${i}]`, goValue(goNodeSelectorTerm, terms![i]), 'only additions are allowed (no mutations or deletions)')]));
}

/**
 * The old term's requirements, in order, begin the new term's; an empty term stays empty (upstream's
 * validateNodeSelectorTermHasOnlyAdditions).
 */
function termOnlyAdds(term: NodeSelectorTerm, old: NodeSelectorTerm): boolean {
  const n = (l: unknown[] | undefined) => (l ?? []).length;
  if (n(old.matchExpressions) === 0 && n(old.matchFields) === 0) return n(term.matchExpressions) === 0 && n(term.matchFields) === 0;
  const prefix = (a: unknown[] | undefined, b: unknown[] | undefined) => n(b) <= n(a) && (b ?? []).every((x, i) => semanticEqual(x, a![i]));
  return prefix(term.matchExpressions, old.matchExpressions) && prefix(term.matchFields, old.matchFields);
}

// ---- /status (upstream's ValidatePodStatusUpdate) ----

/** Condition types the system owns; any other must be a qualified name. */
const systemConditions = new Set(['PodScheduled', 'Ready', 'Initialized']);

/**
 * A write through /status: custom condition types, the node (which only a binding sets), the nominated node's
 * name, the QoS class fixed at creation, containers that may not come back from termination, and pod and host IPs.
 */
export function validatePodStatusUpdate(obj: Pod, old: Pod): FieldError[] {
  const status: PodStatus = obj.status ?? {};
  const oldStatus: PodStatus = old.status ?? {};
  const errors = [...podAnnotationUpdateErrors(obj, old)];
  // Upstream reports condition types under `metadata`, with a capital `Type`.
  (status.conditions ?? []).forEach((c, i) => {
    if (!systemConditions.has(c.type)) errors.push(...validateQualifiedName(c.type ?? '', `metadata.conditions[${i}].Type`));
  });
  if ((obj.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errors.push(forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = status.nominatedNodeName ?? '';
  if (nominated && nominated !== (oldStatus.nominatedNodeName ?? '')) errors.push(...validateName(nominated, 'dns1123-subdomain', 'status.nominatedNodeName'));
  if ((status.qosClass ?? '') !== (oldStatus.qosClass ?? '')) errors.push(invalid('status.qosClass', status.qosClass ?? '', 'field is immutable'));
  const restartPolicy = old.spec?.restartPolicy ?? '';
  errors.push(...stateTransitions('status.containerStatuses', status.containerStatuses, oldStatus.containerStatuses, restartPolicy));
  const sidecars = new Set((old.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  errors.push(...stateTransitions('status.initContainerStatuses', status.initContainerStatuses, oldStatus.initContainerStatuses, restartPolicy, sidecars));
  // The kubelet never restarts an ephemeral container: as if its restartPolicy were Never.
  errors.push(...stateTransitions('status.ephemeralContainerStatuses', status.ephemeralContainerStatuses, oldStatus.ephemeralContainerStatuses, 'Never'));
  errors.push(...podIPErrors(status), ...hostIPErrors(status));
  return errors;
}

type ContainerStatuses = PodStatus['containerStatuses'];

/**
 * Unless the pod restarts them, a terminated container stays terminated (one that failed may restart under
 * OnFailure, a sidecar init container always); upstream's ValidateContainerStateTransition.
 */
function stateTransitions(path: string, statuses: ContainerStatuses, old: ContainerStatuses, restartPolicy: string, restartable = new Set<string>()): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errors: FieldError[] = [];
  (old ?? []).forEach((o, i) => {
    const terminated = o.state?.terminated;
    if (!terminated) return;
    if ((terminated.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(o.name)) return;
    for (const s of statuses ?? []) if (s.name === o.name && !s.state?.terminated) errors.push(forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
  });
  return errors;
}

const goPodIP = goStruct('core.PodIP', [['IP', goString(), 'ip']]);
const goHostIP = goStruct('core.HostIP', [['IP', goString(), 'ip']]);

/**
 * Upstream's validatePodIPs: each IP valid, and with more than one, at most one per family and none twice. (A
 * podIP that disagrees with podIPs[0] never gets here: the conversion lets podIP win, see PodStatusStrategy.) IPs
 * are read as v1.32 reads them (ParseIPSloppy: IPv4 octets may have leading zeros; an IPv4-mapped IPv6 address is
 * IPv4).
 */
function podIPErrors(status: PodStatus): FieldError[] {
  return ipListErrors('status.podIPs', status.podIPs, goPodIP);
}

/** Upstream's validateHostIPs: hostIPs[0] is hostIP, then the rules of pod IPs. */
function hostIPErrors(status: PodStatus): FieldError[] {
  const ips = status.hostIPs ?? [];
  if (ips.length === 0) return [];
  const errors: FieldError[] = [];
  if ((status.hostIP ?? '') !== (ips[0].ip ?? '')) errors.push(invalid('status.hostIPs[0].ip', ips[0].ip ?? '', 'must be equal to `hostIP`'));
  return [...errors, ...ipListErrors('status.hostIPs', ips, goHostIP, true)];
}

/**
 * Upstream checks pod IPs' families before duplicates, host IPs' duplicates before families. The family check
 * (k8s.io/utils' IsDualStackIPStrings) fails on the first IP it cannot parse, which upstream reports as an internal
 * error of the list besides the IP's own error, and the list then counts as no dual-stack pair.
 */
function ipListErrors(path: string, list: Array<{ ip?: string }> | undefined, goElem: GoType, duplicatesFirst = false): FieldError[] {
  const ips = list ?? [];
  const families = ips.map((p) => ipFamily(p.ip ?? ''));
  const errors: FieldError[] = [];
  ips.forEach((p, i) => {
    if (families[i] === undefined) errors.push(invalid(`${path}[${i}]`, p.ip ?? '', ipMsg));
  });
  if (ips.length < 2) return errors;
  const family: FieldError[] = [];
  const unparsed = families.indexOf(undefined);
  if (unparsed >= 0) family.push({ type: 'InternalError', field: path, detail: `failed to check for dual stack with error:invalid IP[${unparsed}]: ${ips[unparsed].ip ?? ''}` });
  const dualStack = unparsed < 0 && families.includes(4) && families.includes(6);
  if (!dualStack || ips.length > 2) family.push(invalid(path, goValue(goSlice(goElem), ips), 'may specify no more than one IP for each IP family'));
  const duplicates: FieldError[] = [];
  const seen = new Set<string>();
  ips.forEach((p, i) => {
    if (seen.has(p.ip ?? '')) duplicates.push(duplicate(`${path}[${i}]`, goValue(goElem, p)));
    seen.add(p.ip ?? '');
  });
  return duplicatesFirst ? [...errors, ...duplicates, ...family] : [...errors, ...family, ...duplicates];
}
