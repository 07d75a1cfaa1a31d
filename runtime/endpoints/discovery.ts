/**
 * Discovery documents, computed from the Scheme: legacy discovery (`/api`, `/apis`, `/apis/<g>`, `/api/v1`,
 * `/apis/<g>/<v>`) that the Python client and older kubectl walk, and aggregated discovery v2 (`/api`, `/apis` as
 * `APIGroupDiscoveryList`) that kubectl 1.32 asks for first. Pure functions; the server picks one by `Accept` and
 * serves it from `cachedDocument`, which rebuilds only when the set of kinds changed.
 */
import { storedGroupVersionKind } from '../registry/versioned-storage.ts';
import '../registry/stored-forms/index.ts';
import { createHash } from 'node:crypto';
import { containsBigInt } from '../machinery/json-int64.ts';
import { jsonText } from '../machinery/json-text.ts';
import type { Scheme } from '../machinery/scheme.ts';
import { gvString } from '../machinery/scheme.ts';
import type { GroupVersionRegistration, KindRegistration, Scope } from '../machinery/registration.ts';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface APIGroup {
  kind: 'APIGroup';
  apiVersion: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: Omit<APIGroup, 'kind' | 'apiVersion'>[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: Scope;
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name: string };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  apiVersion: 'apidiscovery.k8s.io/v2';
  kind: 'APIGroupDiscoveryList';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** What `/scale` returns for every kind that has it, built-in or custom. */
export const scaleKind: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
/** Subresources serve only reads and writes of the parent object (or its Scale). */
const subresourceVerbs = ['get', 'patch', 'update'];

/** `/api`: the legacy core group's versions. */
export function legacyAPIVersions(serverAddress: string): APIVersions {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(scheme: Scheme, group: string): Omit<APIGroup, 'kind' | 'apiVersion'> | undefined {
  const versions = scheme.versionsOf(group).map((gv) => ({ groupVersion: gvString(gv), version: gv.version }));
  if (versions.length === 0) return undefined;
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `/apis`: every named group (the core group is served at `/api` instead), versions in preference order. */
export function apiGroupList(scheme: Scheme): APIGroupList {
  const groups = scheme
    .groups()
    .filter((g) => g !== '')
    .map((g) => groupEntry(scheme, g))
    .filter((g) => g !== undefined);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function apiGroup(scheme: Scheme, group: string): APIGroup | undefined {
  if (group === '') return undefined;
  const entry = groupEntry(scheme, group);
  return entry && { kind: 'APIGroup', apiVersion: 'v1', ...entry };
}

/**
 * Upstream's storage version hash: the first 8 bytes of sha256("<group>/<version>/<kind>") of the storage version,
 * base64. Clients (the storage version migrator) only compare it for equality.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  if (!kind) return '';
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

const sortedVerbs = (verbs: readonly string[]) => [...new Set(verbs)].sort();
const byName = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function kindResources(scheme: Scheme, k: KindRegistration): APIResource[] {
  const namespaced = k.scope === 'Namespaced';
  const storage = storedGroupVersionKind(scheme, k); // events.k8s.io events as core/v1 Events, CRDs in v1beta1, as upstream
  const main: APIResource = {
    name: k.resource,
    singularName: k.singular,
    namespaced,
    kind: k.kind,
    verbs: sortedVerbs(k.verbs),
  };
  if (k.shortNames.length) main.shortNames = [...k.shortNames];
  if (k.categories.length) main.categories = [...k.categories];
  // Only stored resources have a storage version (bindings, componentstatuses and the reviews have none).
  if (k.verbs.includes('update') || k.verbs.includes('delete')) main.storageVersionHash = storageVersionHash(storage.group, storage.version, storage.kind);
  const out = [main];
  // Subresources carry an empty singularName, as upstream.
  if (k.subresources.scale) {
    out.push({ name: `${k.resource}/scale`, singularName: '', namespaced, group: scaleKind.group, version: scaleKind.version, kind: scaleKind.kind, verbs: subresourceVerbs });
  }
  if (k.subresources.status) {
    out.push({ name: `${k.resource}/status`, singularName: '', namespaced, kind: k.kind, verbs: subresourceVerbs });
  }
  // group and version are named only for a body of another group version (upstream's GroupVersionKindProvider:
  // serviceaccounts/token's TokenRequest, pods/eviction's Eviction), not for the kind's own (CSR /approval).
  for (const c of k.subresources.custom ?? []) {
    const other = c.group !== k.group || c.version !== k.version;
    out.push({ name: `${k.resource}/${c.name}`, singularName: '', namespaced, ...(other ? { group: c.group, version: c.version } : {}), kind: c.kind, verbs: sortedVerbs(c.verbs) });
  }
  return out;
}

/** `/api/v1` or `/apis/<g>/<v>`, or undefined when that group version is not served. */
export function apiResourceList(scheme: Scheme, group: string, version: string): APIResourceList | undefined {
  const gv = scheme.groupVersion(group, version);
  if (!gv) return undefined;
  const resources = gv.kinds.flatMap((k) => kindResources(scheme, k)).sort(byName((r) => r.name));
  // kube-apiserver leaves apiVersion out of the legacy `/api/v1` list only.
  return group === ''
    ? { kind: 'APIResourceList', groupVersion: gvString(gv), resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvString(gv), resources };
}

/**
 * A response kind as upstream's aggregated discovery gives it. kube-apiserver derives it from the legacy
 * APIResource, so group and version are named only for a kind of another group version (a Scale, an Eviction) and
 * are empty for the resource's own; the apiextensions server names them for custom resources.
 */
function responseKind(k: KindRegistration, group: string, version: string, kind: string): GroupVersionKind {
  return k.builtIn && group === k.group && version === k.version ? { group: '', version: '', kind } : { group, version, kind };
}

function resourceDiscovery(k: KindRegistration): APIResourceDiscovery {
  const r: APIResourceDiscovery = {
    resource: k.resource,
    responseKind: responseKind(k, k.group, k.version, k.kind),
    scope: k.scope,
    singularResource: k.singular,
    verbs: sortedVerbs(k.verbs),
  };
  if (k.shortNames.length) r.shortNames = [...k.shortNames];
  if (k.categories.length) r.categories = [...k.categories];
  const subs: APISubresourceDiscovery[] = [];
  if (k.subresources.scale) subs.push({ subresource: 'scale', responseKind: responseKind(k, scaleKind.group, scaleKind.version, scaleKind.kind), verbs: subresourceVerbs });
  if (k.subresources.status) subs.push({ subresource: 'status', responseKind: responseKind(k, k.group, k.version, k.kind), verbs: subresourceVerbs });
  for (const c of k.subresources.custom ?? []) subs.push({ subresource: c.name, responseKind: responseKind(k, c.group, c.version, c.kind), verbs: sortedVerbs(c.verbs) });
  // Sorted by name, as upstream lists them (namespaces: finalize, status).
  if (subs.length) r.subresources = subs.sort(byName((x) => x.subresource));
  return r;
}

function versionDiscovery(gv: GroupVersionRegistration): APIVersionDiscovery {
  return {
    version: gv.version,
    resources: gv.kinds.map(resourceDiscovery).sort(byName((r) => r.resource)),
    freshness: 'Current',
  };
}

/**
 * Aggregated discovery (`apidiscovery.k8s.io/v2`): `legacy` is what `/api` returns (one item, the core group, with
 * an empty name), `apis` what `/apis` returns (every named group, groups and versions in preference order).
 */
export function aggregatedDiscovery(scheme: Scheme, which: 'legacy' | 'apis'): APIGroupDiscoveryList {
  const groups = scheme.groups().filter((g) => (which === 'legacy' ? g === '' : g !== ''));
  const items = groups.map((g) => ({ metadata: { name: g }, versions: scheme.versionsOf(g).map(versionDiscovery) }));
  return { apiVersion: 'apidiscovery.k8s.io/v2', kind: 'APIGroupDiscoveryList', metadata: {}, items };
}

// ---------------------------------------------------------------------------------------------------------------
// Serving cache

export interface CachedDocument {
  /** The document as JSON. */
  body: string;
  /** A strong, quoted entity tag of `body` (uppercase hex sha512, as kube-apiserver), for `ETag`/`If-None-Match`. */
  etag: string;
}

/** Quoted uppercase-hex sha512 of a body: the ETag form kube-apiserver uses for discovery and OpenAPI. */
export function etagOf(body: string): string {
  return `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
}

const documentCache = new WeakMap<Scheme, { version: number; docs: Map<unknown, CachedDocument | undefined> }>();

/**
 * Serves a derived document as JSON with an ETag, rebuilding it only when `scheme.version` moved. Entries are keyed
 * by `key` if given, else by the `build` function itself, so pass a stable function (or a key such as
 * `'discovery:/apis'`) rather than a fresh closure per request. When `build` returns undefined (e.g. an unknown
 * group), so does this.
 */
export function cachedDocument(scheme: Scheme, build: () => unknown, key?: string): CachedDocument | undefined {
  let cache = documentCache.get(scheme);
  // A change to the set of kinds invalidates every document at once (and drops those of removed groups).
  if (!cache || cache.version !== scheme.version) documentCache.set(scheme, (cache = { version: scheme.version, docs: new Map() }));
  const k = key ?? build;
  if (cache.docs.has(k)) return cache.docs.get(k);
  const value = build();
  let doc: CachedDocument | undefined;
  if (value !== undefined) {
    // A CRD's schema may hold int64s past 2^53 (defaults, enums: BigInts), which JSON.stringify refuses.
    const body = containsBigInt(value) ? jsonText(value) : JSON.stringify(value);
    doc = { body, etag: etagOf(body) };
  }
  cache.docs.set(k, doc);
  return doc;
}
