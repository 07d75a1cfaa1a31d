/**
 * LimitRanger (upstream's plugin/pkg/admission/limitranger): the LimitRange objects of a namespace give its pods'
 * containers default requests and limits (mutating phase, recorded in the `kubernetes.io/limit-ranger`
 * annotation), and bound containers, pods and PersistentVolumeClaims by min, max and maxLimitRequestRatio
 * (validating phase). Pods are looked at on create only: their containers cannot change afterwards.
 */
import { addQuantities, compareQuantities, quantityToNumber } from '../../machinery/quantity.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, isResource, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';

export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;

interface LimitRangeItem {
  type?: string;
  min?: ResourceList;
  max?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

function items(lr: StoredObject): LimitRangeItem[] {
  return lr.spec?.limits ?? [];
}

/** Upstream's messages, word for word in meaning; `undefined` when the constraint holds. */
function minConstraint(type: string, resource: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[resource];
  const lim = limits[resource];
  if (req === undefined) return `minimum ${resource} usage per ${type} is ${enforced}.  No request is specified`;
  if (compareQuantities(req, enforced) < 0) return `minimum ${resource} usage per ${type} is ${enforced}, but request is ${req}`;
  if (lim !== undefined && compareQuantities(lim, enforced) < 0) return `minimum ${resource} usage per ${type} is ${enforced}, but limit is ${lim}`;
  return undefined;
}

function maxConstraint(type: string, resource: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[resource];
  const lim = limits[resource];
  if (lim === undefined) return `maximum ${resource} usage per ${type} is ${enforced}.  No limit is specified`;
  if (compareQuantities(lim, enforced) > 0) return `maximum ${resource} usage per ${type} is ${enforced}, but limit is ${lim}`;
  if (req !== undefined && compareQuantities(req, enforced) > 0) return `maximum ${resource} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

/** For kinds that only have requests (PVC storage). */
function maxRequestConstraint(type: string, resource: string, enforced: string, requests: ResourceList): string | undefined {
  const req = requests[resource];
  if (req === undefined) return `maximum ${resource} usage per ${type} is ${enforced}.  No request is specified`;
  if (compareQuantities(req, enforced) > 0) return `maximum ${resource} usage per ${type} is ${enforced}, but request is ${req}`;
  return undefined;
}

function ratioConstraint(type: string, resource: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[resource];
  const lim = limits[resource];
  if (req === undefined || quantityToNumber(req) === 0) return `${resource} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (lim === undefined || quantityToNumber(lim) === 0) return `${resource} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  const ratio = quantityToNumber(lim) / quantityToNumber(req);
  if (ratio > quantityToNumber(enforced)) return `${resource} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkAll(type: string, item: LimitRangeItem, requests: ResourceList, limits: ResourceList, errors: string[]): void {
  const add = (e: string | undefined) => e && errors.push(e);
  for (const [r, v] of Object.entries(item.min ?? {})) add(minConstraint(type, r, v, requests, limits));
  for (const [r, v] of Object.entries(item.max ?? {})) add(maxConstraint(type, r, v, requests, limits));
  for (const [r, v] of Object.entries(item.maxLimitRequestRatio ?? {})) add(ratioConstraint(type, r, v, requests, limits));
}

function containersOf(pod: StoredObject): { init: StoredObject[]; regular: StoredObject[] } {
  return { init: pod.spec?.initContainers ?? [], regular: pod.spec?.containers ?? [] };
}

/** A pod's effective total per resource: the sum of its containers, or the largest init container if larger. */
function podTotal(pod: StoredObject, field: 'requests' | 'limits'): ResourceList {
  const { init, regular } = containersOf(pod);
  const names = new Set<string>();
  for (const c of [...init, ...regular]) for (const r of Object.keys(c.resources?.[field] ?? {})) names.add(r);
  const out: ResourceList = {};
  for (const r of names) {
    // Upstream sums only resources every regular container names.
    const values = regular.map((c) => c.resources?.[field]?.[r] as string | undefined);
    let total = values.every((v) => v !== undefined) && values.length ? addQuantities(values as string[]) : undefined;
    for (const c of init) {
      const v = c.resources?.[field]?.[r] as string | undefined;
      if (v !== undefined && (total === undefined || compareQuantities(v, total) > 0)) total = v;
    }
    if (total !== undefined) out[r] = total;
  }
  return out;
}

function mergeDefaults(pod: StoredObject, lr: StoredObject): void {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of items(lr)) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  if (!Object.keys(requests).length && !Object.keys(limits).length) return;
  const notes: string[] = [];
  const { init, regular } = containersOf(pod);
  const merge = (c: StoredObject, label: string) => {
    const resources = (c.resources ??= {});
    const setLimits = Object.keys(limits).filter((r) => resources.limits?.[r] === undefined).sort();
    const setRequests = Object.keys(requests).filter((r) => resources.requests?.[r] === undefined).sort();
    if (setLimits.length) resources.limits = { ...(resources.limits ?? {}), ...Object.fromEntries(setLimits.map((r) => [r, limits[r]])) };
    if (setRequests.length) resources.requests = { ...(resources.requests ?? {}), ...Object.fromEntries(setRequests.map((r) => [r, requests[r]])) };
    if (setRequests.length) notes.push(`${setRequests.join(', ')} request for ${label} ${c.name}`);
    if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for ${label} ${c.name}`);
  };
  for (const c of regular) merge(c, 'container');
  for (const c of init) merge(c, 'init container');
  if (notes.length) {
    const meta = (pod.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [limitRangerAnnotation]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

function validatePod(pod: StoredObject, lr: StoredObject, errors: string[]): void {
  const { init, regular } = containersOf(pod);
  for (const item of items(lr)) {
    if (item.type === 'Container') {
      for (const c of [...regular, ...init]) checkAll('Container', item, c.resources?.requests ?? {}, c.resources?.limits ?? {}, errors);
    } else if (item.type === 'Pod') {
      checkAll('Pod', item, podTotal(pod, 'requests'), podTotal(pod, 'limits'), errors);
    }
  }
}

function validateClaim(pvc: StoredObject, lr: StoredObject, errors: string[]): void {
  const requests: ResourceList = pvc.spec?.resources?.requests ?? {};
  for (const item of items(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [r, v] of Object.entries(item.min ?? {})) {
      const e = minConstraint('PersistentVolumeClaim', r, v, requests, {});
      if (e) errors.push(e);
    }
    for (const [r, v] of Object.entries(item.max ?? {})) {
      const e = maxRequestConstraint('PersistentVolumeClaim', r, v, requests);
      if (e) errors.push(e);
    }
  }
}

export function limitRanger(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const limitRanges = deps.watched('', 'v1', 'limitranges');
  const applies = (attrs: AdmissionAttributes): 'pod' | 'pvc' | undefined => {
    if (!attrs.object || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return undefined;
    if (isResource(attrs, 'pods')) return attrs.operation === 'CREATE' ? 'pod' : undefined;
    return isResource(attrs, 'persistentvolumeclaims') ? 'pvc' : undefined;
  };
  return {
    name: 'LimitRanger',
    resources: ['pods', 'persistentvolumeclaims'],
    async admit(attrs) {
      if (applies(attrs) !== 'pod' || attrs.object?.metadata?.deletionTimestamp) return;
      for (const lr of await limitRanges.list(attrs.namespace)) mergeDefaults(attrs.object!, lr);
    },
    async validate(attrs) {
      const what = applies(attrs);
      if (!what || attrs.object?.metadata?.deletionTimestamp) return;
      const errors: string[] = [];
      for (const lr of await limitRanges.list(attrs.namespace)) {
        if (what === 'pod') validatePod(attrs.object!, lr, errors);
        else validateClaim(attrs.object!, lr, errors);
      }
      if (errors.length) throw admissionForbidden(attrs, errors);
    },
  };
}
