/**
 * Service-account issuer discovery: `/.well-known/openid-configuration` and `/openid/v1/jwks`, so that relying
 * parties outside the cluster (cloud identity federation, Vault, another cluster's OIDC authenticator) can verify
 * service-account tokens. Both documents are rendered once at start-up, as upstream's OpenIDMetadataServer does,
 * and served with its content types and `Cache-Control: public, max-age=3600`.
 *
 * Who may read them is RBAC's business: upstream's default ClusterRole `system:service-account-issuer-discovery`.
 */
import { exportJWK } from 'jose';
import type { PublicKey } from './keys.ts';

export const openIDConfigPath = '/.well-known/openid-configuration';
export const jwksPath = '/openid/v1/jwks';

export interface OpenIDMetadata {
  configJSON: string;
  keysetJSON: string;
}

/**
 * Renders both documents. `jwksURI` (--service-account-jwks-uri) defaults to `https://<externalAddress>/openid/v1/jwks`.
 * Throws when the issuer is not an https URL without query or fragment (the OIDC discovery spec); the caller then
 * serves no discovery, as upstream logs and skips it.
 */
export async function openIDMetadata(o: { issuer: string; jwksURI?: string; externalAddress: string; keys: PublicKey[] }): Promise<OpenIDMetadata> {
  let iss: URL;
  try {
    iss = new URL(o.issuer);
  } catch {
    throw new Error(`issuer URL ${o.issuer} is not a URL`);
  }
  if (iss.protocol !== 'https:') throw new Error(`issuer URL must use https scheme, got: ${o.issuer}`);
  if (iss.search) throw new Error(`issuer URL may not include a query, got: ${o.issuer}`);
  if (iss.hash) throw new Error(`issuer URL may not include a fragment, got: ${o.issuer}`);
  let jwksURI = o.jwksURI;
  if (jwksURI) {
    if (new URL(jwksURI).protocol !== 'https:') throw new Error(`jwksURI requires https scheme, parsed as: ${jwksURI}`);
  } else {
    jwksURI = new URL(jwksPath, `https://${o.externalAddress}`).href;
  }
  if (o.keys.length === 0) throw new Error('no keys provided for validating keyset');

  const seen = new Set<string>();
  const keys = [];
  for (const k of o.keys) {
    if (seen.has(k.kid)) continue;
    seen.add(k.kid);
    const jwk = await exportJWK(k.key);
    // go-jose's field order: use, kty, kid, crv, alg, x, y, n, e.
    keys.push({ use: 'sig', kty: jwk.kty, kid: k.kid, ...(jwk.crv ? { crv: jwk.crv } : {}), alg: k.alg, ...(jwk.x ? { x: jwk.x, y: jwk.y } : {}), ...(jwk.n ? { n: jwk.n, e: jwk.e } : {}) });
  }
  const algs = [...new Set(keys.map((k) => k.alg))].sort();
  return {
    configJSON: JSON.stringify({
      issuer: o.issuer,
      jwks_uri: jwksURI,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
    }),
    keysetJSON: JSON.stringify({ keys }),
  };
}

/** The two discovery routes (the app serves them behind its handler chain, as the server's other GET paths). */
export function openIDMetadataRoutes(metadata: OpenIDMetadata): { path: string; get(): Response }[] {
  const cacheControl = 'public, max-age=3600';
  const document = (body: string, contentType: string) => () => new Response(body, { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': cacheControl } });
  return [
    { path: openIDConfigPath, get: document(metadata.configJSON, 'application/json') },
    { path: jwksPath, get: document(metadata.keysetJSON, 'application/jwk-set+json') },
  ];
}
