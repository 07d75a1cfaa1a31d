/**
 * One resource of an aggregated API server, reached as a client (list, watch, get, delete, update over HTTPS with
 * the aggregator's transport), shaped as the registry store methods in-process controllers call. The garbage
 * collector monitors these beside its own stores, as upstream's collector monitors every deletable resource that
 * discovery lists, whichever server serves it.
 *
 * Requests go straight to the aggregated server, as the proxy sends them: under the front-proxy client
 * certificate, with the caller's identity in `X-Remote-*` headers, so that server authorizes the controller's own
 * user. The APIService is looked up for each request, so a new caBundle or Service applies at once.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import * as status from '../machinery/status.ts';
import type { DeleteOptions, RequestContext } from '../registry/store.ts';
import type { StoredObject, Watch, WatchEvent, WatchSink } from '../storage/store.ts';
import type { APIServiceObject } from './apiservice-cache.ts';
import { authProxyHeaders } from './proxy.ts';
import type { AggregatorTransport } from './transport.ts';

export interface AggregatedResourceInfo {
  group: string;
  version: string;
  kind: string;
  resource: string;
  verbs: readonly string[];
  namespaced: boolean;
}

/** Unary requests give up after this long (a watch has no limit: it lasts until stopped or ended). */
const requestTimeoutMs = 30_000;
/** Page size of lists, so a large resource is not read in one response. */
const listPage = 500;
/** Conflicting writes are tried again from a fresh read at most this many times. */
const updateAttempts = 5;
/** A server that is down or refuses the list is asked again after this long, not twice a second. */
const relistDelayMs = 2000;

export class AggregatedResource {
  readonly kind: AggregatedResourceInfo;
  readonly strategy: { namespaced: boolean };
  readonly keyPrefix: string;
  readonly relistDelayMs = relistDelayMs;

  constructor(
    info: AggregatedResourceInfo,
    /** The APIService now (undefined once deleted). */
    private readonly apiService: () => APIServiceObject | undefined,
    private readonly transport: AggregatorTransport,
    /** Names the server behind the resource: the APIService's name and uid. */
    origin: string,
  ) {
    this.kind = info;
    this.strategy = { namespaced: info.namespaced };
    this.keyPrefix = `aggregated:${origin}/${info.resource}`;
  }

  private path(namespace: string, name = ''): string {
    const { group, version, resource } = this.kind;
    const ns = this.kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `/apis/${group}/${version}${ns}/${resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  /** Sends one request as the context's user; the response head, its body still streaming. */
  private async send(ctx: RequestContext, method: string, path: string, opts: { body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<IncomingMessage> {
    const s = this.apiService();
    if (!s) throw status.serviceUnavailable(`the APIService for ${this.kind.group}/${this.kind.version} is gone`);
    const headers: OutgoingHttpHeaders = { Accept: 'application/json', ...authProxyHeaders(ctx.user) };
    let body: Readable | undefined;
    if (opts.body !== undefined) {
      const bytes = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = bytes.length;
      body = Readable.from([bytes]);
    }
    try {
      return await this.transport.send(s, await this.transport.resolve(s), { method, path, headers, body, timeoutMs: opts.timeoutMs, signal: opts.signal });
    } catch (e) {
      if (e instanceof status.StatusError) throw e;
      throw status.serviceUnavailable(`error trying to reach service: ${(e as Error).message}`);
    }
  }

  /** A whole JSON answer; anything but 2xx is thrown as the Status the server sent (or one made of its text). */
  private async call(ctx: RequestContext, method: string, path: string, body?: unknown): Promise<StoredObject> {
    const res = await this.send(ctx, method, path, { body, timeoutMs: requestTimeoutMs });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const code = res.statusCode ?? 500;
    let parsed: StoredObject | undefined;
    try {
      parsed = JSON.parse(text) as StoredObject;
    } catch {
      // Not JSON: reported with its text below.
    }
    if (code >= 200 && code < 300 && parsed) return parsed;
    if (parsed?.kind === 'Status') throw new status.StatusError({ ...(parsed as unknown as status.Status), code });
    throw status.failure(code, undefined, `${method} ${path} answered ${code}: ${text.slice(0, 200)}`);
  }

  async list(ctx: RequestContext): Promise<{ items: StoredObject[]; resourceVersion: string }> {
    const items: StoredObject[] = [];
    let token = '';
    for (;;) {
      const query = new URLSearchParams({ limit: String(listPage), ...(token ? { continue: token } : {}) });
      const page = await this.call(ctx, 'GET', `${this.path(ctx.namespace)}?${query}`);
      items.push(...((page.items as StoredObject[] | undefined) ?? []));
      token = page.metadata?.continue ?? '';
      if (!token) return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
    }
  }

  /** Events from the server's watch, one JSON object a line; the end of the stream, for any reason, is an error. */
  watch(ctx: RequestContext, opts: { resourceVersion?: string; allowWatchBookmarks?: boolean }, sink: WatchSink): Watch {
    const abort = new AbortController();
    let ended = false;
    const end = (err: Error) => {
      if (ended) return;
      ended = true;
      abort.abort();
      if (!stopped) sink.onError(err);
    };
    let stopped = false;
    const query = new URLSearchParams({ watch: 'true', ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}), ...(opts.allowWatchBookmarks ? { allowWatchBookmarks: 'true' } : {}) });
    void (async () => {
      const res = await this.send(ctx, 'GET', `${this.path(ctx.namespace)}?${query}`, { signal: abort.signal });
      if (res.statusCode !== 200) {
        res.resume();
        throw new Error(`watch answered ${res.statusCode}`);
      }
      let buffered = '';
      for await (const chunk of res) {
        buffered += (chunk as Buffer).toString('utf8');
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line && !ended) sink.onEvent(JSON.parse(line) as WatchEvent);
        }
      }
      throw new Error('watch ended');
    })().catch((e: Error) => end(e));
    return {
      stop: () => {
        stopped = true;
        end(new Error('stopped'));
      },
    };
  }

  get(ctx: RequestContext, name: string): Promise<StoredObject> {
    return this.call(ctx, 'GET', this.path(ctx.namespace, name));
  }

  delete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<StoredObject> {
    return this.call(ctx, 'DELETE', this.path(ctx.namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
  }

  /** Read, change, and write back under the read's resourceVersion; a conflict starts again from a fresh read. */
  async guaranteedUpdate(ctx: RequestContext, name: string, mutate: (current: StoredObject) => Promise<StoredObject>): Promise<StoredObject> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(ctx, name);
      const next = await mutate(structuredClone(current));
      next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion };
      try {
        return await this.call(ctx, 'PUT', this.path(ctx.namespace, name), next);
      } catch (e) {
        if (!(e instanceof status.StatusError && e.code === 409) || attempt >= updateAttempts) throw e;
      }
    }
  }
}
