/**
 * The Webhook authorizer (upstream's plugin/pkg/auth/authorizer/webhook): POSTs a SubjectAccessReview to the
 * service named by a kubeconfig (--authorization-webhook-config-file) and follows its answer: allowed -> allow,
 * denied -> deny, otherwise no opinion. Answers are cached (allowed for --authorization-webhook-cache-authorized-ttl,
 * the rest for --authorization-webhook-cache-unauthorized-ttl). A failure (transport error, timeout, non-2xx,
 * unreadable body) is no opinion with an error, after retries with backoff on 429/5xx and transport errors, so
 * with no other authorizer allowing the request it is a 500, as upstream.
 */
import { request as httpsRequest, Agent } from 'node:https';
import { request as httpRequest } from 'node:http';
import { loadKubeconfig, type RESTConfig } from '../../client/kubeconfig.ts';
import type { Attributes, AuthorizationResult, Authorizer } from './types.ts';
import { fieldSelectorAttributes, labelSelectorAttributes } from './selector-attributes.ts';

export interface WebhookAuthorizerOptions {
  kubeconfigFile: string;
  /** 'v1' or 'v1beta1': the authorization.k8s.io version of the SubjectAccessReview sent. */
  version: string;
  authorizedTTLSeconds: number;
  unauthorizedTTLSeconds: number;
  /** Per attempt. */
  timeoutSeconds: number;
  /** Attempts after failures that may pass (429, 5xx, transport); upstream's backoff has 5 steps. */
  retries?: number;
  initialBackoffMs?: number;
}

/** The spec of the SubjectAccessReview upstream sends for these attributes. */
export function subjectAccessReviewSpec(attrs: Attributes): Record<string, unknown> {
  const spec: Record<string, unknown> = { user: attrs.user.name, groups: attrs.user.groups };
  if (attrs.user.uid) spec.uid = attrs.user.uid;
  if (attrs.user.extra && Object.keys(attrs.user.extra).length) spec.extra = attrs.user.extra;
  if (attrs.resourceRequest) {
    spec.resourceAttributes = {
      namespace: attrs.namespace || undefined,
      verb: attrs.verb || undefined,
      group: attrs.apiGroup || undefined,
      version: attrs.apiVersion || undefined,
      resource: attrs.resource || undefined,
      subresource: attrs.subresource || undefined,
      name: attrs.name || undefined,
      fieldSelector: fieldSelectorAttributes(attrs.fieldSelector),
      labelSelector: labelSelectorAttributes(attrs.labelSelector),
    };
  } else {
    spec.nonResourceAttributes = { path: attrs.path, verb: attrs.verb };
  }
  return JSON.parse(JSON.stringify(spec));
}

class WebhookError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export class WebhookAuthorizer implements Authorizer {
  private readonly config: RESTConfig;
  private readonly agent?: Agent;
  private readonly cache = new Map<string, { result: AuthorizationResult; expires: number }>();

  constructor(private readonly opts: WebhookAuthorizerOptions) {
    this.config = loadKubeconfig(opts.kubeconfigFile);
    if (this.config.server.startsWith('https:')) {
      this.agent = new Agent({ ca: this.config.ca, cert: this.config.cert, key: this.config.key, rejectUnauthorized: !this.config.insecureSkipTLSVerify, servername: this.config.tlsServerName, keepAlive: true });
    }
  }

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    const spec = subjectAccessReviewSpec(attrs);
    const key = JSON.stringify(spec);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.result;
    if (hit) this.cache.delete(key);

    let status: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
    try {
      status = await this.reviewWithRetries(spec);
    } catch (e) {
      return { decision: 'no-opinion', error: `error contacting webhook: ${(e as Error).message}` };
    }
    const result: AuthorizationResult = status.allowed
      ? { decision: 'allow', reason: status.reason ?? '' }
      : status.denied
        ? { decision: 'deny', reason: status.reason ?? '' }
        : { decision: 'no-opinion', reason: status.reason ?? '' };
    const ttl = status.allowed ? this.opts.authorizedTTLSeconds : this.opts.unauthorizedTTLSeconds;
    if (ttl > 0) {
      // Bounded: a flood of distinct requests must not grow the cache without limit.
      if (this.cache.size >= 10000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { result, expires: now + ttl * 1000 });
    }
    return result;
  }

  private async reviewWithRetries(spec: Record<string, unknown>) {
    const retries = this.opts.retries ?? 4;
    let delay = this.opts.initialBackoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.review(spec);
      } catch (e) {
        if (!(e instanceof WebhookError) || !e.retriable || attempt >= retries) throw e;
        await new Promise((r) => setTimeout(r, delay));
        delay *= 1.5;
      }
    }
  }

  private review(spec: Record<string, unknown>): Promise<{ allowed?: boolean; denied?: boolean; reason?: string }> {
    const body = JSON.stringify({ apiVersion: `authorization.k8s.io/${this.opts.version}`, kind: 'SubjectAccessReview', metadata: { creationTimestamp: null }, spec, status: { allowed: false } });
    const url = new URL(this.config.server);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'POST', headers, agent: this.agent, timeout: this.opts.timeoutSeconds * 1000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', (e) => reject(new WebhookError(e.message, true)));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString();
          if (code < 200 || code >= 300) return reject(new WebhookError(`the server responded with status ${code}`, code === 429 || code >= 500));
          try {
            const review = JSON.parse(text);
            if (!review || typeof review !== 'object' || typeof review.status !== 'object' || review.status === null) throw new Error('no status');
            resolve(review.status);
          } catch {
            reject(new WebhookError('the webhook answered with something that is not a SubjectAccessReview', false));
          }
        });
      });
      req.on('timeout', () => req.destroy(new WebhookError(`the webhook did not answer within ${this.opts.timeoutSeconds}s`, false)));
      req.on('error', (e) => reject(e instanceof WebhookError ? e : new WebhookError(e.message, true)));
      req.end(body);
    });
  }
}
