/**
 * The front proxy (`--requestheader-*`): an authenticating proxy (the aggregator, kubeadm's front-proxy-client)
 * asserts the user in headers. The headers count only on a request whose client certificate verifies against
 * `--requestheader-client-ca-file` and, when `--requestheader-allowed-names` is set, has one of those CNs; from
 * anybody else they are ignored (the certificate may still authenticate as itself through --client-ca-file).
 * The filter removes these headers from every request, so nothing later mistakes them for trusted.
 */
import type { X509Certificate } from 'node:crypto';
import type { CABundle } from './ca-bundle.ts';
import { subjectNames, verifyWithCache } from './x509.ts';
import { AuthenticationError, headerValues, type AuthenticationRequest, type Authenticator } from './types.ts';

export interface RequestHeaderConfig {
  bundle: CABundle;
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

/** Extra keys travel percent-encoded in header names (upstream's convention); a bad escape keeps the raw key. */
export function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** The user the headers assert, or undefined without a username header (then the proxy asserted nobody). */
export function userFromHeaders(req: Pick<AuthenticationRequest, 'header' | 'headerValues'>, cfg: Omit<RequestHeaderConfig, 'bundle' | 'allowedNames'>, headerNames: () => string[]) {
  let name: string | undefined;
  for (const h of cfg.usernameHeaders) {
    name = headerValues(req, h).find((v) => v.length > 0);
    if (name) break;
  }
  if (!name) return undefined;
  const groups = cfg.groupHeaders.flatMap((h) => headerValues(req, h));
  const extra: Record<string, string[]> = {};
  const prefixes = cfg.extraHeaderPrefixes.map((p) => p.toLowerCase());
  for (const header of headerNames()) {
    const lower = header.toLowerCase();
    for (const prefix of prefixes) {
      if (!lower.startsWith(prefix)) continue;
      const key = unescapeExtraKey(lower.slice(prefix.length));
      if (!key) continue;
      (extra[key] ??= []).push(...headerValues(req, header));
    }
  }
  return { name, groups, ...(Object.keys(extra).length ? { extra } : {}) };
}

export function requestHeaderAuthenticator(cfg: RequestHeaderConfig): Authenticator {
  const verify = verifyWithCache(cfg.bundle);
  const allowed = new Set(cfg.allowedNames);
  const cnOf = (leaf: X509Certificate) => ({ name: subjectNames(leaf).cn ?? '', groups: [] });
  // Most client certificates are not the front proxy's, so this refusal is on the path of nearly every request:
  // its error is made once per verdict (only its message is ever read) and returned, not thrown (types.ts).
  const failures = new WeakMap<object, AuthenticationError>();
  return {
    name: 'requestheader',
    authenticate(req) {
      if (!req.peerCertificates?.length) return undefined;
      const verdict = verify(req.peerCertificates, cnOf);
      // Recorded as a failure (401 unless another authenticator, such as the client CA's, accepts the certificate).
      if (verdict.error) {
        let err = failures.get(verdict);
        if (!err) failures.set(verdict, (err = new AuthenticationError(`front proxy: ${verdict.error}`)));
        return err;
      }
      if (allowed.size && !allowed.has(verdict.user!.name)) {
        return new AuthenticationError(`x509: subject with cn=${verdict.user!.name} is not in the allowed list`);
      }
      const user = userFromHeaders(req, cfg, () => req.headerNames?.() ?? []);
      return user ? { user } : undefined;
    },
  };
}

/** The header names a front proxy may set: removed from every request so nothing later reads them as trusted. */
export function requestHeaderNames(cfg: Omit<RequestHeaderConfig, 'bundle' | 'allowedNames'>): { names: string[]; prefixes: string[] } {
  return { names: [...cfg.usernameHeaders, ...cfg.groupHeaders].map((h) => h.toLowerCase()), prefixes: cfg.extraHeaderPrefixes.map((p) => p.toLowerCase()) };
}
