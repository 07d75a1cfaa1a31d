/**
 * Paths and operations: one model of every endpoint a group version serves, derived from each kind's verbs and
 * subresources as kube-apiserver's installer lays them out, rendered to OpenAPI v3 and to Swagger 2.0.
 */
import type { CustomSubresource, GroupVersionRegistration, KindRegistration } from '../../machinery/registration.ts';
import { names, ref, refProperty, type Schema, type SchemaFlavor } from './meta-schemas.ts';

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
  method: 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
  operationId: string;
  description: string;
  tags: string[];
  action?: string;
  gvk?: GVK;
  params: Param[];
  body?: { schema: string; contentTypes: string[]; required: boolean };
  /** HTTP status -> [description, schema name, or `stringResponse` for a plain string (connect, logs)]. */
  responses: Array<[string, string, string?]>;
  produces: string[];
}

export interface PathItem {
  params: Param[];
  ops: Operation[];
}

const q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });

/** A response that is a string, not a schema: what connect subresources and logs answer. */
const stringResponse = '#string';
const responseSchema = (flavor: SchemaFlavor, schema: string): Schema => (schema === stringResponse ? { type: 'string' } : ref(flavor, schema));

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

export function kindListSchemaName(k: KindRegistration): string {
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
export function groupVersionPaths(gv: GroupVersionRegistration, hasSchema: (name: string) => boolean = () => true): Map<string, PathItem> {
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
    const builtIn = k.builtIn;
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

    for (const c of k.subresources.custom ?? []) {
      // A body of a group version that is not served (policy/v1 turned off) leaves its operations out.
      if (!c.kind.endsWith('Options') && c.openapiName && !hasSchema(c.openapiName)) continue;
      customSubresourcePaths(gv, k, c, item, itemParams, { tags, infix, ns, produces, bodyTypes, builtIn }).forEach(([path, params, op]) => addOp(paths, path, params, op));
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

const capitalized = (s: string) => s[0].toUpperCase() + s.slice(1);
const proxyMethods = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'] as const;
const connectMethods: Record<string, Operation['method']> = { create: 'post', get: 'get', update: 'put', patch: 'patch', delete: 'delete' };

/**
 * The query parameters of a connect subresource: one per field of its options kind (PodExecOptions: command,
 * container, stderr, stdin, stdout, tty), as upstream's installer derives them.
 */
function optionParams(gv: GroupVersionRegistration, schemaName: string | undefined): Param[] {
  const props = (schemaName && (gv.openapiV3[schemaName]?.properties as Record<string, { type?: string; description?: string }> | undefined)) || {};
  return Object.entries(props)
    .filter(([name]) => name !== 'apiVersion' && name !== 'kind' && name !== 'path')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, p]) => q(name, p.type === 'boolean' ? 'boolean' : p.type === 'integer' ? 'integer' : 'string', p.description ?? ''));
}

/**
 * A custom subresource's operations, as upstream lays them out: connect subresources (an `...Options` body:
 * exec, attach, portforward, proxy) answer strings to each method and take their options as query parameters;
 * `log` reads a string; the others read and write their body kind (binding, eviction, token, finalize,
 * ephemeralcontainers).
 */
function customSubresourcePaths(
  gv: GroupVersionRegistration,
  k: KindRegistration,
  c: CustomSubresource,
  item: string,
  itemParams: Param[],
  o: { tags: string[]; infix: string; ns: string; produces: string[]; bodyTypes: string[]; builtIn: boolean },
): Array<[string, Param[], Operation]> {
  const out: Array<[string, Param[], Operation]> = [];
  const Sub = capitalized(c.name);
  const gvk: GVK = { group: c.group, version: c.version, kind: c.kind };
  const path = `${item}/${c.name}`;
  const unauthorized: [string, string] = ['401', 'Unauthorized'];
  if (c.kind.endsWith('Options')) {
    const isProxy = c.name === 'proxy';
    const methods = isProxy ? proxyMethods : c.verbs.map((v) => connectMethods[v]);
    const params = optionParams(gv, c.openapiName);
    const pathParam: Param = { name: 'path', in: 'path', type: 'string', required: true, description: 'The path to send the request to.' };
    for (const m of methods) {
      const op = (withPath: boolean): Operation => ({
        method: m, operationId: `connect${o.infix}${capitalized(m)}${o.ns}${k.kind}${Sub}${withPath ? 'WithPath' : ''}`,
        description: `connect ${m.toUpperCase()} requests to ${c.name} of ${k.kind}`, tags: o.tags, action: 'connect', gvk,
        params: isProxy && !withPath ? [q('path', 'string', 'The path to send the request to.')] : params, responses: [['200', 'OK', stringResponse], unauthorized], produces: ['*/*'],
      });
      out.push([path, itemParams, op(false)]);
      if (isProxy) out.push([`${path}/{path}`, [P.name(k.kind), ...itemParams.slice(1), pathParam], op(true)]);
    }
    return out;
  }
  if (c.kind === k.kind && c.group === k.group && c.name === 'log') {
    out.push([path, itemParams, {
      method: 'get', operationId: `read${o.infix}${o.ns}${k.kind}${Sub}`, description: `read log of the specified ${k.kind}`, tags: o.tags, action: 'get', gvk,
      params: [], responses: [['200', 'OK', stringResponse], unauthorized], produces: ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
    }]);
    return out;
  }
  const schema = c.openapiName;
  if (!schema) return out;
  const base = { tags: o.tags, gvk };
  for (const verb of c.verbs) {
    if (verb === 'create') {
      out.push([path, itemParams, { ...base, method: 'post', operationId: `create${o.infix}${o.ns}${k.kind}${Sub}`, description: `create ${c.name} of a ${k.kind}`, action: 'post',
        params: writeParams, body: { schema, contentTypes: o.bodyTypes, required: true }, responses: [['200', 'OK', schema], ['201', 'Created', schema], ['202', 'Accepted', schema], unauthorized], produces: o.produces }]);
    } else if (verb === 'get') {
      out.push([path, itemParams, { ...base, method: 'get', operationId: `read${o.infix}${o.ns}${k.kind}${Sub}`, description: `read ${c.name} of the specified ${k.kind}`, action: 'get',
        params: [], responses: [['200', 'OK', schema], unauthorized], produces: o.produces }]);
    } else if (verb === 'update') {
      out.push([path, itemParams, { ...base, method: 'put', operationId: `replace${o.infix}${o.ns}${k.kind}${Sub}`, description: `replace ${c.name} of the specified ${k.kind}`, action: 'put',
        params: writeParams, body: { schema, contentTypes: o.bodyTypes, required: true }, responses: [['200', 'OK', schema], ['201', 'Created', schema], unauthorized], produces: o.produces }]);
    } else if (verb === 'patch') {
      out.push([path, itemParams, { ...base, method: 'patch', operationId: `patch${o.infix}${o.ns}${k.kind}${Sub}`, description: `partially update ${c.name} of the specified ${k.kind}`, action: 'patch',
        params: patchParams, body: { schema: names.patch, contentTypes: patchTypes(o.builtIn), required: true }, responses: [['200', 'OK', schema], ['201', 'Created', schema], unauthorized], produces: o.produces }]);
    }
  }
  return out;
}

/** The discovery endpoints' own paths: `/api/`, `/apis/`, `/apis/<group>/`. */
export function discoveryPaths(which: { kind: 'api' } | { kind: 'apis' } | { kind: 'group'; group: string }): Map<string, PathItem> {
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
        ? { description, content: Object.fromEntries(op.produces.map((t) => [t, { schema: responseSchema('v3', schema) }])) }
        : { description };
    }
  } else {
    if (op.body) {
      params.push({ name: 'body', in: 'body', ...(op.body.required ? { required: true } : {}), schema: ref('v2', op.body.schema) });
      out.consumes = op.method === 'patch' ? op.body.contentTypes : ['*/*'];
    }
    out.produces = op.produces;
    out.schemes = ['https'];
    for (const [code, description, schema] of op.responses) responses[code] = schema ? { description, schema: responseSchema('v2', schema) } : { description };
  }
  if (params.length) out.parameters = params;
  out.responses = responses;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { ...op.gvk };
  return out;
}

export function renderPaths(paths: Map<string, PathItem>, flavor: SchemaFlavor): Record<string, Schema> {
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
export function referencedSchemas(node: unknown, prefix: string, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const x of node) referencedSchemas(x, prefix, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) into.add(v.slice(prefix.length));
      else referencedSchemas(v, prefix, into);
    }
  }
  return into;
}

