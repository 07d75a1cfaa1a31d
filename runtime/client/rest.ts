/**
 * RESTClient: JSON over HTTPS to one API server, as client-go's `rest.RESTClient`. It knows URLs, credentials and
 * the error convention (a failure Status becomes an APIError), nothing about resources; ResourceClient builds
 * the paths on top of it.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { APIError } from './errors.ts';
import { loadKubeconfig, type RESTConfig } from './kubeconfig.ts';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  /** Query parameters; undefined values are left out, arrays repeat the parameter. */
  query?: Record<string, QueryValue>;
  /** The body: strings are sent as they are, anything else as JSON. */
  body?: unknown;
  /** Content-Type of the body; `application/json` unless given. */
  contentType?: string;
  /** Aborts the request (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** A streaming response (a watch): read `response`, call `close()` to end the request early. */
export interface StreamResponse {
  response: http.IncomingMessage;
  close(): void;
}

export class RESTClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(readonly config: RESTConfig) {
    this.base = new URL(config.server);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new Error(`server ${config.server} is not an http(s) URL`);
    }
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: config.ca,
            cert: config.cert,
            key: config.key,
            servername: config.tlsServerName,
            rejectUnauthorized: !config.insecureSkipTLSVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  /** A client for the current (or the named) context of a kubeconfig file. */
  static fromKubeconfig(path: string, opts: { context?: string } = {}): RESTClient {
    return new RESTClient(loadKubeconfig(path, opts));
  }

  /** The full URL of an API path (`/api/v1/namespaces`) with its query. */
  url(path: string, query: Record<string, QueryValue> = {}): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${path}`;
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, v);
      else url.searchParams.set(name, String(value));
    }
    return url;
  }

  /**
   * Sends one request and resolves with the parsed JSON body (undefined when empty). Rejects with an APIError
   * when the server answers 4xx/5xx, and with the transport's error when there is no answer.
   */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const { response } = await this.send(method, path, opts);
    const text = await readAll(response);
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Sends a request whose response is read as a stream (a watch). Failures reject as for `request`. */
  async stream(method: string, path: string, opts: RequestOptions = {}): Promise<StreamResponse> {
    return this.send(method, path, opts);
  }

  /** Releases the pooled connections. Open watches are not affected; close them through their iterators. */
  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, opts: RequestOptions): Promise<StreamResponse> {
    const url = this.url(path, opts.query);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    if (this.config.userAgent) headers['User-Agent'] = this.config.userAgent;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: this.agent, signal: opts.signal }, (res) => {
        const code = res.statusCode ?? 0;
        if (code >= 400) {
          readAll(res).then((text) => reject(APIError.fromResponse(code, text)), reject);
          return;
        }
        resolve({ response: res, close: () => req.destroy() });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}
