/**
 * Client certificates (`--client-ca-file`): the chain the client presented is verified here against the current
 * CA bundle, not by the TLS handshake, so a CA file that changes on disk takes effect for new requests without a
 * restart. The user is the leaf's CN, the groups its O values (upstream's CommonNameUserConversion).
 */
import type { X509Certificate } from 'node:crypto';
import type { UserInfo } from '../user.ts';
import type { CABundle } from './ca-bundle.ts';
import { AuthenticationError, type AuthenticationVerdict, type Authenticator } from './types.ts';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const MAX_DEPTH = 8;

function validAt(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}

function describe(cert: X509Certificate): string {
  return `SN=${BigInt(`0x${cert.serialNumber}`)}, subject="${cert.subject.replace(/\n/g, ', ')}"`;
}

/**
 * Verifies that `chain[0]` (the leaf) chains up to one of `roots`, possibly through the intermediates the client
 * sent, with every certificate on the path valid at `now`, intermediates being CAs and the leaf usable for client
 * authentication. Throws an Error saying why not.
 */
export function verifyClientChain(chain: X509Certificate[], roots: X509Certificate[], now = Date.now()): void {
  const leaf = chain[0];
  if (!leaf) throw new Error('no client certificate');
  if (!validAt(leaf, now)) throw new Error(`x509: certificate has expired or is not yet valid (${describe(leaf)})`);
  const usages = leaf.keyUsage;
  if (usages?.length && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) {
    throw new Error(`x509: certificate specifies an incompatible key usage (${describe(leaf)})`);
  }
  const intermediates = chain.slice(1);
  const issuedBy = (child: X509Certificate, parent: X509Certificate) => {
    try {
      return child.checkIssued(parent) && child.verify(parent.publicKey);
    } catch {
      return false;
    }
  };
  const reaches = (cert: X509Certificate, depth: number, used: Set<X509Certificate>): boolean => {
    for (const root of roots) {
      if (root.raw.equals(cert.raw) || (issuedBy(cert, root) && validAt(root, now))) return true;
    }
    if (depth >= MAX_DEPTH) return false;
    for (const next of intermediates) {
      if (used.has(next) || !next.ca || !validAt(next, now) || !issuedBy(cert, next)) continue;
      used.add(next);
      if (reaches(next, depth + 1, used)) return true;
      used.delete(next);
    }
    return false;
  };
  if (!reaches(leaf, 0, new Set())) throw new Error(`x509: certificate signed by unknown authority (${describe(leaf)})`);
}

/** CN and O of a certificate's subject, read from the parsed name entries (never from the printed subject). */
export function subjectNames(cert: X509Certificate): { cn?: string; o: string[] } {
  const subject = cert.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  // Several CNs: the last one counts, as Go's pkix.Name (upstream reads Subject.CommonName).
  const last = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);
  const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { cn: last(subject.CN), o: all(subject.O) };
}

interface CachedVerdict {
  generation: number;
  /** The verification is only good until the first certificate on the path expires; re-checked after. */
  checkedAt: number;
  /** The leaf's validity period in ms, read once: X509Certificate formats validFrom/validTo anew on each read. */
  leafValid: [notBefore: number, notAfter: number];
  user?: UserInfo;
  error?: string;
}

/** How many presented chains keep their verdict across connections (a client that reconnects is not verified again). */
const MAX_CHAINS = 4096;

/**
 * A verdict per presented chain, per CA bundle generation: per leaf object for the requests of one connection, and
 * per chain content (the certificates' SHA-256 fingerprints) for the next connection with the same certificate.
 */
export function verifyWithCache(bundle: CABundle) {
  const byLeaf = new WeakMap<X509Certificate, CachedVerdict>();
  const byContent = new Map<string, CachedVerdict>();
  const fresh = (v: CachedVerdict | undefined, generation: number, now: number): v is CachedVerdict =>
    v !== undefined && v.generation === generation && now - v.checkedAt < 60_000 && v.leafValid[0] <= now && now <= v.leafValid[1];
  return (chain: X509Certificate[], toUser: (leaf: X509Certificate) => UserInfo | undefined): CachedVerdict => {
    const { certs, generation } = bundle.current();
    const now = Date.now();
    const hit = byLeaf.get(chain[0]!);
    if (fresh(hit, generation, now)) return hit;
    const content = chain.map((c) => c.fingerprint256).join(' ');
    const known = byContent.get(content);
    if (fresh(known, generation, now)) {
      byLeaf.set(chain[0]!, known);
      return known;
    }
    const leafValid: CachedVerdict['leafValid'] = [Date.parse(chain[0]!.validFrom), Date.parse(chain[0]!.validTo)];
    let verdict: CachedVerdict;
    try {
      verifyClientChain(chain, certs, now);
      verdict = { generation, checkedAt: now, leafValid, user: toUser(chain[0]!) };
    } catch (e) {
      verdict = { generation, checkedAt: now, leafValid, error: (e as Error).message };
    }
    byLeaf.set(chain[0]!, verdict);
    if (byContent.size >= MAX_CHAINS) byContent.clear();
    byContent.set(content, verdict);
    return verdict;
  };
}

export function x509Authenticator(bundle: CABundle): Authenticator {
  const verify = verifyWithCache(bundle);
  // The user is made once per verified certificate and frozen, so every request of that certificate can share it
  // (no copy per request): the union copies it to add system:authenticated, and nothing downstream may change it.
  const toUser = (leaf: X509Certificate): UserInfo | undefined => {
    const { cn, o } = subjectNames(leaf);
    return cn ? (Object.freeze({ name: cn, groups: Object.freeze(o) }) as UserInfo) : undefined;
  };
  return {
    name: 'x509',
    // Plain, not async: the verdict is cached per certificate, so a request answers at once (types.ts).
    authenticate(req): AuthenticationVerdict {
      if (!req.peerCertificates?.length) return undefined;
      const verdict = verify(req.peerCertificates, toUser);
      if (verdict.error) return new AuthenticationError(`verifying certificate failed: ${verdict.error}`);
      return verdict.user ? { user: verdict.user } : undefined;
    },
  };
}
