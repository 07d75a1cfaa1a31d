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
    authenticate(req) {
      const wanted = req.audiences;
      if (!wanted?.length) return inner.authenticate(req);
      // A request to this server asks for the API audiences themselves (build.ts): no intersection to compute.
      const auds = wanted === apiAudiences ? apiAudiences : intersect(apiAudiences, wanted);
      if (!auds.length) return Promise.resolve(undefined);
      return inner.authenticate(req).then((res) => res && { ...res, audiences: [...auds] });
    },
  };
}
