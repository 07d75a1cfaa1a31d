/**
 * The server's own bearer token: made at start from random bytes, held in memory only, and carried by the
 * server's calls to itself (webhooks and conversion webhooks whose Service is default/kubernetes:443). The
 * authenticator placed first in the chain knows it as the API server itself (upstream's loopback client token,
 * user system:apiserver). Nothing else accepts it, and it is never printed: the value lives in a private field,
 * invisible to JSON, util.inspect and so to the logger.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiserverUser } from '../user.ts';
import { audienceAgnostic } from './audiences.ts';
import { bearerToken, type Authenticator } from './types.ts';

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export class LoopbackToken {
  readonly #token = randomBytes(32).toString('base64url');
  /**
   * Compared by digest, so the token's bytes do not show in the time a comparison takes. Only a candidate of the
   * token's length is hashed: that length (32 random bytes in base64url) is no secret, and every other bearer token
   * (a token file's, a service account's) then costs no hash here.
   */
  readonly #digest = digest(this.#token);

  /** The `Authorization` header value of the server's calls to itself. */
  authorization(): string {
    return `Bearer ${this.#token}`;
  }

  /** Whether `candidate` is the token, in time independent of where the two differ. */
  matches(candidate: string): boolean {
    return candidate.length === this.#token.length && timingSafeEqual(digest(candidate), this.#digest);
  }

  toJSON(): string {
    return '[loopback token]';
  }
}

/**
 * The loopback token's authenticator: the exact token is the API server; any other token is not this
 * authenticator's (the next ones decide). Good for the API audiences only, as upstream's static tokens.
 */
export function loopbackTokenAuthenticator(token: LoopbackToken, apiAudiences: string[]): Authenticator {
  return audienceAgnostic(apiAudiences, {
    name: 'loopback',
    authenticate(req) {
      let candidate: string | undefined;
      try {
        candidate = bearerToken(req);
      } catch {
        return undefined; // a malformed credential: the other token authenticators say why
      }
      if (candidate === undefined || !token.matches(candidate)) return undefined;
      return { user: { ...apiserverUser, groups: [...apiserverUser.groups] } };
    },
  });
}
