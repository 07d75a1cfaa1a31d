/**
 * Upstream's pkg/api/pod DropDisabledPodFields and DropDisabledTemplateFields with v1.32's default gates: the pod
 * spec (and status) fields of gates that are off are cleared, unless the stored spec already uses them. Registered
 * for Pods and for every kind that holds a pod template.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { podTemplateHolders } from '../../pod-templates.ts';

type Spec = StoredObject;
type Container = StoredObject;

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Every container of a spec, of each kind (an unset spec has none), by a plain walk: this runs on every pod write. */
function allContainers(spec: Spec | undefined): Container[] {
  const out: Container[] = [];
  if (!spec) return out;
  for (const list of containerLists) {
    const items = spec[list];
    if (Array.isArray(items)) for (const c of items) if (c && typeof c === 'object') out.push(c);
  }
  return out;
}

function regularContainers(spec: Spec | undefined): Container[] {
  return Array.isArray(spec?.containers) ? spec.containers.filter((c: unknown) => c && typeof c === 'object') : [];
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** A pod security context field of a gate that is off: cleared unless the old spec set it. */
function dropSecurityContextField(spec: Spec, old: Spec | undefined, field: string): void {
  if (isSet(old?.securityContext?.[field])) return;
  if (spec.securityContext && typeof spec.securityContext === 'object') delete spec.securityContext[field];
}

function podLevelResourcesInUse(spec: Spec | undefined): boolean {
  const r = spec?.resources;
  return Boolean(r && (Object.keys(r.requests ?? {}).length || Object.keys(r.limits ?? {}).length));
}

function resourceClaimsInUse(spec: Spec | undefined): boolean {
  return Array.isArray(spec?.resourceClaims) && spec.resourceClaims.length > 0;
}

/** Whether a regular container of the spec has a resize policy (v1.32 looks at regular containers only). */
function resizePolicyInUse(spec: Spec | undefined): boolean {
  return regularContainers(spec).some((c) => Array.isArray(c.resizePolicy) && c.resizePolicy.length > 0);
}

function supplementalGroupsPolicyInUse(spec: Spec | undefined): boolean {
  return isSet(spec?.securityContext?.supplementalGroupsPolicy);
}

function procMountInUse(spec: Spec | undefined): boolean {
  return allContainers(spec).some((c) => isSet(c.securityContext?.procMount) && c.securityContext.procMount !== 'Default');
}

/** The sources of every projected volume of a spec (a plain walk: this runs on every pod write). */
function projectedSources(spec: Spec | undefined): StoredObject[] {
  const out: StoredObject[] = [];
  if (!Array.isArray(spec?.volumes)) return out;
  for (const v of spec.volumes) {
    const sources = v?.projected?.sources;
    if (Array.isArray(sources)) for (const s of sources) if (s && typeof s === 'object') out.push(s);
  }
  return out;
}

function imageVolumesInUse(spec: Spec | undefined): boolean {
  return (Array.isArray(spec?.volumes) ? spec.volumes : []).some((v: StoredObject) => isSet(v?.image));
}

/** `image` volumes go, with every container's mounts of them; a list left empty goes too. */
function dropImageVolumes(spec: Spec, containers: readonly Container[]): void {
  if (!Array.isArray(spec.volumes)) return;
  const names = new Set(spec.volumes.filter((v: StoredObject) => isSet(v?.image)).map((v: StoredObject) => v.name));
  if (names.size === 0) return;
  const volumes = spec.volumes.filter((v: StoredObject) => !isSet(v?.image));
  if (volumes.length) spec.volumes = volumes;
  else delete spec.volumes;
  for (const c of containers) {
    if (!Array.isArray(c.volumeMounts)) continue;
    const mounts = c.volumeMounts.filter((m: StoredObject) => !names.has(m?.name));
    if (mounts.length) c.volumeMounts = mounts;
    else delete c.volumeMounts;
  }
}

/** Upstream's dropDisabledFields of a pod spec; `old` is the stored spec on update. Mutates `spec` only. */
export function dropDisabledPodSpecFields(spec: Spec | undefined, old: Spec | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  // The drops below change fields of containers, never the lists that hold them: one walk serves them all.
  const containers = allContainers(spec);
  if (!featureEnabled('UserNamespacesSupport') && !isSet(old?.hostUsers)) delete spec.hostUsers;
  if (!featureEnabled('SupplementalGroupsPolicy')) dropSecurityContextField(spec, old, 'supplementalGroupsPolicy');
  if (!featureEnabled('SELinuxChangePolicy')) dropSecurityContextField(spec, old, 'seLinuxChangePolicy');
  if (!featureEnabled('PodLevelResources') && !podLevelResourcesInUse(old)) delete spec.resources;
  // Go's field cannot go back to nil without a diff against stored pods, so a non-default value becomes Default.
  if (!featureEnabled('ProcMountType') && !procMountInUse(old)) {
    for (const c of containers) if (isSet(c.securityContext?.procMount)) c.securityContext.procMount = 'Default';
  }
  if (!featureEnabled('DynamicResourceAllocation') && !resourceClaimsInUse(old)) {
    for (const c of containers) if (c.resources && typeof c.resources === 'object') delete c.resources.claims;
    delete spec.resourceClaims;
  }
  if (!featureEnabled('ClusterTrustBundleProjection') && !projectedSources(old).some((s) => isSet(s.clusterTrustBundle))) {
    for (const source of projectedSources(spec)) delete source.clusterTrustBundle;
  }
  // Only the policy goes, from every kind of container: resources stay, as controllers may change a template's.
  if (!featureEnabled('InPlacePodVerticalScaling') && !resizePolicyInUse(old)) {
    for (const c of containers) delete c.resizePolicy;
  }
  if (!featureEnabled('ImageVolume') && !imageVolumesInUse(old)) dropImageVolumes(spec, containers);
}

/** The status lists of container statuses. */
const statusLists = ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const;

/**
 * Upstream's dropDisabledPodStatusFields: status fields of gates that are off, decided by the stored spec (a
 * resize policy, resource claims, a supplemental groups policy) where upstream keeps fields in use.
 */
export function dropDisabledPodStatusFields(status: StoredObject | undefined, old: Spec | undefined): void {
  if (!status || typeof status !== 'object') return;
  const statuses: StoredObject[] = statusLists.flatMap((list) => (Array.isArray(status[list]) ? status[list] : [])).filter((s: unknown) => s && typeof s === 'object');
  const resizeInUse = resizePolicyInUse(old);
  if (!featureEnabled('InPlacePodVerticalScaling') && !resizeInUse) {
    for (const s of statuses) delete s.resources;
    delete status.resize;
  }
  if (!featureEnabled('InPlacePodVerticalScaling') || !featureEnabled('InPlacePodVerticalScalingAllocatedStatus')) {
    for (const s of statuses) delete s.allocatedResources;
  }
  if (!featureEnabled('DynamicResourceAllocation') && !resourceClaimsInUse(old)) delete status.resourceClaimStatuses;
  if (!featureEnabled('ResourceHealthStatus')) for (const s of statuses) delete s.allocatedResourcesStatus;
  if (!featureEnabled('SupplementalGroupsPolicy') && !supplementalGroupsPolicyInUse(old)) for (const s of statuses) delete s.user;
}

/**
 * A pod: its spec and its status. A status an update took over from the stored pod went through this at its own
 * write, and is the stored object's own, which must not change: it is left alone.
 */
function dropDisabledPodFields(pod: StoredObject, old: StoredObject | undefined): void {
  dropDisabledPodSpecFields(pod.spec, old?.spec);
  if (pod.status !== old?.status) dropDisabledPodStatusFields(pod.status, old?.spec);
}

registerDisabledFields('', 'Pod', dropDisabledPodFields);
for (const { group, kind, template } of podTemplateHolders) {
  registerDisabledFields(group, kind, (obj, old) => dropDisabledPodSpecFields(template(obj)?.spec, template(old)?.spec));
}
