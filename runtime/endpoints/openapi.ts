/**
 * OpenAPI documents computed from the Scheme: `/openapi/v3` (an index of per-group-version documents with content
 * hashes), each group version's OpenAPI 3.0 document, and one Swagger 2.0 document. kubectl needs them: `apply`,
 * `create`, `edit`, `diff` refuse to run without v3 (or v2), `explain` reads schemas by x-kubernetes-group-version-kind,
 * and server-side field validation is used only if the kind's PATCH operation lists `fieldValidation`. Paths are
 * derived from each kind's verbs and subresources the way kube-apiserver's installer lays them out; operation ids
 * follow upstream's naming so generated clients keep their method names. Documents are cached per scheme version.
 */
import { createHash } from 'node:crypto';
import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import type { Scheme } from '../machinery/scheme.ts';
import type { GroupVersionRegistration, KindRegistration } from '../machinery/registration.ts';

// ---------------------------------------------------------------------------------------------------------------
// Shared meta schemas: Status, DeleteOptions, WatchEvent, Patch, discovery types and autoscaling/v1 Scale, which
// paths refer to. Field names as upstream, descriptions our own; one source renders to v3 and v2.
type SchemaFlavor = 'v3' | 'v2';
type Schema = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const names = {
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

function refPrefix(flavor: SchemaFlavor): string {
  return flavor === 'v3' ? '#/components/schemas/' : '#/definitions/';
}

/** A `$ref` to a named schema. */
function ref(flavor: SchemaFlavor, name: string): Schema {
  return { $ref: refPrefix(flavor) + name };
}

/** A property that is a named schema plus its own description (v3 cannot put siblings next to `$ref`). */
function refProperty(flavor: SchemaFlavor, name: string, description: string): Schema {
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

// ---------------------------------------------------------------------------------------------------------------
// Endpoints: one model of every path and operation, rendered to v3 and to v2.

type ParamType = 'string' | 'integer' | 'boolean';

interface Param {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  required?: boolean;
}

interface GVK {
  group: string;
  version: string;
  kind: string;
}

interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  description: string;
  tags: string[];
  action?: string;
  gvk?: GVK;
  params: Param[];
  body?: { schema: string; contentTypes: string[]; required: boolean };
  /** HTTP status -> [description, schema name]. */
  responses: Array<[string, string, string?]>;
  produces: string[];
}

interface PathItem {
  params: Param[];
  ops: Operation[];
}

const q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });

const P = {
  pretty: q('pretty', 'string', "If 'true', the response is indented for people to read."),
  namespace: { name: 'namespace', in: 'path', type: 'string', required: true, description: 'The namespace the object lives in.' } as Param,
  name: (kind: string): Param => ({ name: 'name', in: 'path', type: 'string', required: true, description: `Name of the ${kind}.` }),
  labelSelector: q('labelSelector', 'string', 'Only return objects whose labels match this selector. Defaults to everything.'),
  fieldSelector: q('fieldSelector', 'string', 'Only return objects whose fields match this selector. Defaults to everything.'),
  limit: q('limit', 'integer', 'Return at most this many objects; `metadata.continue` then fetches the rest of the same consistent list.'),
  continue: q('continue', 'string', 'The `metadata.continue` token of the previous page. Not allowed with watch.'),
  resourceVersion: q('resourceVersion', 'string', 'Which revision the answer may come from, or the revision a watch starts after.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'End the list or watch call after this many seconds.'),
  watch: q('watch', 'boolean', 'Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Let the server send BOOKMARK events carrying only a newer resourceVersion.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with ADDED events for the current objects, then a bookmark marking their end.'),
  dryRun: q('dryRun', 'string', 'When All, check and answer the request without storing anything.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldManagerPatch: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields. Required for apply patches.'),
  fieldValidation: q('fieldValidation', 'string', 'What to do with unknown or duplicate fields in the body: Ignore, Warn or Strict.'),
  force: q('force', 'boolean', 'Apply patches only: take ownership of fields other managers own instead of failing with a conflict.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds to wait before deletion; 0 deletes at once.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated; use propagationPolicy.'),
  propagationPolicy: q('propagationPolicy', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object that can no longer be read from storage. Dangerous; requires extra permission.',
  ),
};

const listParams = [P.labelSelector, P.fieldSelector, P.watch, P.allowWatchBookmarks, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.limit, P.continue];
const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
// kubectl decides whether the server validates fields by finding `fieldValidation` among the PATCH operation's
// own parameters, on the operation whose x-kubernetes-group-version-kind is the kind.
const patchParams = [P.dryRun, P.force, P.fieldManagerPatch, P.fieldValidation];
const deleteParams = [P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy, P.dryRun];
const deleteCollectionParams = [...deleteParams, P.labelSelector, P.fieldSelector, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.limit, P.continue];

const JSON_TYPE = 'application/json';
const YAML = 'application/yaml';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const patchTypes = (builtIn: boolean) => [
  'application/json-patch+json',
  'application/merge-patch+json',
  // Custom resources have no Go struct to read strategic-merge metadata from; upstream refuses it (415).
  ...(builtIn ? ['application/strategic-merge-patch+json'] : []),
  'application/apply-patch+yaml',
];

// Upstream's ToValidOperationID: keep letters, '_' and non-leading digits; whatever else separates words.
function operationIdPart(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  [...s].forEach((ch, i) => {
    if (/\p{L}/u.test(ch) || ch === '_' || (i !== 0 && /\p{Nd}/u.test(ch))) {
      out += capitalize ? ch.toUpperCase() : ch;
      capitalize = false;
    } else capitalize = true;
  });
  return out;
}

const trimmedGroup = (group: string) => (group === '' ? 'core' : group.replace(/\.k8s\.io$/, ''));
/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`: the tag upstream gives a group version's operations. */
export function groupVersionTag(group: string, version: string): string {
  return `${operationIdPart(trimmedGroup(group), false)}_${operationIdPart(version, false)}`;
}
/** `CoreV1`, `AppsV1`: what goes between an operation's verb and its kind. */
function operationInfix(group: string, version: string): string {
  return operationIdPart(trimmedGroup(group), true) + operationIdPart(version, true);
}

function kindListSchemaName(k: KindRegistration): string {
  return k.openapiName.endsWith(k.kind) ? k.openapiName.slice(0, -k.kind.length) + k.listKind : `${k.openapiName}List`;
}

function rootPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function addOp(paths: Map<string, PathItem>, path: string, params: Param[], op: Operation): void {
  let item = paths.get(path);
  if (!item) paths.set(path, (item = { params, ops: [] }));
  item.ops.push(op);
}

/** Every path and operation of one group version, from the verbs and subresources its kinds declare. */
function groupVersionPaths(gv: GroupVersionRegistration): Map<string, PathItem> {
  const paths = new Map<string, PathItem>();
  const root = rootPath(gv.group, gv.version);
  const tags = [groupVersionTag(gv.group, gv.version)];
  const infix = operationInfix(gv.group, gv.version);
  const unauthorized: [string, string] = ['401', 'Unauthorized'];

  addOp(paths, `${root}/`, [], {
    method: 'get',
    operationId: `get${infix}APIResources`,
    description: 'get available resources',
    tags,
    params: [],
    responses: [['200', 'OK', names.apiResourceList], unauthorized],
    produces: [JSON_TYPE, YAML, PROTOBUF],
  });

  for (const k of gv.kinds) {
    const builtIn = k.protobuf;
    const verbs = new Set<string>(k.verbs);
    const namespaced = k.scope === 'Namespaced';
    const ns = namespaced ? 'Namespaced' : '';
    const kindGVK: GVK = { group: k.group, version: k.version, kind: k.kind };
    const kindSchema = k.openapiName;
    const listSchema = kindListSchemaName(k);
    const produces = builtIn ? [JSON_TYPE, YAML, PROTOBUF] : [JSON_TYPE, YAML];
    const producesStream = builtIn
      ? [JSON_TYPE, YAML, PROTOBUF, `${JSON_TYPE};stream=watch`, `${PROTOBUF};stream=watch`]
      : [JSON_TYPE, YAML, `${JSON_TYPE};stream=watch`];
    const bodyTypes = builtIn ? [JSON_TYPE, YAML, PROTOBUF] : [JSON_TYPE, YAML];
    const base = { tags, gvk: kindGVK };

    const collection = namespaced ? `${root}/namespaces/{namespace}/${k.resource}` : `${root}/${k.resource}`;
    const item = `${collection}/{name}`;
    const collectionParams = namespaced ? [P.namespace, P.pretty] : [P.pretty];
    const itemParams = [P.name(k.kind), ...collectionParams];
    const watchRoot = namespaced ? `${root}/watch/namespaces/{namespace}/${k.resource}` : `${root}/watch/${k.resource}`;

    if (verbs.has('list')) {
      addOp(paths, collection, collectionParams, {
        ...base, method: 'get', operationId: `list${infix}${ns}${k.kind}`, description: `list or watch objects of kind ${k.kind}`,
        action: 'list', params: listParams, responses: [['200', 'OK', listSchema], unauthorized], produces: producesStream,
      });
      if (namespaced) {
        addOp(paths, `${root}/${k.resource}`, [P.pretty], {
          ...base, method: 'get', operationId: `list${infix}${k.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${k.kind} in every namespace`,
          action: 'list', params: listParams, responses: [['200', 'OK', listSchema], unauthorized], produces: producesStream,
        });
      }
    }
    if (verbs.has('create')) {
      addOp(paths, collection, collectionParams, {
        ...base, method: 'post', operationId: `create${infix}${ns}${k.kind}`, description: `create a ${k.kind}`, action: 'post',
        params: writeParams, body: { schema: kindSchema, contentTypes: bodyTypes, required: true },
        responses: [['200', 'OK', kindSchema], ['201', 'Created', kindSchema], ['202', 'Accepted', kindSchema], unauthorized], produces,
      });
    }
    if (verbs.has('deletecollection')) {
      addOp(paths, collection, collectionParams, {
        ...base, method: 'delete', operationId: `delete${infix}Collection${ns}${k.kind}`, description: `delete a collection of ${k.kind}`,
        action: 'deletecollection', params: deleteCollectionParams, body: { schema: names.deleteOptions, contentTypes: [JSON_TYPE, YAML], required: false },
        responses: [['200', 'OK', names.status], unauthorized], produces,
      });
    }
    if (verbs.has('get')) {
      addOp(paths, item, itemParams, {
        ...base, method: 'get', operationId: `read${infix}${ns}${k.kind}`, description: `read the specified ${k.kind}`, action: 'get',
        params: [], responses: [['200', 'OK', kindSchema], unauthorized], produces,
      });
    }
    if (verbs.has('update')) {
      addOp(paths, item, itemParams, {
        ...base, method: 'put', operationId: `replace${infix}${ns}${k.kind}`, description: `replace the specified ${k.kind}`, action: 'put',
        params: writeParams, body: { schema: kindSchema, contentTypes: bodyTypes, required: true },
        responses: [['200', 'OK', kindSchema], ['201', 'Created', kindSchema], unauthorized], produces,
      });
    }
    if (verbs.has('patch')) {
      addOp(paths, item, itemParams, {
        ...base, method: 'patch', operationId: `patch${infix}${ns}${k.kind}`, description: `partially update the specified ${k.kind}`,
        action: 'patch', params: patchParams, body: { schema: names.patch, contentTypes: patchTypes(builtIn), required: true },
        responses: [['200', 'OK', kindSchema], ['201', 'Created', kindSchema], unauthorized], produces,
      });
    }
    if (verbs.has('delete')) {
      addOp(paths, item, itemParams, {
        ...base, method: 'delete', operationId: `delete${infix}${ns}${k.kind}`, description: `delete a ${k.kind}`, action: 'delete',
        params: deleteParams, body: { schema: names.deleteOptions, contentTypes: [JSON_TYPE, YAML], required: false },
        responses: [['200', 'OK', names.status], ['202', 'Accepted', names.status], unauthorized], produces,
      });
    }
    if (verbs.has('watch')) {
      const deprecated = "deprecated: use the 'watch' parameter with a list operation instead";
      const watchResponses: Operation['responses'] = [['200', 'OK', names.watchEvent], unauthorized];
      addOp(paths, watchRoot, collectionParams, {
        ...base, method: 'get', operationId: `watch${infix}${ns}${k.kind}List`,
        description: `watch changes to a list of ${k.kind}; ${deprecated}.`, action: 'watchlist', params: listParams, responses: watchResponses, produces: producesStream,
      });
      addOp(paths, `${watchRoot}/{name}`, itemParams, {
        ...base, method: 'get', operationId: `watch${infix}${ns}${k.kind}`,
        description: `watch changes to one ${k.kind}; ${deprecated}, selecting the object with a metadata.name field selector.`,
        action: 'watch', params: listParams, responses: watchResponses, produces: producesStream,
      });
      if (namespaced) {
        addOp(paths, `${root}/watch/${k.resource}`, [P.pretty], {
          ...base, method: 'get', operationId: `watch${infix}${k.kind}ListForAllNamespaces`,
          description: `watch changes to ${k.kind} objects in every namespace; ${deprecated}.`, action: 'watchlist', params: listParams,
          responses: watchResponses, produces: producesStream,
        });
      }
    }

    const subresources: Array<[string, string, GVK]> = [];
    if (k.subresources.status) subresources.push(['status', kindSchema, kindGVK]);
    if (k.subresources.scale) subresources.push(['scale', names.scale, { group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
    for (const [sub, schema, subGVK] of subresources) {
      const Sub = sub[0].toUpperCase() + sub.slice(1);
      const path = `${item}/${sub}`;
      const sb = { tags, gvk: subGVK };
      addOp(paths, path, itemParams, {
        ...sb, method: 'get', operationId: `read${infix}${ns}${k.kind}${Sub}`, description: `read ${sub} of the specified ${k.kind}`,
        action: 'get', params: [], responses: [['200', 'OK', schema], unauthorized], produces,
      });
      addOp(paths, path, itemParams, {
        ...sb, method: 'put', operationId: `replace${infix}${ns}${k.kind}${Sub}`, description: `replace ${sub} of the specified ${k.kind}`,
        action: 'put', params: writeParams, body: { schema, contentTypes: bodyTypes, required: true },
        responses: [['200', 'OK', schema], ['201', 'Created', schema], unauthorized], produces,
      });
      addOp(paths, path, itemParams, {
        ...sb, method: 'patch', operationId: `patch${infix}${ns}${k.kind}${Sub}`, description: `partially update ${sub} of the specified ${k.kind}`,
        action: 'patch', params: patchParams, body: { schema: names.patch, contentTypes: patchTypes(builtIn), required: true },
        responses: [['200', 'OK', schema], ['201', 'Created', schema], unauthorized], produces,
      });
    }
  }
  return paths;
}

/** The discovery endpoints' own paths: `/api/`, `/apis/`, `/apis/<group>/`. */
function discoveryPaths(which: { kind: 'api' } | { kind: 'apis' } | { kind: 'group'; group: string }): Map<string, PathItem> {
  const paths = new Map<string, PathItem>();
  const produces = [JSON_TYPE, YAML, PROTOBUF];
  const responses = (schema: string): Operation['responses'] => [['200', 'OK', schema], ['401', 'Unauthorized']];
  if (which.kind === 'api') {
    addOp(paths, '/api/', [], { method: 'get', operationId: 'getCoreAPIVersions', description: 'get available API versions', tags: ['core'], params: [], responses: responses(names.apiVersions), produces });
  } else if (which.kind === 'apis') {
    addOp(paths, '/apis/', [], { method: 'get', operationId: 'getAPIVersions', description: 'get available API versions', tags: ['apis'], params: [], responses: responses(names.apiGroupList), produces });
  } else {
    const g = which.group;
    addOp(paths, `/apis/${g}/`, [], {
      method: 'get', operationId: `get${operationIdPart(trimmedGroup(g), true)}APIGroup`, description: 'get information of a group',
      tags: [operationIdPart(trimmedGroup(g), false)], params: [], responses: responses(names.apiGroup), produces,
    });
  }
  return paths;
}

function renderParam(p: Param, flavor: SchemaFlavor): Schema {
  const out: Schema = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  if (flavor === 'v3') out.schema = { type: p.type, uniqueItems: true };
  else Object.assign(out, { type: p.type, uniqueItems: true });
  return out;
}

function renderOperation(op: Operation, flavor: SchemaFlavor): Schema {
  const out: Schema = { description: op.description, operationId: op.operationId, tags: op.tags };
  const params = op.params.map((p) => renderParam(p, flavor));
  const responses: Record<string, Schema> = {};
  if (flavor === 'v3') {
    if (op.body) {
      out.requestBody = {
        content: Object.fromEntries(op.body.contentTypes.map((t) => [t, { schema: ref('v3', op.body!.schema) }])),
        ...(op.body.required ? { required: true } : {}),
      };
    }
    for (const [code, description, schema] of op.responses) {
      responses[code] = schema
        ? { description, content: Object.fromEntries(op.produces.map((t) => [t, { schema: ref('v3', schema) }])) }
        : { description };
    }
  } else {
    if (op.body) {
      params.push({ name: 'body', in: 'body', ...(op.body.required ? { required: true } : {}), schema: ref('v2', op.body.schema) });
      out.consumes = op.method === 'patch' ? op.body.contentTypes : ['*/*'];
    }
    out.produces = op.produces;
    out.schemes = ['https'];
    for (const [code, description, schema] of op.responses) responses[code] = schema ? { description, schema: ref('v2', schema) } : { description };
  }
  if (params.length) out.parameters = params;
  out.responses = responses;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { ...op.gvk };
  return out;
}

function renderPaths(paths: Map<string, PathItem>, flavor: SchemaFlavor): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const path of [...paths.keys()].sort()) {
    const item = paths.get(path)!;
    const rendered: Schema = {};
    for (const op of item.ops) rendered[op.method] = renderOperation(op, flavor);
    if (item.params.length) rendered.parameters = item.params.map((p) => renderParam(p, flavor));
    out[path] = rendered;
  }
  return out;
}

/** Names of every schema a rendered fragment refers to. */
function referencedSchemas(node: unknown, prefix: string, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const x of node) referencedSchemas(x, prefix, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) into.add(v.slice(prefix.length));
      else referencedSchemas(v, prefix, into);
    }
  }
  return into;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas: what each document can draw on.

/** A list kind's schema, for group versions whose generated (or CRD) definitions lack it. */
function listSchema(k: KindRegistration, flavor: SchemaFlavor): Schema {
  return {
    description: `A list of ${k.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of the object.' },
      kind: { type: 'string', description: 'The REST resource this object represents.' },
      items: { type: 'array', items: ref(flavor, k.openapiName), description: `The ${k.kind} objects.` },
      metadata: refProperty(flavor, names.listMeta, 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [{ group: k.group, kind: k.listKind, version: k.version }],
  };
}

/**
 * Every schema a document may draw on, first come first kept: the document's own group version, the other served
 * group versions (e.g. core/v1's ObjectMeta for a custom resource), then the shared meta schemas.
 */
function schemaPool(scheme: Scheme, flavor: SchemaFlavor, first?: GroupVersionRegistration): Map<string, Schema> {
  const pool = new Map<string, Schema>();
  const gvs = scheme.allGroupVersions();
  const ordered = first ? [first, ...gvs.filter((g) => g !== first)] : gvs;
  for (const gv of ordered) {
    const defs = (flavor === 'v3' ? gv.openapiV3 : gv.openapiV2) as Readonly<Record<string, Schema>>;
    for (const [name, schema] of Object.entries(defs)) if (!pool.has(name)) pool.set(name, schema);
  }
  for (const gv of ordered) {
    for (const k of gv.kinds) {
      const name = kindListSchemaName(k);
      if (!pool.has(name)) pool.set(name, listSchema(k, flavor));
    }
  }
  for (const [name, schema] of Object.entries(metaSchemas(flavor))) if (!pool.has(name)) pool.set(name, schema);
  return pool;
}

/** `roots` and everything they refer to, transitively, sorted by name. Names missing from the pool are skipped. */
function schemaClosure(pool: Map<string, Schema>, roots: Iterable<string>, flavor: SchemaFlavor): Record<string, Schema> {
  const prefix = refPrefix(flavor);
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name) || !pool.has(name)) continue;
    seen.add(name);
    for (const r of referencedSchemas(pool.get(name), prefix, new Set())) if (!seen.has(r)) queue.push(r);
  }
  return Object.fromEntries([...seen].sort().map((n) => [n, pool.get(n)!]));
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and their cache.

/** The Kubernetes version the documents claim, as kube-apiserver puts its own in `info.version`. */
export const kubernetesVersion = 'v1.32.0';
const info = { title: 'Kubernetes', version: kubernetesVersion };

/** The document paths `/openapi/v3` lists: `api`, `apis`, then `api/v1`, `apis/<g>` and `apis/<g>/<v>` per group. */
function v3DocumentPaths(scheme: Scheme): string[] {
  const out = ['api', 'apis'];
  for (const gv of scheme.allGroupVersions()) {
    if (gv.group === '') out.push(`api/${gv.version}`);
    else {
      if (!out.includes(`apis/${gv.group}`)) out.push(`apis/${gv.group}`);
      out.push(`apis/${gv.group}/${gv.version}`);
    }
  }
  return out;
}

function buildV3Document(scheme: Scheme, path: string): OpenAPIV3.Document | undefined {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  let paths: Map<string, PathItem>;
  let own: GroupVersionRegistration | undefined;
  if (parts.length === 1 && parts[0] === 'api') paths = discoveryPaths({ kind: 'api' });
  else if (parts.length === 1 && parts[0] === 'apis') paths = discoveryPaths({ kind: 'apis' });
  else if (parts.length === 2 && parts[0] === 'api') {
    own = scheme.groupVersion('', parts[1]);
    if (!own) return undefined;
    paths = groupVersionPaths(own);
  } else if (parts.length === 2 && parts[0] === 'apis') {
    if (parts[1] === '' || scheme.versionsOf(parts[1]).length === 0) return undefined;
    paths = discoveryPaths({ kind: 'group', group: parts[1] });
  } else if (parts.length === 3 && parts[0] === 'apis' && parts[1] !== '') {
    own = scheme.groupVersion(parts[1], parts[2]);
    if (!own) return undefined;
    paths = groupVersionPaths(own);
  } else return undefined;

  const rendered = renderPaths(paths, 'v3');
  const roots = new Set([...(own ? Object.keys(own.openapiV3) : []), ...referencedSchemas(rendered, refPrefix('v3'), new Set())]);
  const schemas = schemaClosure(schemaPool(scheme, 'v3', own), roots, 'v3');
  return { openapi: '3.0.0', info: { ...info }, paths: rendered, components: { schemas } } as unknown as OpenAPIV3.Document;
}

function buildV2Document(scheme: Scheme): OpenAPIV2.Document {
  const paths = new Map<string, PathItem>([...discoveryPaths({ kind: 'api' }), ...discoveryPaths({ kind: 'apis' })]);
  for (const g of scheme.groups()) if (g !== '') for (const e of discoveryPaths({ kind: 'group', group: g })) paths.set(...e);
  for (const gv of scheme.allGroupVersions()) for (const e of groupVersionPaths(gv)) paths.set(...e);
  const pool = schemaPool(scheme, 'v2');
  return {
    swagger: '2.0',
    info: { ...info },
    paths: renderPaths(paths, 'v2'),
    definitions: Object.fromEntries([...pool.keys()].sort().map((n) => [n, pool.get(n)!])),
    securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token authentication.' } },
    security: [{ BearerToken: [] }],
  } as unknown as OpenAPIV2.Document;
}

/** A document ready to serve: the JSON body, its hash (uppercase hex sha512, as kube-openapi) and quoted ETag. */
export interface ServedDocument<T = unknown> {
  document: T;
  body: string;
  hash: string;
  etag: string;
}

function served<T>(document: T): ServedDocument<T> {
  const body = JSON.stringify(document);
  const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  return { document, body, hash, etag: `"${hash}"` };
}

const cache = new WeakMap<Scheme, { version: number; v3: Map<string, ServedDocument<OpenAPIV3.Document> | undefined>; v2?: ServedDocument<OpenAPIV2.Document> }>();

function cacheFor(scheme: Scheme) {
  let c = cache.get(scheme);
  if (!c || c.version !== scheme.version) cache.set(scheme, (c = { version: scheme.version, v3: new Map() }));
  return c;
}

/** The v3 document at `path` (`api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `apis`) ready to serve, or undefined. */
export function openapiV3Served(scheme: Scheme, path: string): ServedDocument<OpenAPIV3.Document> | undefined {
  const c = cacheFor(scheme);
  const key = path.replace(/^\/+|\/+$/g, '');
  if (!c.v3.has(key)) {
    const doc = buildV3Document(scheme, key);
    c.v3.set(key, doc && served(doc));
  }
  return c.v3.get(key);
}

/**
 * The OpenAPI 3.0 document of one group version (`api/v1`, `apis/<group>/<version>`) or discovery path (`api`,
 * `apis`, `apis/<group>`): every endpoint of every kind, and the schemas they use. Shared and cached until the
 * scheme changes: do not mutate it.
 */
export function openapiV3Document(scheme: Scheme, path: string): OpenAPIV3.Document | undefined {
  return openapiV3Served(scheme, path)?.document;
}

/** `/openapi/v3`: each document's path with a `?hash=` URL, so clients cache documents until they change. */
export function openapiV3Index(scheme: Scheme): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const p of v3DocumentPaths(scheme)) {
    const doc = openapiV3Served(scheme, p);
    if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
  }
  return { paths };
}

/** `/openapi/v2` ready to serve (only when the client accepts JSON; kubectl asks for protobuf). */
export function openapiV2Served(scheme: Scheme): ServedDocument<OpenAPIV2.Document> {
  const c = cacheFor(scheme);
  return (c.v2 ??= served(buildV2Document(scheme)));
}

/** The Swagger 2.0 document of everything served. Shared and cached until the scheme changes: do not mutate it. */
export function openapiV2Document(scheme: Scheme): OpenAPIV2.Document {
  return openapiV2Served(scheme).document;
}
