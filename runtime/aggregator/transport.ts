/**
 * How the aggregator reaches an aggregated API server: the APIService's Service resolved to one of its endpoints
 * (kube-ts has no cluster network, so it always routes as upstream does with --enable-aggregator-routing), HTTPS
 * with the serving certificate checked against `caBundle` for the name `<service>.<namespace>.svc` (or not checked
 * with `insecureSkipTLSVerify`), and the front-proxy client certificate presented. One keep-alive agent per
 * APIService spec and client certificate.
 */
import { goTransportError, joinHostPort } from '../machinery/transport-errors.ts';
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import type { ServiceResolver } from '../admission/webhook/client.ts';
import type { APIServiceObject } from './apiservice-cache.ts';
import type { ProxyClientCertificate } from './front-proxy.ts';

export interface RemoteRequest {
  method: string;
  /** Path and query, e.g. `/apis/batch/v1/jobs?watch=1`. */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Readable;
  signal?: AbortSignal;
  /** Gives up after this long without a response (the connection included). */
  timeoutMs?: number;
}

/** A failure to reach the server, worded as Go's net/http client words it. */
export class TransportError extends Error {}

export class AggregatorTransport {
  private readonly agents = new Map<string, { key: string; agent: Agent }>();

  constructor(
    private readonly resolver: ServiceResolver,
    private readonly clientCert: ProxyClientCertificate,
  ) {}

  /** The host name the serving certificate must carry, as upstream's transport config sets ServerName. */
  static serverName(s: APIServiceObject): string {
    return `${s.spec?.service?.name ?? ''}.${s.spec?.service?.namespace ?? ''}.svc`;
  }

  private agentFor(s: APIServiceObject): Agent {
    const { certPem, keyPem } = this.clientCert.current();
    const key = JSON.stringify([s.spec?.caBundle ?? '', s.spec?.insecureSkipTLSVerify ?? false, certPem]);
    const cached = this.agents.get(s.metadata.name);
    if (cached?.key === key) return cached.agent;
    cached?.agent.destroy();
    const ca = s.spec?.caBundle ? Buffer.from(s.spec.caBundle, 'base64').toString('utf8') : undefined;
    const agent = new Agent({
      keepAlive: true,
      maxSockets: 256,
      ...(ca ? { ca } : {}),
      ...(certPem ? { cert: certPem, key: keyPem } : {}),
      rejectUnauthorized: !s.spec?.insecureSkipTLSVerify,
    });
    this.agents.set(s.metadata.name, { key, agent });
    return agent;
  }

  /** Where requests for `s` go now: an endpoint of its Service (throws with the resolver's reason when none). */
  async resolve(s: APIServiceObject): Promise<{ host: string; port: number }> {
    const svc = s.spec?.service;
    return this.resolver.resolve(svc?.namespace ?? '', svc?.name ?? '', svc?.port ?? 443);
  }

  /** The URL a request for `path` is sent to (for messages), e.g. `https://127.0.0.1:8443/apis/g/v`. */
  static url(target: { host: string; port: number }, path: string): string {
    return `https://${joinHostPort(target.host, target.port)}${path}`;
  }

  /** Sends one request to `target`; resolves with the response head (the body still streaming). */
  send(s: APIServiceObject, target: { host: string; port: number }, req: RemoteRequest): Promise<IncomingMessage> {
    const agent = this.agentFor(s);
    return new Promise((resolve, reject) => {
      const out = httpsRequest({
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent,
        servername: isIP(AggregatorTransport.serverName(s)) ? undefined : AggregatorTransport.serverName(s),
        signal: req.signal,
      });
      let timer: NodeJS.Timeout | undefined;
      if (req.timeoutMs) {
        timer = setTimeout(() => out.destroy(new TransportError(`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)), req.timeoutMs);
      }
      out.once('response', (res) => {
        if (timer) clearTimeout(timer);
        resolve(res);
      });
      // `on`, not `once`: a stream can fail again after the response began, and an unheard error would end the process.
      out.on('error', (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        reject(e instanceof TransportError ? e : new TransportError(goTransportError(e, target.host, target.port)));
      });
      if (req.body) req.body.pipe(out);
      else out.end();
    });
  }

  /** GETs `path` as `user`/`groups` and reads the whole body (discovery, OpenAPI, probes). */
  async get(s: APIServiceObject, path: string, opts: { accept?: string; timeoutMs?: number; user?: string; groups?: string[] } = {}): Promise<{ status: number; body: Buffer; contentType: string; url: string }> {
    const target = await this.resolve(s);
    const url = AggregatorTransport.url(target, path);
    const headers: OutgoingHttpHeaders = { Accept: opts.accept ?? 'application/json' };
    // The aggregator's own identity towards the server, as upstream's availability checks and downloaders use.
    headers['X-Remote-User'] = opts.user ?? 'system:kube-aggregator';
    headers['X-Remote-Group'] = opts.groups ?? ['system:masters'];
    let res: IncomingMessage;
    try {
      res = await this.send(s, target, { method: 'GET', path, headers, timeoutMs: opts.timeoutMs ?? 5000 });
    } catch (e) {
      throw new TransportError(`Get "${url}": ${(e as Error).message}`);
    }
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, body: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? ''), url };
  }

  forget(name: string): void {
    this.agents.get(name)?.agent.destroy();
    this.agents.delete(name);
  }

  close(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
