/**
 * The meta.k8s.io schemas OpenAPI paths refer to that are not declared in apis/meta (WatchEvent, Patch, discovery
 * types, autoscaling/v1 Scale): field names as upstream, descriptions our own; one source renders to v3 and v2.
 * Status, DeleteOptions, ListMeta and the other declared meta types come from the generated shared definitions.
 */
export type SchemaFlavor = 'v3' | 'v2';
export type Schema = Record<string, unknown>;

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const names = {
  status: `${META}Status`,
  statusDetails: `${META}StatusDetails`,
  statusCause: `${META}StatusCause`,
  listMeta: `${META}ListMeta`,
  objectMeta: `${META}ObjectMeta`,
  deleteOptions: `${META}DeleteOptions`,
  preconditions: `${META}Preconditions`,
  watchEvent: `${META}WatchEvent`,
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  patch: `${META}Patch`,
  apiResource: `${META}APIResource`,
  apiResourceList: `${META}APIResourceList`,
  apiGroup: `${META}APIGroup`,
  apiGroupList: `${META}APIGroupList`,
  apiVersions: `${META}APIVersions`,
  groupVersionForDiscovery: `${META}GroupVersionForDiscovery`,
  serverAddressByClientCIDR: `${META}ServerAddressByClientCIDR`,
  scale: 'io.k8s.api.autoscaling.v1.Scale',
  scaleSpec: 'io.k8s.api.autoscaling.v1.ScaleSpec',
  scaleStatus: 'io.k8s.api.autoscaling.v1.ScaleStatus',
} as const;

export function refPrefix(flavor: SchemaFlavor): string {
  return flavor === 'v3' ? '#/components/schemas/' : '#/definitions/';
}

/** A `$ref` to a named schema. */
export function ref(flavor: SchemaFlavor, name: string): Schema {
  return { $ref: refPrefix(flavor) + name };
}

/** A property that is a named schema plus its own description (v3 cannot put siblings next to `$ref`). */
export function refProperty(flavor: SchemaFlavor, name: string, description: string): Schema {
  return flavor === 'v3' ? { allOf: [ref(flavor, name)], description } : { ...ref(flavor, name), description };
}

const str = (description: string): Schema => ({ type: 'string', description });
const int = (format: 'int32' | 'int64', description: string): Schema => ({ type: 'integer', format, description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const strings = (description: string): Schema => ({ type: 'array', items: { type: 'string' }, description });
/** A list Go marks `+listType=atomic` (x-kubernetes-list-type in upstream's documents). */
const atomic = (list: Schema): Schema => ({ ...list, 'x-kubernetes-list-type': 'atomic' });
const gvk = (group: string, version: string, kind: string) => ({ group, kind, version });

const typeMeta = {
  apiVersion: str('Versioned schema of this representation of the object.'),
  kind: str('The REST resource this object represents.'),
};

/** Every shared schema, keyed by its OpenAPI name. */
export function metaSchemas(flavor: SchemaFlavor): Record<string, Schema> {
  const r = (name: string, description: string) => refProperty(flavor, name, description);
  return {
    [names.watchEvent]: {
      description: 'One change in a watch stream.',
      type: 'object',
      required: ['type', 'object'],
      properties: {
        type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
        object: r(names.rawExtension, 'The object after the change; the last state for DELETED; a Status for ERROR; only metadata.resourceVersion for BOOKMARK.'),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'WatchEvent')],
    },
    [names.patch]: {
      description: 'A patch body; its Content-Type says which kind (JSON patch, merge patch, strategic merge patch, apply configuration).',
      type: 'object',
    },
    [names.apiResource]: {
      description: 'One served resource (or subresource) of a group version.',
      type: 'object',
      required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
      properties: {
        name: str('The plural resource name, or `<resource>/<subresource>`.'),
        singularName: str('The singular name; empty for subresources.'),
        namespaced: bool('True when objects live in namespaces.'),
        group: str('Group of the kind returned, when it differs from the list\'s group (e.g. autoscaling for scale).'),
        version: str('Version of the kind returned, when it differs from the list\'s version.'),
        kind: str('The kind returned.'),
        verbs: strings('The verbs served: get, list, watch, create, update, patch, delete, deletecollection.'),
        shortNames: atomic(strings('Abbreviations clients accept for the resource.')),
        categories: atomic(strings('Groupings the resource belongs to, such as `all`.')),
        storageVersionHash: str('An opaque hash of the version objects are stored in; compare for equality only.'),
      },
    },
    [names.apiResourceList]: {
      description: 'The resources served in one group version.',
      type: 'object',
      required: ['groupVersion', 'resources'],
      properties: {
        ...typeMeta,
        groupVersion: str('The group version listed, e.g. `apps/v1` or `v1`.'),
        resources: atomic({ type: 'array', items: ref(flavor, names.apiResource), description: 'The resources and subresources.' }),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIResourceList')],
    },
    [names.groupVersionForDiscovery]: {
      description: 'One version of a group.',
      type: 'object',
      required: ['groupVersion', 'version'],
      properties: {
        groupVersion: str('`<group>/<version>`.'),
        version: str('The version alone.'),
      },
    },
    [names.serverAddressByClientCIDR]: {
      description: 'Where clients from a network should reach the server.',
      type: 'object',
      required: ['clientCIDR', 'serverAddress'],
      properties: {
        clientCIDR: str('The client network this entry is for.'),
        serverAddress: str('Host or host:port to use from that network.'),
      },
    },
    [names.apiGroup]: {
      description: 'A served API group with its versions.',
      type: 'object',
      required: ['name', 'versions'],
      properties: {
        ...typeMeta,
        name: str('The group name.'),
        versions: atomic({ type: 'array', items: ref(flavor, names.groupVersionForDiscovery), description: 'Served versions, preferred first.' }),
        preferredVersion: r(names.groupVersionForDiscovery, 'The version clients should use.'),
        serverAddressByClientCIDRs: atomic({
          type: 'array',
          items: ref(flavor, names.serverAddressByClientCIDR),
          description: 'Where to reach the group from which client networks.',
        }),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIGroup')],
    },
    [names.apiGroupList]: {
      description: 'Every served named API group.',
      type: 'object',
      required: ['groups'],
      properties: {
        ...typeMeta,
        groups: atomic({ type: 'array', items: ref(flavor, names.apiGroup), description: 'The groups.' }),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIGroupList')],
    },
    [names.apiVersions]: {
      description: 'The versions served under /api, the legacy core group.',
      type: 'object',
      required: ['versions', 'serverAddressByClientCIDRs'],
      properties: {
        ...typeMeta,
        versions: atomic(strings('The versions.')),
        serverAddressByClientCIDRs: atomic({
          type: 'array',
          items: ref(flavor, names.serverAddressByClientCIDR),
          description: 'Where to reach the server from which client networks.',
        }),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIVersions')],
    },
    // Also generated from apis/autoscaling/v1/scale.ts, which wins where autoscaling/v1 is served; these stand in
    // when it is not (--runtime-config autoscaling/v1=false), since every /scale still answers with a Scale.
    [names.scale]: {
      description: 'The replica count of a scalable object, read and written through its `/scale` subresource.',
      type: 'object',
      properties: {
        ...typeMeta,
        metadata: r(names.objectMeta, 'Metadata of the scaled object.'),
        spec: r(names.scaleSpec, 'The wanted scale.'),
        status: r(names.scaleStatus, 'The observed scale; read only.'),
      },
      'x-kubernetes-group-version-kind': [gvk('autoscaling', 'v1', 'Scale')],
    },
    [names.scaleSpec]: {
      description: 'The wanted scale of an object.',
      type: 'object',
      properties: { replicas: int('int32', 'The wanted number of replicas.') },
    },
    [names.scaleStatus]: {
      description: 'The observed scale of an object.',
      type: 'object',
      required: ['replicas'],
      properties: {
        replicas: int('int32', 'The observed number of replicas.'),
        selector: str('Label selector (string form) of the pods counted in replicas.'),
      },
    },
  };
}

