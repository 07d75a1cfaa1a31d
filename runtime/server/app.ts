/**
 * The HTTP surface: the handler chain around a director that sends resource requests down the server chain and
 * everything else (discovery, OpenAPI, version, health) to plain handlers. Routes are fixed at start-up; kinds
 * that come and go are found per request through the Scheme, so no route is ever added while serving.
 */
import { Hono, type Context } from 'hono';
import type { Logger } from 'pino';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, cachedDocument, legacyAPIVersions } from '../endpoints/discovery.ts';
import { wantsAggregatedDiscovery } from '../endpoints/negotiation.ts';
import { openapiV2Document, openapiV3Index, openapiV3Served, swaggerResponse } from '../endpoints/openapi.ts';
import type { RestResponse } from '../endpoints/rest.ts';
import type { Scheme } from '../machinery/scheme.ts';
import { failure, notAcceptable, StatusError } from '../machinery/status.ts';
import { GoPanic, goPanicBody } from '../machinery/go-panic.ts';
import type { ResourceHandler } from './delegate.ts';
import type { Authorizer, Env } from './filters.ts';
import { offerDirectBody } from './direct-bodies.ts';
import { respond } from './response-headers.ts';
import { gzipFor, gzipHeaders, gzippedBody } from '../endpoints/response-compression.ts';
import { assertChained, chainedRoutes, composeFilters, type Filter } from './filter-chain.ts';
import { releaseWhenClosed } from '../endpoints/body-pool.ts';
import { ResourceRequest } from './resource-request.ts';
import { toStatus, withAuthorization, withMaxInFlight, withRequestInfo, withTimeout, writeStatus } from './filters.ts';
import { withAudit, withAuditID } from './audit-filters.ts';
import type { ServerAuthentication } from '../auth/authentication/build.ts';
import type { AuthorizeFn } from '../auth/authentication/impersonation.ts';
import { authorizeWith, withAuthentication, withImpersonation } from './authn-filters.ts';
import type { HealthChecks } from './healthz.ts';
import { auditResponse, type Auditor } from '../audit/index.ts';
import { versionInfo } from '../endpoints/version.ts';
import { openIDMetadataRoutes, type OpenIDMetadata } from '../auth/serviceaccount/openid-metadata.ts';
import { authorizedFilters, installMetricsRoute, outerFilters, type ObservabilityConfig } from './observability.ts';
import { routingPath } from './request-target.ts';

export interface AppConfig {
  scheme: Scheme;
  resolve: (info: import('../endpoints/request-info.ts').RequestInfo) => ResourceHandler | undefined;
  health: { healthz: HealthChecks; livez: HealthChecks; readyz: HealthChecks };
  authentication: ServerAuthentication;
  authorizers: Authorizer[];
  /** What impersonation asks (default: the authorizers above). */
  authorize?: AuthorizeFn;
  maxInFlight: { readonly: number; mutating: number };
  /** API Priority and Fairness (runtime/flowcontrol); absent: the max-in-flight filter limits requests. */
  flowControlFilter?: import('hono').MiddlewareHandler<Env>;
  requestTimeoutSeconds: number;
  serverAddress: string;
  log: Logger;
  /** Audits requests (--audit-policy-file with a backend); absent: nothing is audited. */
  auditor?: Auditor;
  /** Filters after the handler chain, before any handler (the aggregator's proxy and merged discovery). */
  filters?: Filter[];
  /** Service-account issuer discovery (`/.well-known/openid-configuration`, `/openid/v1/jwks`), when served. */
  serviceAccountIssuerDiscovery?: OpenIDMetadata;
  /** HTTP log, request metrics and the shutdown filter (runtime/server/observability.ts). */
  observability?: ObservabilityConfig;
  /** GET paths outside the API (the garbage collector's debug graph), authorized as any non-resource URL. */
  routes?: { path: string; get(url: URL): Response }[];
}

function json(c: Context<Env>, body: string, contentType = 'application/json', etag?: string): Response {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (etag) {
    headers.ETag = etag;
    if (c.req.header('if-none-match') === etag) return respond(c, null, 304, headers);
  }
  return respond(c, body, 200, headers);
}

function notFoundStatus(path: string) {
  return failure(404, 'NotFound', 'the server could not find the requested resource', { causes: [{ reason: 'UnexpectedServerResponse', message: `404 page not found: ${path}` }] }).status;
}

/** Upstream's recorder drops a warning it cannot put in a header (net.NewWarningHeader refuses control characters). */
function fitsHeader(text: string): boolean {
  return !/\p{Cc}/u.test(text);
}

/** A `Warning` header value as upstream writes it: code 299, no agent, the text quoted with `"` and `\` escaped. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

function send(c: Context<Env>, res: RestResponse): Response | Promise<Response> {
  const headers: Record<string, string | string[]> = { 'Content-Type': res.contentType };
  const warnings = res.warnings?.filter(fitsHeader);
  if (warnings?.length) headers.Warning = warnings.map(warningHeader);
  if ('stream' in res) {
    // Chunked over HTTP/1.1 (no length is known); HTTP/2 frames it itself and refuses a Transfer-Encoding header.
    c.set('streaming', true);
    offerDirectBody(c.env, res.stream);
    return respond(c, res.stream, 200, { ...headers, 'Cache-Control': 'no-cache, private' });
  }
  // A 204 (the log of a pod not yet scheduled) may carry no body at all.
  if (res.code === 204) return respond(c, null, 204, headers);
  // gzip gives a pooled body back when zlib is done with it; otherwise it goes back once the response has sent it.
  const gzipped = gzipFor(c.req.header('accept-encoding'), res.body);
  if (gzipped) {
    const httpVersionMajor = (c.env as { incoming?: { httpVersionMajor?: number } } | undefined)?.incoming?.httpVersionMajor;
    return gzipped.then((bytes) => respond(c, gzippedBody(bytes, httpVersionMajor) as BodyInit, res.code, { ...headers, ...gzipHeaders }));
  }
  releaseWhenClosed(res.body, (c.env as { outgoing?: { once(event: 'close', fn: () => void): unknown } } | undefined)?.outgoing);
  return respond(c, res.body as string, res.code, headers);
}

export function buildApp(cfg: AppConfig): Hono<Env> {
  const app = new Hono<Env>({ getPath: routingPath });
  const { scheme } = cfg;

  const onError = (err: Error, c: Context<Env>) => {
    if (err instanceof GoPanic) {
      cfg.log.error({ err, method: c.req.method, path: c.req.path }, "apiserver panic'd (as kube-apiserver does here)");
      return respond(c, goPanicBody, 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    }
    const res = writeStatus(c, toStatus(err, cfg.log));
    for (const w of ((err instanceof StatusError && err.warnings) || []).filter(fitsHeader)) res.headers.append('Warning', warningHeader(w));
    return res;
  };
  app.onError(onError);

  // The handler chain, in upstream's order, around every route and the not-found answer (filter-chain.ts: Hono's
  // compose costs more than most filters). Filters that would do nothing for this configuration are left out.
  const filters: Filter[] = [withRequestInfo(scheme.protobuf)];
  filters.push(...outerFilters(cfg.observability));
  filters.push(withAuditID(cfg.auditor));
  // The deadline covers authentication and everything after it, as upstream's sits outside its authentication filter.
  filters.push(withTimeout(cfg.requestTimeoutSeconds));
  filters.push(withAuthentication(cfg.authentication, cfg.log));
  // Without an auditor there is nothing to record: no filter at all, rather than one that only passes the request on.
  if (cfg.auditor) filters.push(withAudit(cfg.auditor));
  filters.push(withImpersonation(cfg.authorize ?? authorizeWith(cfg.authorizers), cfg.log));
  filters.push(withAuthorization(cfg.authorizers));
  filters.push(...authorizedFilters(cfg.observability));
  filters.push(cfg.flowControlFilter ?? withMaxInFlight(cfg.maxInFlight));
  filters.push(...(cfg.filters ?? []));
  const routes = chainedRoutes(app, composeFilters(filters, onError), (c) => writeStatus(c, notFoundStatus(new URL(c.req.url).pathname)));

  routes.get('/version', (c) => c.json(versionInfo));

  const healthHeaders = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };
  for (const [endpoint, checks] of Object.entries(cfg.health)) {
    routes.get(`/${endpoint}`, async (c) => {
      const q = new URL(c.req.url).searchParams;
      const { code, body } = await checks.runAll(endpoint, { verbose: q.has('verbose'), exclude: q.getAll('exclude') });
      return c.newResponse(body, code as 200, healthHeaders);
    });
    // One check by name; names may hold slashes (`/readyz/poststarthook/<hook>`).
    routes.get(`/${endpoint}/*`, async (c) => {
      const res = await checks.runOne(c.req.path.slice(endpoint.length + 2));
      return res ? c.newResponse(res.body, res.code as 200, healthHeaders) : writeStatus(c, notFoundStatus(c.req.path));
    });
  }
  installMetricsRoute(routes);
  const issuerDiscovery = cfg.serviceAccountIssuerDiscovery ? openIDMetadataRoutes(cfg.serviceAccountIssuerDiscovery) : [];
  for (const route of [...issuerDiscovery, ...(cfg.routes ?? [])]) routes.get(route.path, (c) => route.get(new URL(c.req.url)));

  // Discovery: aggregated (apidiscovery.k8s.io/v2) when the client asks for it first, legacy otherwise.
  const aggregatedType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  routes.get('/api', (c) => {
    if (wantsAggregatedDiscovery(c.req.header('accept'))) {
      const doc = cachedDocument(scheme, () => aggregatedDiscovery(scheme, 'legacy'), 'aggregated:/api')!;
      return json(c, doc.body, aggregatedType, doc.etag);
    }
    return c.json(legacyAPIVersions(cfg.serverAddress));
  });
  routes.get('/apis', (c) => {
    if (wantsAggregatedDiscovery(c.req.header('accept'))) {
      const doc = cachedDocument(scheme, () => aggregatedDiscovery(scheme, 'apis'), 'aggregated:/apis')!;
      return json(c, doc.body, aggregatedType, doc.etag);
    }
    const doc = cachedDocument(scheme, () => apiGroupList(scheme), 'legacy:/apis')!;
    return json(c, doc.body, 'application/json', doc.etag);
  });
  routes.get('/api/:version', (c) => {
    const list = apiResourceList(scheme, '', c.req.param('version'));
    return list ? c.json(list) : writeStatus(c, notFoundStatus(c.req.path));
  });
  routes.get('/apis/:group', (c) => {
    const group = apiGroup(scheme, c.req.param('group'));
    return group ? c.json(group) : writeStatus(c, notFoundStatus(c.req.path));
  });
  routes.get('/apis/:group/:version', (c) => {
    const list = apiResourceList(scheme, c.req.param('group'), c.req.param('version'));
    return list ? c.json(list) : writeStatus(c, notFoundStatus(c.req.path));
  });

  // OpenAPI.
  routes.get('/openapi/v2', (c) => {
    const doc = cachedDocument(scheme, () => openapiV2Document(scheme), 'openapi:v2')!;
    return swaggerResponse(doc, c.req.header('accept'), c.req.header('if-none-match'), c.req.header('accept-encoding'));
  });
  routes.get('/openapi/v3', (c) => {
    const doc = cachedDocument(scheme, () => openapiV3Index(scheme), 'openapi:v3')!;
    return json(c, doc.body, 'application/json', doc.etag);
  });
  // Every document the index lists (`api`, `apis`, `apis/<g>`, `api/v1`, `apis/<g>/<v>`), by the same hash.
  routes.get('/openapi/v3/*', (c) => {
    const path = c.req.path.slice('/openapi/v3/'.length);
    const doc = openapiV3Served(scheme, path);
    if (!doc) return writeStatus(c, notFoundStatus(c.req.path));
    const accept = c.req.header('accept') ?? '';
    if (accept && !/application\/json|\*\/\*/.test(accept)) throw notAcceptable('only application/json is served for OpenAPI v3 documents');
    const res = json(c, doc.body, 'application/json', doc.etag);
    // A URL carrying the current hash names content that never changes (kube-openapi answers the same way).
    if (new URL(c.req.url).searchParams.get('hash') === doc.hash) res.headers.set('Cache-Control', 'public, immutable');
    return res;
  });

  // Resource requests go down the server chain.
  const director = async (c: Context<Env>) => {
    const info = c.get('requestInfo');
    if (!info.isResourceRequest) return writeStatus(c, notFoundStatus(info.path));
    const handler = cfg.resolve(info);
    if (!handler) return writeStatus(c, notFoundStatus(info.path));
    const res = await handler(new ResourceRequest(c, info, scheme.protobuf));
    if ('body' in res) auditResponse(res, scheme.protobuf && ((bytes) => scheme.protobuf!.decodeObject(bytes)));
    return send(c, res);
  };
  routes.all('/api/*', director);
  routes.all('/apis/*', director);
  routes.get('/', (c) => c.json({ paths: ['/api', '/api/v1', '/apis', ...scheme.allGroupVersions().filter((g) => g.group).map((g) => `/apis/${g.group}/${g.version}`), '/healthz', '/livez', '/metrics', '/readyz', '/openapi/v2', '/openapi/v3', '/version', ...(cfg.serviceAccountIssuerDiscovery ? ['/.well-known/openid-configuration', '/openid/v1/jwks'] : [])] }));
  assertChained(app);
  return app;
}
