/**
 * Audiences for tokens that carry none (static token file, bootstrap tokens): they are good for the API server's
 * own audiences only, so a TokenReview asking for another audience does not accept them (upstream's
 * WrapAudienceAgnosticToken).
 */
import type { Authenticator } from './types.ts';

export function intersect(a: string[], b: string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => set.has(x));
}

export function audienceAgnostic(apiAudiences: string[], inner: Authenticator): Authenticator {
  if (!apiAudiences.length) return inner;
  return {
    name: inner.name,
    async authenticate(req) {
      if (!req.audiences?.length) return inner.authenticate(req);
      const auds = intersect(apiAudiences, req.audiences);
      if (!auds.length) return undefined;
      const res = await inner.authenticate(req);
      return res && { ...res, audiences: auds };
    },
  };
}
