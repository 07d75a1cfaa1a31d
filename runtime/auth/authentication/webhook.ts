/**
 * Webhook token authentication (`--authentication-token-webhook-config-file`; upstream's token webhook): bearer
 * tokens no earlier authenticator recognised are sent as a TokenReview (authentication.k8s.io v1 or v1beta1, per
 * --authentication-token-webhook-version) to the service the kubeconfig file names, with the requested audiences.
 * Answers are cached by token and audiences for --authentication-token-webhook-cache-ttl (default 2m), successes
 * and rejections alike; errors are not cached.
 *
 * A rejection (`authenticated: false`) leaves the token to the union (401 "invalid bearer token" when nobody else
 * knows it); a rejection with `status.error`, a non-2xx answer, a garbage body, a timeout or an unreachable
 * service is an AuthenticationError: 401, never anonymous, as upstream.
 */
import { createHash } from 'node:crypto';
import { RESTClient } from '../../client/rest.ts';
import { loadKubeconfig } from '../../client/kubeconfig.ts';
import type { UserInfo } from '../user.ts';
import { AuthenticationError, bearerToken, type AuthenticationRequest, type AuthenticationResponse, type WaitingAuthenticator } from './types.ts';

export interface WebhookTokenOptions {
  configFile: string;
  /** Seconds a webhook answer is reused; 0 turns the cache off. */
  cacheTTLSeconds: number;
  version: 'v1' | 'v1beta1';
}

export interface WebhookTokenDeps {
  /** --api-audiences: the audiences asked for when the request names none, and assumed when the answer has none. */
  apiAudiences: string[];
  /** How long one call may take (upstream: 30 s). */
  requestTimeoutMs?: number;
  /** Retries of calls that fail before any answer (connection reset, refused): upstream's backoff, shortened. */
  retries?: number;
  now?: () => number;
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  audiences?: string[];
  error?: string;
}

type Outcome = { ok: true; response: AuthenticationResponse } | { ok: false };

const maxCacheEntries = 10_000;

export function webhookTokenAuthenticator(o: WebhookTokenOptions, deps: WebhookTokenDeps): WaitingAuthenticator {
  const config = loadKubeconfig(o.configFile);
  const client = new RESTClient({ ...config, userAgent: 'kube-ts-apiserver/webhook-token-authenticator' });
  const timeoutMs = deps.requestTimeoutMs ?? 30_000;
  const retries = deps.retries ?? 2;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { outcome: Outcome; until: number }>();
  // Concurrent requests with the same token share one call.
  const inFlight = new Map<string, Promise<Outcome>>();

  async function review(token: string, audiences: string[]): Promise<Outcome> {
    const body = {
      apiVersion: `authentication.k8s.io/${o.version}`,
      kind: 'TokenReview',
      metadata: { creationTimestamp: null },
      spec: { token, ...(audiences.length ? { audiences } : {}) },
      status: { user: {} },
    };
    let answer: { status?: TokenReviewStatus } | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        answer = await client.request('POST', '', { body, signal: AbortSignal.timeout(timeoutMs) });
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const transient = code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE';
        if (!transient || attempt >= retries) {
          const reason = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError' ? `timeout after ${timeoutMs} ms` : (err as Error).message;
          throw new AuthenticationError(`webhook: the token review could not be completed: ${reason}`);
        }
        await new Promise((r) => setTimeout(r, 500 * 1.5 ** attempt));
      }
    }
    const status = answer?.status;
    if (!answer || typeof answer !== 'object' || (status !== undefined && (typeof status !== 'object' || status === null))) {
      throw new AuthenticationError('webhook: the token review answer is not a TokenReview');
    }
    if (!status?.authenticated) {
      if (status?.error) throw new AuthenticationError(String(status.error));
      return { ok: false };
    }
    const u = status.user ?? {};
    if (typeof u.username !== 'string' || (u.groups !== undefined && !Array.isArray(u.groups))) {
      throw new AuthenticationError('webhook: the token review answer has no valid user');
    }
    // The answer's audiences must include one asked for (an answer without audiences means the API server's).
    let granted = audiences;
    if (audiences.length) {
      const answered = Array.isArray(status.audiences) && status.audiences.length ? status.audiences : deps.apiAudiences;
      granted = audiences.filter((a) => answered.includes(a));
      if (granted.length === 0) return { ok: false };
    }
    const user: UserInfo = { name: u.username, groups: (u.groups ?? []).filter((g) => typeof g === 'string') };
    if (u.uid) user.uid = String(u.uid);
    if (u.extra && typeof u.extra === 'object') user.extra = structuredClone(u.extra);
    return { ok: true, response: { user, ...(granted.length ? { audiences: granted } : {}) } };
  }

  return {
    name: 'webhook',
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined> {
      const token = bearerToken(req);
      if (!token) return undefined;
      const audiences = req.audiences?.length ? req.audiences : deps.apiAudiences;
      const key = createHash('sha256').update(token).update('\0').update(audiences.join('\0')).digest('base64url');
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.outcome.ok ? hit.outcome.response : undefined;
      if (hit) cache.delete(key);

      let pending = inFlight.get(key);
      if (!pending) {
        pending = review(token, audiences).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const outcome = await pending;
      if (o.cacheTTLSeconds > 0) {
        if (cache.size >= maxCacheEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, { outcome, until: now() + o.cacheTTLSeconds * 1000 });
      }
      return outcome.ok ? outcome.response : undefined;
    },
  };
}
