/**
 * Nodes, as upstream's ValidateNode, ValidateNodeUpdate and their helpers (pkg/apis/core/validation, v1.32):
 * taints in the spec and in the alpha annotations, podCIDRs, resource quantities in the status, and what an update
 * may change. Paths and messages are upstream's, quirks included (spec taints are reported under `metadata.taints`).
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, invalid, notSupported, forbidden, required } from '../../../runtime/machinery/field-errors.ts';
import { isConfigMapKey, isValidLabelValue } from '../../../runtime/machinery/string-checks.ts';
import { validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import type { Node, NodeConfigSource, Taint } from './node.ts';
import { goStrings, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goNodeAddress, goNodeConfigSource, goTaint } from './go-internal.ts';
import { validateResourceQuantityValue } from './validation-common.ts';
import { decodeAnnotationJson } from './annotation-json.ts';
import { ipFamilyOf, parseCIDRSloppy } from '../../../runtime/machinery/ip-address.ts';

const taintsAnnotation = 'scheduler.alpha.kubernetes.io/taints';
const preferAvoidPodsAnnotation = 'scheduler.alpha.kubernetes.io/preferAvoidPods';
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Each taint's key, value and effect, and one taint per key and effect. */
function validateNodeTaints(taints: Taint[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const at = `${path}[${i}]`;
    errors.push(...validateQualifiedName(t.key ?? '', `${at}.key`));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errors.push(invalid(`${at}.value`, t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errors.push(required(`${at}.effect`, ''));
    else if (!taintEffects.includes(t.effect)) errors.push(notSupported(`${at}.effect`, t.effect, taintEffects));
    const key = JSON.stringify([t.effect ?? '', t.key ?? '']);
    if (seen.has(key)) {
      errors.push({ ...duplicate(at, goValue(goTaint, t)), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(key);
  });
  return errors;
}

/** The alpha taints annotation: JSON taints, each checked as spec taints are (ValidateTaintsInNodeAnnotations). */
function validateTaintsAnnotation(text: string, path: string): FieldError[] {
  const decoded = decodeAnnotationJson(text, 'taints');
  if ('error' in decoded) return [invalid(path, taintsAnnotation, decoded.error)];
  const taints = (decoded.value as Taint[] | null) ?? [];
  return taints.length ? validateNodeTaints(taints, `${path}.${taintsAnnotation}`) : [];
}

interface AvoidPods {
  preferAvoidPods?: Array<{ podSignature?: { podController?: { controller?: boolean } | null } }> | null;
}

/** The preferAvoidPods annotation: each entry names a controller (ValidateAvoidPodsInNodeAnnotations). */
function validateAvoidPodsAnnotation(text: string, path: string): FieldError[] {
  const decoded = decodeAnnotationJson(text, 'avoidPods');
  if ('error' in decoded) return [invalid(`${path}.AvoidPods`, preferAvoidPodsAnnotation, decoded.error)];
  const avoid = (decoded.value as AvoidPods | null) ?? {};
  const errors: FieldError[] = [];
  (avoid.preferAvoidPods ?? []).forEach((entry, i) => {
    const at = `${path}.${preferAvoidPodsAnnotation}[${i}].PodSignature`;
    const controller = entry?.podSignature?.podController;
    if (!controller) errors.push(required(at, ''));
    else if (!controller.controller) errors.push(invalid(`${at}.PodController.Controller`, false, 'must point to a controller'));
  });
  return errors;
}

function validateNodeAnnotations(annotations: Record<string, string> | undefined): FieldError[] {
  const path = 'metadata.annotations';
  const errors: FieldError[] = [];
  if (annotations?.[taintsAnnotation]) errors.push(...validateTaintsAnnotation(annotations[taintsAnnotation], path));
  if (annotations?.[preferAvoidPodsAnnotation]) errors.push(...validateAvoidPodsAnnotation(annotations[preferAvoidPodsAnnotation], path));
  return errors;
}

/** Capacity and allocatable quantities; upstream's path names the resource as a field, not a key. */
function validateNodeResources(node: Node): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['capacity', 'allocatable'] as const) {
    const quantities = node.status?.[list] ?? {};
    for (const name of Object.keys(quantities)) errors.push(...validateResourceQuantityValue(name, quantities, `status.${list}.${name}`));
  }
  return errors;
}

/**
 * Each podCIDR a CIDR as ParseCIDRSloppy reads it (IsValidCIDR); with more than one, one per IP family (the family
 * of the network address, by To4, as netutils.IsDualStackCIDRStrings) and no repeats.
 */
function validatePodCIDRs(cidrs: string[]): FieldError[] {
  const path = 'spec.podCIDRs';
  const errors: FieldError[] = [];
  const nets = cidrs.map(parseCIDRSloppy);
  nets.forEach((n, i) => {
    if (!n) errors.push(invalid(`${path}[${i}]`, cidrs[i], 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if (cidrs.length < 2) return errors;
  const bad = nets.findIndex((n) => !n);
  if (bad >= 0) {
    // Upstream's dual-stack check fails on the first unparsable CIDR with an internal error, then reports the family rule.
    errors.push({ type: 'InternalError', field: path, detail: `invalid PodCIDRs. failed to check with dual stack with error:failed to parse cidr value:${JSON.stringify(cidrs[bad])} with error:invalid CIDR address: ${cidrs[bad]}` });
  }
  const v4 = nets.filter((n) => n && ipFamilyOf(n.ip) === 4).length;
  const dualStack = bad < 0 && v4 > 0 && v4 < cidrs.length;
  if (!dualStack || cidrs.length > 2) errors.push(invalid(path, goValue(goStrings, cidrs), 'may specify no more than one CIDR for each IP family'));
  const seen = new Set<string>();
  cidrs.forEach((c, i) => {
    if (seen.has(c)) errors.push(duplicate(`${path}[${i}]`, c));
    seen.add(c);
  });
  return errors;
}

/** Upstream's ValidateNode, after the object metadata (which the strategy checks). */
export function validateNode(node: Node): FieldError[] {
  const errors = validateNodeAnnotations(node.metadata?.annotations);
  if (node.spec?.taints?.length) errors.push(...validateNodeTaints(node.spec.taints, 'metadata.taints'));
  errors.push(...validateNodeResources(node));
  if (node.spec?.podCIDRs?.length) errors.push(...validatePodCIDRs(node.spec.podCIDRs));
  return errors;
}


/** The deprecated dynamic-config status: exactly one source, naming a ConfigMap with uid and resourceVersion. */
function validateConfigSourceStatus(source: NodeConfigSource, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const cm = source.configMap;
  if (cm) {
    const at = `${path}.configMap`;
    if (!cm.uid) errors.push(required(`${at}.uid`, 'uid must be set in status'));
    if (!cm.resourceVersion) errors.push(required(`${at}.resourceVersion`, 'resourceVersion must be set in status'));
    if (!cm.namespace) errors.push(required(`${at}.namespace`, 'namespace must be set'));
    else errors.push(...validateName(cm.namespace, 'dns1123-label', `${at}.namespace`));
    if (!cm.name) errors.push(required(`${at}.name`, 'name must be set'));
    else errors.push(...validateName(cm.name, 'dns1123-subdomain', `${at}.name`));
    if (!cm.kubeletConfigKey) errors.push(required(`${at}.kubeletConfigKey`, 'kubeletConfigKey must be set'));
    else errors.push(...isConfigMapKey(cm.kubeletConfigKey).map((m) => invalid(`${at}.kubeletConfigKey`, cm.kubeletConfigKey, m)));
  } else {
    errors.push(invalid(path, goValue(goNodeConfigSource, source), 'exactly one reference subfield must be non-nil'));
  }
  return errors;
}

const podCIDRChange = 'node updates may not change podCIDR except from "" to valid';

/** Upstream's ValidateNodeUpdate, after the metadata update rules: what a node (or its /status) may change. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errors = [...validateNodeAnnotations(node.metadata?.annotations), ...validateNodeResources(node)];
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const key = JSON.stringify([a.type, a.address]);
    if (seen.has(key)) errors.push(duplicate(`status.addresses[${i}]`, goValue(goNodeAddress, a)));
    seen.add(key);
  });
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const cidrs = node.spec?.podCIDRs ?? [];
  if (oldCIDRs.length) {
    if (oldCIDRs.length !== cidrs.length) errors.push(forbidden('spec.podCIDRs', podCIDRChange));
    else oldCIDRs.forEach((c, i) => c !== cidrs[i] && errors.push(forbidden('spec.podCIDRs', podCIDRChange)));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errors.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  const config = node.status?.config;
  if (config) {
    for (const which of ['assigned', 'active', 'lastKnownGood'] as const) {
      if (config[which]) errors.push(...validateConfigSourceStatus(config[which], `status.config.${which}`));
    }
  }
  if (node.spec?.taints?.length) errors.push(...validateNodeTaints(node.spec.taints, 'metadata.taints'));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errors.push(forbidden('spec.externalID', 'may not be updated'));
  return errors;
}
