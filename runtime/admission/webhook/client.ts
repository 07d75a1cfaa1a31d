/**
 * Calling a webhook: POSTs an AdmissionReview over HTTPS to the configuration's `url`, or to its Service
 * (resolved through the Service's Endpoints or EndpointSlices, as this server has no cluster network), verifying
 * the serving certificate against `caBundle` only (the system roots only when no caBundle is given), within the
 * webhook's timeout. Every failure becomes a CallingWebhookError whose text follows upstream's REST client.
 */
import { spliceRawJson } from '../../machinery/raw-json.ts';
import { goTransportError } from '../../machinery/transport-errors.ts';
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { StoredObject } from '../../storage/store.ts';
import { maxTimeoutSeconds, type Hook } from './config.ts';
import { CallingWebhookError } from './review.ts';
import { mayHoldInt64, parseJsonInt64 } from '../../machinery/json-int64.ts';
import { jsonText } from '../../machinery/json-text.ts';
import { goJsonSyntaxError } from '../../machinery/gojson.ts';
import { ContextError, type Cancellation } from '../../machinery/cancellation.ts';

/** Where a Service's port is served: an address and port of one of its endpoints. */
export interface ServiceResolver {
  /** Throws an Error whose message says why there is nowhere to send (no such Service, no endpoints). */
  resolve(namespace: string, name: string, port: number): Promise<{ host: string; port: number }>;
  /**
   * What a webhook call to a destination carries besides the hook's own caBundle (upstream's authentication info
   * resolver): this server's loopback credentials when the destination is the server itself; undefined for others.
   * The aggregator does not ask: it speaks for its users with the front-proxy certificate.
   */
  credentialsFor?(destination: WebhookDestination): Promise<ClientCredentials | undefined>;
}

/** A Service's port, or the `host:port` of a URL (the port always given, 443 when the URL has none). */
export type WebhookDestination = { service: { namespace: string; name: string; port: number } } | { hostPort: string };

export interface ClientCredentials {
  /** The `Authorization` header value. */
  authorization: string;
  /** A CA trusted besides the hook's caBundle. */
  caPem: string;
  /** The TLS name asked for and verified, instead of the Service's or the URL's. */
  serverName: string;
}

/**
 * What a call needs of a webhook: its name (for errors), client config, timeout and a cache for its HTTPS agent.
 * Admission hooks are endpoints; so are CRD conversion webhooks (runtime/apiextensions/conversion).
 */
export type WebhookEndpoint = Pick<Hook, 'name' | 'timeoutSeconds' | 'cache'> & { readonly spec: { readonly clientConfig?: Hook['spec']['clientConfig'] } };

/** The most a webhook may answer; more is a failed call rather than a server out of memory. */
const maxResponseBytes = 16 * 1024 * 1024;

interface Target {
  /** The URL as reported in errors (upstream's `Post "<url>"`), the timeout parameter included. */
  url: string;
  host: string;
  port: number;
  path: string;
  /** The name the certificate must carry (a Service's `<name>.<namespace>.svc`). */
  servername?: string;
  hostHeader?: string;
  credentials?: ClientCredentials;
}

/** The hook's agents: one for calls with the caBundle alone, one for calls that also trust credentials' CA. */
const agentKeys = ['agent', 'agent:credentials'];

function agentFor(hook: WebhookEndpoint, credentials: ClientCredentials | undefined): Agent {
  const key = agentKeys[credentials ? 1 : 0]!;
  let agent = hook.cache.get(key) as Agent | undefined;
  if (!agent) {
    const bundle = hook.spec.clientConfig?.caBundle;
    // With a caBundle, only it is trusted: `ca` replaces Node's default roots rather than adding to them. The
    // credentials' CA comes first, the bundle after it, as upstream appends the caBundle to the loopback CA.
    const cas = [credentials?.caPem, bundle ? Buffer.from(bundle, 'base64').toString('utf8') : undefined].filter((c) => c);
    agent = new Agent({ keepAlive: true, maxSockets: 64, ...(cas.length ? { ca: cas.join('\n') } : {}) });
    hook.cache.set(key, agent);
  }
  return agent;
}

/**
 * The `timeout` a call tells the webhook, as upstream's callHook: the time left until the earlier of the hook's
 * timeout and the request's deadline, rounded up to whole seconds (none once the deadline has passed).
 */
function timeoutParam(hook: WebhookEndpoint, deadline: number | undefined): string {
  if (deadline === undefined) return `timeout=${hook.timeoutSeconds}s`;
  const left = Math.min(hook.timeoutSeconds * 1000, deadline - performance.now());
  return left > 0 ? `timeout=${Math.ceil(left / 1000)}s` : '';
}

async function target(hook: WebhookEndpoint, resolver: ServiceResolver | undefined, deadline: number | undefined): Promise<Target> {
  const cc = hook.spec.clientConfig ?? {};
  const timeout = timeoutParam(hook, deadline);
  if (cc.url) {
    let u: URL;
    try {
      u = new URL(cc.url);
    } catch {
      throw new CallingWebhookError(hook.name, `could not get REST client: invalid URL "${cc.url}"`);
    }
    if (u.protocol !== 'https:') throw new CallingWebhookError(hook.name, `could not get REST client: webhook URL scheme must be https, not "${u.protocol.replace(/:$/, '')}"`);
    if (timeout) u.search = u.search ? `${u.search}&${timeout}` : `?${timeout}`;
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = u.port ? Number(u.port) : 443;
    const credentials = await resolver?.credentialsFor?.({ hostPort: `${u.hostname}:${port}` });
    return { url: u.toString(), host, port, path: `${u.pathname}${u.search}`, credentials };
  }
  const svc = cc.service;
  if (!svc?.name || !svc.namespace) throw new CallingWebhookError(hook.name, 'could not get REST client: webhook clientConfig has neither url nor service');
  const port = svc.port ?? 443;
  const serverName = `${svc.name}.${svc.namespace}.svc`;
  const path = timeout ? `${svc.path || '/'}?${timeout}` : svc.path || '/';
  const url = `https://${serverName}:${port}${path}`;
  if (!resolver) throw new CallingWebhookError(hook.name, `failed to call webhook: Post "${url}": no service resolver`);
  let endpoint: { host: string; port: number };
  try {
    endpoint = await resolver.resolve(svc.namespace, svc.name, port);
  } catch (e) {
    throw new CallingWebhookError(hook.name, `failed to call webhook: Post "${url}": ${(e as Error).message}`);
  }
  const credentials = await resolver.credentialsFor?.({ service: { namespace: svc.namespace, name: svc.name, port } });
  return { url, host: endpoint.host, port: endpoint.port, path, servername: serverName, hostHeader: `${serverName}:${port}`, credentials };
}

/** The messages client-go gives a non-2xx answer that carries no Status (upstream's NewGenericServerResponse). */
function genericResponseError(code: number, body: string, textual: boolean): string {
  const serverMessage = textual ? body.trim() : 'unknown';
  switch (code) {
    case 400:
      return 'the server rejected our request for an unknown reason';
    case 401:
      return 'the server has asked for the client to provide credentials';
    case 403:
      return serverMessage;
    case 404:
      return 'the server could not find the requested resource';
    case 405:
      return 'the server does not allow this method on the requested resource';
    case 406:
      return 'the server was unable to respond with a content type that the client supports';
    case 409:
      return 'the server reported a conflict';
    case 415:
      return 'the server was unable to respond with a content type that the client supports';
    case 422:
      return 'the server rejected our request due to an error in our request';
    case 429:
      return 'the server has received too many requests and has asked us to try again later';
    case 503:
      return 'the server is currently unable to handle the request';
    case 504:
      return 'the server was unable to return a response in the time allotted, but may still be processing the request';
  }
  if (code >= 500) return `an error on the server (${JSON.stringify(serverMessage.slice(0, 1024))}) has prevented the request from succeeding`;
  return `the server responded with the status code ${code} but did not return more information`;
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxResponseBytes) {
        res.destroy(new Error(`the response is larger than ${maxResponseBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('unexpected EOF'), { code: 'ECONNRESET' })));
  });
}

/**
 * POSTs `review` to the hook and returns the decoded AdmissionReview it answers. A call for a request (`cancellation`)
 * is aborted when the request is cancelled, and not sent at all once it is, as Go's client fails with the context's
 * error (`Post "<url>": context canceled`).
 */
export async function callWebhook(hook: WebhookEndpoint, review: StoredObject, resolver: ServiceResolver | undefined, cancellation?: Cancellation): Promise<StoredObject> {
  const t = await target(hook, resolver, cancellation?.deadline);
  // A RawExtension field of the objects goes out as the JSON text it keeps (machinery/raw-json.ts).
  // As Go writes it: a custom resource's int64 past 2^53 (a BigInt) as its digits, maps in Go's order (machinery/json-text.ts).
  const payload = Buffer.from(spliceRawJson(jsonText(review)));
  const fail = (reason: string) => new CallingWebhookError(hook.name, `failed to call webhook: ${reason}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), hook.timeoutSeconds * 1000);
  const request = cancellation?.signal;
  const cancel = () => controller.abort(request!.reason);
  if (request?.aborted) cancel();
  else request?.addEventListener('abort', cancel, { once: true });
  try {
    if (controller.signal.aborted) throw fail(`Post "${t.url}": ${contextErr(controller.signal)}`);
    const { res, body } = await new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: t.host,
          port: t.port,
          path: t.path,
          method: 'POST',
          agent: agentFor(hook, t.credentials),
          signal: controller.signal,
          ...(t.credentials ? { servername: t.credentials.serverName } : t.servername ? { servername: t.servername } : {}),
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, */*',
            'Content-Length': String(payload.length),
            ...(t.hostHeader ? { Host: t.hostHeader } : {}),
            ...(t.credentials ? { Authorization: t.credentials.authorization } : {}),
          },
        },
        (res) => readAll(res).then((body) => resolve({ res, body }), reject),
      );
      req.on('error', reject);
      req.end(payload);
    }).catch((e: NodeJS.ErrnoException) => {
      if (controller.signal.aborted) throw fail(`Post "${t.url}": ${contextErr(controller.signal)}`);
      throw fail(`Post "${t.url}": ${goTransportError(e, t.host, t.port)}`);
    });
    const code = res.statusCode ?? 0;
    const contentType = String(res.headers['content-type'] ?? '');
    const text = body.toString('utf8');
    if (code < 200 || code > 206) {
      try {
        const st = JSON.parse(text);
        if (st && st.kind === 'Status' && st.status === 'Failure') throw fail(String(st.message ?? ''));
      } catch (e) {
        if (e instanceof CallingWebhookError) throw e;
      }
      throw fail(genericResponseError(code, text, contentType === '' || contentType.startsWith('text/')));
    }
    if (body.length === 0) throw fail(`0-length response with status code: ${code} and content type: ${contentType}`);
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
      // The custom resources a conversion webhook answers with are decoded as unstructured: their int64s stay exact.
      if (review.kind === 'ConversionReview' && mayHoldInt64(text)) decoded = parseJsonInt64(text);
    } catch (e) {
      // the response decoder's findKind step (encoding/json) checks the whole body's syntax first
      throw fail(`couldn't get version/kind; json parse error: ${goJsonSyntaxError(text) ?? (e as Error).message}`);
    }
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
      throw fail(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(decoded) ? 'array' : typeof decoded} into Go value of type struct`);
    }
    return decoded as StoredObject;
  } finally {
    clearTimeout(timer);
    request?.removeEventListener('abort', cancel);
  }
}

/** Why an aborted call ended: its request's context error, else the hook's own timeout (a deadline). */
function contextErr(signal: AbortSignal): string {
  return signal.reason instanceof ContextError ? signal.reason.err : 'context deadline exceeded';
}

/**
 * Drops the hook's connections once its configuration changed or went: after the longest call could take, so
 * calls still running on the old configuration finish.
 */
export function closeHookClient(hook: WebhookEndpoint): void {
  for (const key of agentKeys) {
    const agent = hook.cache.get(key) as Agent | undefined;
    if (agent) setTimeout(() => agent.destroy(), (maxTimeoutSeconds + 5) * 1000).unref();
  }
}
