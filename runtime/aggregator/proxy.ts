/**
 * The proxy: a request for `/apis/<group>/<version>[/...]` whose APIService names a Service goes, after this
 * server's authentication, authorization and limits, to that server as it came (method, path, query, body, content
 * negotiation), with the user asserted in front-proxy headers (`X-Remote-User`, `X-Remote-Group`,
 * `X-Remote-Extra-<key>`) under the aggregator's client certificate, and the answer streams back as it arrives, so
 * watches and other long-running requests pass through. The client's own credentials are never passed on. An
 * APIService that is not Available answers 503 `service unavailable`, as upstream. Connection upgrades (exec,
 * attach, port-forward) are not proxied.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user.ts';
import { isAvailable, type APIServiceCache, type APIServiceObject } from './apiservice-cache.ts';
import type { AggregatorTransport } from './transport.ts';
import { ContextError } from '../machinery/cancellation.ts';

/** Headers that describe one hop or carry the client's credentials: never forwarded. */
const dropped = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'authorization', 'proxy-authorization', 'content-length']);
const droppedPrefixes = ['impersonate-', 'x-remote-'];
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** Go's http.Error: the text and a newline, as plain text. */
export function plainError(code: number, text: string): Response {
  return new Response(`${text}\n`, { status: code, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** An extra key in a header name, escaped as upstream (client-go's headerKeyEscape: URL path escaping). */
function escapeExtraKey(key: string): string {
  return encodeURIComponent(key).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The front-proxy headers asserting `user`. */
export function authProxyHeaders(user: UserInfo): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = { 'X-Remote-User': user.name };
  if (user.groups?.length) h['X-Remote-Group'] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) h[`X-Remote-Extra-${escapeExtraKey(key)}`] = [...values];
  return h;
}

/** `/apis/<group>/<version>[/...]` -> group and version; anything else -> undefined. */
export function groupVersionOfPath(path: string): { group: string; version: string } | undefined {
  if (!path.startsWith('/apis/')) return undefined;
  const parts = path.slice(6).split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) return undefined;
  return { group: parts[0], version: parts[1] };
}

function responseHeaders(res: IncomingMessage): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || hopByHop.has(name)) continue;
    if (Array.isArray(value)) for (const v of value) out.append(name, v);
    else out.set(name, String(value));
  }
  return out;
}

export interface ProxyDeps {
  cache: APIServiceCache;
  transport: AggregatorTransport;
  log: Logger;
}

/** How a proxied request ends early: its cancellation, and what to tell when its begun answer is cut off. */
export interface ProxyEnding {
  /**
   * Ends the backend's request: the request's cancellation's, so that a backend slower than the request's deadline
   * has its request aborted when the client gets its 504 (kube-aggregator sends it with the request's context), or
   * the client's own signal for a long-running request, which has no deadline.
   */
  signal: AbortSignal;
  /** performance.now() at the request's deadline; undefined for a long-running request. */
  deadline?: number;
  /** The deadline passed while the answer was streaming: the client's stream is reset (counted as upstream counts it). */
  aborted(): void;
}

/**
 * Proxies `req` (already authenticated as `user`) for the remote APIService `s`. An answer whose head came before the
 * deadline streams until it: then the backend's response is destroyed and the client's stream with it, as upstream's
 * timeout filter aborts a handler that had begun its answer (http.ErrAbortHandler: the connection or HTTP/2 stream is
 * reset, not ended cleanly, so the client cannot take a cut-off body for a whole one).
 */
export async function proxyRequest(deps: ProxyDeps, s: APIServiceObject, req: Request, user: UserInfo, ending: ProxyEnding): Promise<Response> {
  const { signal } = ending;
  if (!isAvailable(s)) return plainError(503, 'service unavailable');
  let target: { host: string; port: number };
  try {
    target = await deps.transport.resolve(s);
  } catch (e) {
    deps.log.warn({ err: e, apiservice: s.metadata.name }, 'cannot resolve the APIService\'s Service');
    return plainError(503, 'service unavailable');
  }
  const url = new URL(req.url);
  const headers: OutgoingHttpHeaders = {};
  req.headers.forEach((value, name) => {
    if (dropped.has(name) || droppedPrefixes.some((p) => name.startsWith(p))) return;
    headers[name] = value;
  });
  Object.assign(headers, authProxyHeaders(user));
  const hasBody = req.body !== null && !['GET', 'HEAD'].includes(req.method);
  if (hasBody && req.headers.get('content-length')) headers['content-length'] = req.headers.get('content-length')!;
  let res: IncomingMessage;
  try {
    res = await deps.transport.send(s, target, {
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      body: hasBody ? Readable.fromWeb(req.body as import('node:stream/web').ReadableStream<Uint8Array>) : undefined,
      signal,
    });
  } catch (e) {
    // Nobody reads this answer: the client has its 504 already, or is gone.
    if (signal.aborted) return plainError(499, 'client went away');
    // Upstream's responder answers transport failures with 503 and the error text.
    return plainError(503, `error trying to reach service: ${(e as Error).message}`);
  }
  const status = res.statusCode ?? 502;
  const body = req.method === 'HEAD' || status === 204 || status === 304 ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
  if (!body) res.resume();
  else if (ending.deadline !== undefined) cutAtDeadline(res, ending.deadline, ending.aborted);
  return new Response(body, { status, headers: responseHeaders(res) });
}

/** Destroys the backend's response still streaming at `deadline` (which resets the client's stream reading it). */
function cutAtDeadline(res: IncomingMessage, deadline: number, aborted: () => void): void {
  const timer = setTimeout(() => {
    aborted();
    res.destroy(new ContextError('context deadline exceeded'));
  }, Math.max(0, deadline - performance.now()));
  res.once('close', () => clearTimeout(timer));
}
