/**
 * Signs service-account tokens (upstream's JWTTokenGenerator): the claims plus `iss`, in a compact JWS whose
 * header carries `alg` and the signing key's `kid`. Signing is jose's; nothing here touches the key material.
 */
import { SignJWT } from 'jose';
import type { BoundTokenClaims } from './claims.ts';
import type { SigningKey } from './keys.ts';

export interface TokenGenerator {
  /** The `iss` of every token this generator signs (the first --service-account-issuer). */
  readonly issuer: string;
  generateToken(claims: Omit<BoundTokenClaims, 'iss'> | Record<string, unknown>): Promise<string>;
}

export function jwtTokenGenerator(issuer: string, key: SigningKey): TokenGenerator {
  return {
    issuer,
    async generateToken(claims) {
      // Alphabetical keys as go-jose marshals them; `iss` lands between `iat` and `jti`.
      const payload = Object.fromEntries(Object.entries({ ...claims, iss: issuer }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
    },
  };
}
