/**
 * Audiences for tokens that carry none (static token file, bootstrap tokens): they are good for the API server's
 * own audiences only, so a TokenReview asking for another audience does not accept them (upstream's
 * WrapAudienceAgnosticToken).
 */
import { AuthenticationError, type AuthenticationVerdict, type Authenticator } from './types.ts';

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
      if (!auds.length) return undefined;
      const res = inner.authenticate(req);
      return res instanceof Promise ? res.then((v) => withAudiences(v, auds)) : withAudiences(res, auds);
    },
  };
}

/** An accepted credential's response, good for `auds`; a refusal or "not mine" as it is. */
function withAudiences(res: AuthenticationVerdict, auds: string[]): AuthenticationVerdict {
  return res && !(res instanceof AuthenticationError) ? { ...res, audiences: [...auds] } : res;
}
