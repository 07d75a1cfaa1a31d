/**
 * The meta.k8s.io schemas OpenAPI paths refer to (Status, DeleteOptions, WatchEvent, Patch, discovery types,
 * autoscaling/v1 Scale): field names as upstream, descriptions our own; one source renders to v3 and to v2.
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
const gvk = (group: string, version: string, kind: string) => ({ group, kind, version });

const typeMeta = {
  apiVersion: str('Versioned schema of this representation of the object.'),
  kind: str('The REST resource this object represents.'),
};

/** Every shared schema, keyed by its OpenAPI name. */
export function metaSchemas(flavor: SchemaFlavor): Record<string, Schema> {
  const r = (name: string, description: string) => refProperty(flavor, name, description);
  return {
    [names.status]: {
      description: 'The outcome of a call that returns no object: a success without a body, or any failure.',
      type: 'object',
      properties: {
        ...typeMeta,
        metadata: r(names.listMeta, 'Standard list metadata.'),
        status: str('Success or Failure.'),
        message: str('What happened, for a human to read.'),
        reason: str('A machine-readable CamelCase word for why the call failed (NotFound, AlreadyExists, Invalid, ...); empty when unknown.'),
        details: r(names.statusDetails, 'More about the failure, depending on the reason.'),
        code: int('int32', 'The HTTP status code of this outcome; 0 when not set.'),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'Status')],
    },
    [names.statusDetails]: {
      description: 'Which object a failure is about, and the individual causes.',
      type: 'object',
      properties: {
        name: str('Name of the object the failure concerns, when there is one.'),
        group: str('API group of the resource the failure concerns.'),
        kind: str('Kind (or, for most reasons, resource) the failure concerns.'),
        uid: str('UID of the object the failure concerns, when known.'),
        causes: { type: 'array', items: ref(flavor, names.statusCause), description: 'One entry per problem found, e.g. per invalid field.' },
        retryAfterSeconds: int('int32', 'Seconds a client should wait before retrying, when the server suggests it.'),
      },
    },
    [names.statusCause]: {
      description: 'One problem behind a failure, usually with a field.',
      type: 'object',
      properties: {
        reason: str('A machine-readable word for the problem (e.g. FieldValueInvalid).'),
        message: str('The problem, for a human to read.'),
        field: str('Path of the field at fault, e.g. `spec.containers[0].image`; empty when it concerns no field.'),
      },
    },
    [names.listMeta]: {
      description: 'Metadata of a list response.',
      type: 'object',
      properties: {
        selfLink: str('Deprecated; always empty.'),
        resourceVersion: str('The store revision the list was read at.'),
        continue: str('Opaque token to fetch the next page; empty on the last page.'),
        remainingItemCount: int('int64', 'Number of items after this page, when the server can tell.'),
      },
    },
    [names.deleteOptions]: {
      description: 'Options of a delete call, sent as its body (or as query parameters).',
      type: 'object',
      properties: {
        ...typeMeta,
        gracePeriodSeconds: int('int64', 'Seconds to wait before the object is deleted; 0 deletes at once. Unset means the kind\'s default.'),
        preconditions: r(names.preconditions, 'Conditions the object must meet to be deleted; otherwise the call fails with 409 Conflict.'),
        orphanDependents: bool('Deprecated; use propagationPolicy. True orphans dependents, false deletes them in the background.'),
        propagationPolicy: str('What happens to dependents: Orphan, Background or Foreground.'),
        dryRun: strings('When set to [All], the call is checked and answered but nothing is stored.'),
        ignoreStoreReadErrorWithClusterBreakingPotential: bool('Delete an object that can no longer be read from storage. Dangerous; requires extra permission.'),
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'DeleteOptions')],
    },
    [names.preconditions]: {
      description: 'What the object must still be for an operation to go ahead.',
      type: 'object',
      properties: {
        uid: str('The UID the object must have.'),
        resourceVersion: str('The resourceVersion the object must have.'),
      },
    },
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
    [names.rawExtension]: {
      description: 'An embedded object of any kind, kept as it was sent.',
      type: 'object',
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
        shortNames: strings('Abbreviations clients accept for the resource.'),
        categories: strings('Groupings the resource belongs to, such as `all`.'),
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
        resources: { type: 'array', items: ref(flavor, names.apiResource), description: 'The resources and subresources.' },
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
        versions: { type: 'array', items: ref(flavor, names.groupVersionForDiscovery), description: 'Served versions, preferred first.' },
        preferredVersion: r(names.groupVersionForDiscovery, 'The version clients should use.'),
        serverAddressByClientCIDRs: {
          type: 'array',
          items: ref(flavor, names.serverAddressByClientCIDR),
          description: 'Where to reach the group from which client networks.',
        },
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIGroup')],
    },
    [names.apiGroupList]: {
      description: 'Every served named API group.',
      type: 'object',
      required: ['groups'],
      properties: {
        ...typeMeta,
        groups: { type: 'array', items: ref(flavor, names.apiGroup), description: 'The groups.' },
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIGroupList')],
    },
    [names.apiVersions]: {
      description: 'The versions served under /api, the legacy core group.',
      type: 'object',
      required: ['versions', 'serverAddressByClientCIDRs'],
      properties: {
        ...typeMeta,
        versions: strings('The versions.'),
        serverAddressByClientCIDRs: {
          type: 'array',
          items: ref(flavor, names.serverAddressByClientCIDR),
          description: 'Where to reach the server from which client networks.',
        },
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'APIVersions')],
    },
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

