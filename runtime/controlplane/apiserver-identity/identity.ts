/**
 * The identity of one API server among the replicas serving a cluster, as kube-apiserver's APIServerIdentity:
 * a name `apiserver-<26 base32 characters>` taken from a SHA-256 hash, so it is the same after a restart and a
 * valid object name. Upstream hashes the hostname and the component name (`kube-apiserver`); that gives replicas
 * on one host one name, so we hash the serving address (`<bind-address>:<secure-port>`) as a third field too.
 */
import { createHash } from 'node:crypto';

/** The label that marks a Lease as an API server's identity lease, with the component as its value. */
export const identityLeaseComponentLabel = 'apiserver.kubernetes.io/identity';
export const kubeAPIServerComponent = 'kube-apiserver';
export const identityLeaseSelector = `${identityLeaseComponentLabel}=${kubeAPIServerComponent}`;
/** Where identity leases live. */
export const identityLeaseNamespace = 'kube-system';

/** Each field prefixed with its length as two big-endian bytes, so no two lists of fields hash the same bytes. */
function lengthPrefixed(fields: string[]): Buffer {
  return Buffer.concat(
    fields.flatMap((f) => {
      const bytes = Buffer.from(f, 'utf8');
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      return [length, bytes];
    }),
  );
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** The identity lease name of the API server on `hostname` serving at `servingAddress`. */
export function apiServerID(hostname: string, servingAddress: string): string {
  const hash = createHash('sha256').update(lengthPrefixed([hostname, kubeAPIServerComponent, servingAddress])).digest();
  return `apiserver-${base32(hash.subarray(0, 16)).toLowerCase()}`;
}
