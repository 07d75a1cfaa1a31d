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
import { parseJsonInt64 } from '../machinery/json-int64.ts';
import { jsonText } from '../machinery/json-text.ts';
import type { Scheme } from '../machinery/scheme.ts';
import type { GroupVersionRegistration, KindRegistration } from '../machinery/registration.ts';
import { metaSchemas, ref, refPrefix, refProperty, names, type Schema, type SchemaFlavor } from './openapi/meta-schemas.ts';
import { discoveryPaths, groupVersionPaths, kindListSchemaName, referencedSchemas, renderPaths, type PathItem } from './openapi/paths.ts';
import { encodeSwaggerProtobuf, negotiateSwagger, swaggerProtobufContentType } from './openapi/swagger-protobuf.ts';
import { kubernetesVersion } from './version.ts';
import { gzipAtDefaultLevel, gzipHandlerApplies, unsizedBody } from './response-compression.ts';
export { groupVersionTag } from './openapi/paths.ts';
export { metaSchemas } from './openapi/meta-schemas.ts';

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
  // Definitions are kept in their v3 form; Swagger 2.0 differs only in where references point.
  const add = (defs: Readonly<Record<string, unknown>>) => {
    for (const [name, schema] of Object.entries(defs)) if (!pool.has(name)) pool.set(name, flavor === 'v3' ? (schema as Schema) : asSwagger(schema));
  };
  for (const gv of ordered) add(gv.openapiV3);
  for (const gv of ordered) {
    for (const k of gv.kinds) {
      const name = kindListSchemaName(k);
      if (!pool.has(name)) pool.set(name, listSchema(k, flavor));
    }
  }
  add(scheme.sharedDefinitions.openapiV3);
  for (const [name, schema] of Object.entries(metaSchemas(flavor))) if (!pool.has(name)) pool.set(name, schema);
  return pool;
}

/**
 * A v3 component schema as a Swagger 2.0 definition: the same schema, references under #/definitions/. A scalar
 * union (Quantity, IntOrString: `oneOf` plain types) is a string there, as kube-openapi's v2 forms are, and a
 * reference with its own description (`allOf: [$ref]`, since v3 allows nothing beside `$ref`) is a plain `$ref` with
 * siblings, which Swagger 2.0 readers such as kubectl's follow.
 */
function asSwagger(schema: unknown): Schema {
  // A CRD's schema values may hold int64s past 2^53 (machinery/json-int64.ts).
  const v2 = parseJsonInt64(jsonText(schema).replaceAll(`"${refPrefix('v3')}`, `"${refPrefix('v2')}`)) as Schema;
  const branches = v2.oneOf as Schema[] | undefined;
  if (Array.isArray(branches) && branches.every((b) => Object.keys(b).length === 1 && typeof b.type === 'string')) {
    delete v2.oneOf;
    v2.type = 'string';
  }
  return unwrapSingleRefs(v2);
}

/** Every `allOf: [$ref]` in a schema and the schemas nested in it replaced by `$ref` beside the other keys. */
function unwrapSingleRefs(schema: Schema): Schema {
  const out: Schema = { ...schema };
  const nested = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? unwrapSingleRefs(v as Schema) : v);
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, unwrapSingleRefs(v)]));
  for (const key of ['items', 'additionalProperties', 'not']) if (key in out) out[key] = nested(out[key]);
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(out[key])) out[key] = (out[key] as Schema[]).map(unwrapSingleRefs);
  const allOf = out.allOf as Schema[] | undefined;
  if (allOf?.length === 1 && Object.keys(allOf[0]).length === 1 && typeof allOf[0].$ref === 'string') {
    const { allOf: _, ...rest } = out;
    return { $ref: allOf[0].$ref, ...rest };
  }
  return out;
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

/**
 * The documents' `info`. kube-apiserver v1.32 leaves `info.version` to the generic server's completion
 * (k8s.io/apiserver pkg/server/config.go's completeOpenAPI and completeOpenAPIV3), which writes the effective
 * version's emulation version, major.minor without a `v`: `1.32`, or `1.31` under --emulated-version=1.31 (before
 * 1.31 it was the binary's git version, `v1.30.2`). /version keeps telling the binary's version.
 */
const info = { title: 'Kubernetes', version: `${kubernetesVersion.major}.${kubernetesVersion.minor}` };

/** Sets the version the documents claim to the emulated one (start-up, before any document is built). */
export function useEmulationVersion(v: { major: number; minor: number }): void {
  info.version = `${v.major}.${v.minor}`;
}

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
  let paths: Map<string, PathItem> | undefined;
  let own: GroupVersionRegistration | undefined;
  if (parts.length === 1 && parts[0] === 'api') paths = discoveryPaths({ kind: 'api' });
  else if (parts.length === 1 && parts[0] === 'apis') paths = discoveryPaths({ kind: 'apis' });
  else if (parts.length === 2 && parts[0] === 'api') {
    own = scheme.groupVersion('', parts[1]);
    if (!own) return undefined;
  } else if (parts.length === 2 && parts[0] === 'apis') {
    if (parts[1] === '' || scheme.versionsOf(parts[1]).length === 0) return undefined;
    paths = discoveryPaths({ kind: 'group', group: parts[1] });
  } else if (parts.length === 3 && parts[0] === 'apis' && parts[1] !== '') {
    own = scheme.groupVersion(parts[1], parts[2]);
    if (!own) return undefined;
  } else return undefined;

  const pool = schemaPool(scheme, 'v3', own);
  // A group version's paths leave out subresources whose body schema is not served (see groupVersionPaths).
  if (own) paths = groupVersionPaths(own, (n) => pool.has(n));
  const rendered = renderPaths(paths!, 'v3');
  const roots = new Set([...(own ? Object.keys(own.openapiV3) : []), ...referencedSchemas(rendered, refPrefix('v3'), new Set())]);
  const schemas = schemaClosure(pool, roots, 'v3');
  return { openapi: '3.0.0', info: { ...info }, paths: rendered, components: { schemas } } as unknown as OpenAPIV3.Document;
}

function buildV2Document(scheme: Scheme): OpenAPIV2.Document {
  const paths = new Map<string, PathItem>([...discoveryPaths({ kind: 'api' }), ...discoveryPaths({ kind: 'apis' })]);
  for (const g of scheme.groups()) if (g !== '') for (const e of discoveryPaths({ kind: 'group', group: g })) paths.set(...e);
  const pool = schemaPool(scheme, 'v2');
  for (const gv of scheme.allGroupVersions()) for (const e of groupVersionPaths(gv, (n) => pool.has(n))) paths.set(...e);
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
  const body = jsonText(document);
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

/** `/openapi/v2` ready to serve as JSON (see swaggerResponse for both forms). */
export function openapiV2Served(scheme: Scheme): ServedDocument<OpenAPIV2.Document> {
  const c = cacheFor(scheme);
  return (c.v2 ??= served(buildV2Document(scheme)));
}

/** The Swagger 2.0 document of everything served. Shared and cached until the scheme changes: do not mutate it. */
export function openapiV2Document(scheme: Scheme): OpenAPIV2.Document {
  return openapiV2Served(scheme).document;
}

const swaggerProtobufs = new WeakMap<object, Uint8Array>();
/** Each document's gzipped forms, made once (gziphandler gzips every answer anew; the bytes would be the same). */
const swaggerGzips = new WeakMap<object, { json?: Promise<Buffer>; protobuf?: Promise<Buffer> }>();

/**
 * A `/openapi/v2` answer in the form the client accepts: JSON, or gnostic protobuf (what kubectl and client-go ask
 * for, encoded once per document), under the JSON's ETag as kube-openapi does; 406 with no body when neither is
 * acceptable. kube-openapi's handler sits inside gziphandler: every answer varies on Accept-Encoding too, and a body
 * of 1400 bytes or more goes out gzipped, without a length, to a client that accepts gzip (response-compression.ts).
 */
export function swaggerResponse(doc: { body: string; etag: string }, accept: string | undefined, ifNoneMatch: string | undefined, acceptEncoding: string | undefined): Response | Promise<Response> {
  const form = negotiateSwagger(accept);
  const vary = 'Accept-Encoding, Accept';
  if (!form) return new Response(null, { status: 406, headers: { Vary: vary } });
  const headers = { 'Content-Type': form === 'json' ? 'application/json' : swaggerProtobufContentType, ETag: doc.etag, Vary: vary };
  if (ifNoneMatch === doc.etag) return new Response(null, { status: 304, headers });
  let body: string | Uint8Array = doc.body;
  if (form !== 'json') {
    let bytes = swaggerProtobufs.get(doc);
    if (!bytes) swaggerProtobufs.set(doc, (bytes = encodeSwaggerProtobuf(parseJsonInt64(doc.body) as Record<string, unknown>)));
    body = bytes;
  }
  if (!gzipHandlerApplies(acceptEncoding, body)) return new Response(body as BodyInit, { headers });
  let gzips = swaggerGzips.get(doc);
  if (!gzips) swaggerGzips.set(doc, (gzips = {}));
  const gzipped = (gzips[form] ??= gzipAtDefaultLevel(body));
  return gzipped.then((bytes) => new Response(unsizedBody(bytes), { headers: { ...headers, 'Content-Encoding': 'gzip' } }));
}
