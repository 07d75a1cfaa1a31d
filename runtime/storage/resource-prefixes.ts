/**
 * Where each resource lives in the store, as kube-apiserver v1.32 keeps it, so one etcd can be served by either:
 * `<etcd-prefix>/<resource prefix>/<namespace>/<name>` (cluster-scoped: `<etcd-prefix>/<resource prefix>/<name>`).
 * The resource prefix is the resource's name, except for
 *  - the names upstream compiled in long ago (`SpecialDefaultResourcePrefixes` in
 *    `pkg/kubeapiserver/default_storage_factory_builder.go`): nodes under `minions`, services under `services/specs`,
 *    endpoints under `services/endpoints`, replicationcontrollers under `controllers`, ingresses under `ingress`;
 *  - resources that cohabit with another (`AddCohabitatingResources`): events.k8s.io events are core events, stored
 *    under `events` in core/v1;
 *  - the groups of the apiextensions and aggregator servers and every custom resource, whose storage factory puts
 *    the group first (`<group>/<resource>`, k8s.io/apiserver's SimpleStorageFactory).
 */

export interface GroupResource {
  group: string;
  resource: string;
}

const gr = (group: string, resource: string) => `${group}/${resource}`;

/** Upstream's SpecialDefaultResourcePrefixes, by `group/resource` (the core group is ''). */
export const specialResourcePrefixes: Readonly<Record<string, string>> = {
  [gr('', 'replicationcontrollers')]: 'controllers',
  [gr('', 'endpoints')]: 'services/endpoints',
  [gr('', 'nodes')]: 'minions',
  [gr('', 'services')]: 'services/specs',
  [gr('extensions', 'ingresses')]: 'ingress',
  [gr('networking.k8s.io', 'ingresses')]: 'ingress',
};

/**
 * Resources stored as another resource (upstream's cohabitating resources whose groups are still served): the
 * objects are kept in the other resource's key space and storage version.
 */
export const cohabitatingResources: Readonly<Record<string, GroupResource>> = {
  [gr('events.k8s.io', 'events')]: { group: '', resource: 'events' },
};

/** Groups whose resources are kept under `<group>/<resource>`, as custom resources are. */
export const groupQualifiedGroups: ReadonlySet<string> = new Set(['apiextensions.k8s.io', 'apiregistration.k8s.io']);

/** Groups upstream always stores as JSON (its apiextensions and aggregator servers' legacy JSON codec). */
export const jsonOnlyGroups: ReadonlySet<string> = groupQualifiedGroups;

/** The resource whose key space and storage version hold this resource's objects (itself unless it cohabits). */
export function storageResource(group: string, resource: string): GroupResource {
  return cohabitatingResources[gr(group, resource)] ?? { group, resource };
}

/**
 * The key prefix of a built-in resource, relative to `--etcd-prefix` (`minions`, `services/specs`, `configmaps`,
 * `apiextensions.k8s.io/customresourcedefinitions`).
 */
export function resourcePrefix(group: string, resource: string): string {
  const s = storageResource(group, resource);
  const special = specialResourcePrefixes[gr(s.group, s.resource)];
  if (special) return special;
  return groupQualifiedGroups.has(s.group) ? `${s.group}/${s.resource}` : s.resource;
}

/** The prefix of a custom resource's objects, relative to `--etcd-prefix`. */
export function customResourcePrefix(group: string, plural: string): string {
  return `${group}/${plural}`;
}

const specialByPrefix = Object.entries(specialResourcePrefixes)
  .filter(([key]) => !key.startsWith('extensions/'))
  .map(([key, prefix]) => {
    const i = key.indexOf('/');
    return { prefix: prefix + '/', gr: { group: key.slice(0, i), resource: key.slice(i + 1) } };
  });

/**
 * The resource of a key below `--etcd-prefix` (given without it, e.g. `minions/node-1`) when it is under one of the
 * special prefixes; undefined otherwise (the first segment is then the resource, or the group of `<group>/<resource>`).
 */
export function specialResourceOfKey(relativeKey: string): GroupResource | undefined {
  for (const s of specialByPrefix) if (relativeKey.startsWith(s.prefix)) return s.gr;
  return undefined;
}
