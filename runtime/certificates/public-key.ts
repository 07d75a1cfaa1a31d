/**
 * Why a SubjectPublicKeyInfo's key is not one Go's crypto/x509 `parsePublicKey` (Go 1.23) reads, in its words: a
 * CSR's `spec.request` with a bad key is refused with that text (`x509: RSA key missing NULL parameters`,
 * `x509: failed to unmarshal elliptic curve point`, ...). Go reads a key's contents with cryptobyte's DER rules,
 * checked here the same way; Node's crypto then holds the key.
 */
import { createPublicKey } from 'node:crypto';
import { Der } from './x509-parse.ts';

const SEQUENCE = 0x30;
const OID = 0x06;

const rsa = '1.2.840.113549.1.1.1';
const ecdsa = '1.2.840.10045.2.1';
const ed25519 = '1.3.101.112';
const x25519 = '1.3.101.110';
const dsa = '1.2.840.10040.4.1';

/** The Go type (%T) parsePublicKey gives a request's key, by its algorithm's OID; undefined: Go leaves it nil. */
export function goPublicKeyType(oid: string): string | undefined {
  return { [rsa]: '*rsa.PublicKey', [ecdsa]: '*ecdsa.PublicKey', [ed25519]: 'ed25519.PublicKey', [dsa]: '*dsa.PublicKey' }[oid];
}

/** Go's named curves by OID, with the bytes of one coordinate. */
const curves: Record<string, number> = {
  '1.3.132.0.33': 28, // P-224
  '1.2.840.10045.3.1.7': 32, // P-256
  '1.3.132.0.34': 48, // P-384
  '1.3.132.0.35': 66, // P-521
};

/** The sign of a two's-complement integer: -1, 0 or 1. */
const sign = (c: Buffer) => (c[0]! & 0x80 ? -1 : c.some((b) => b !== 0) ? 1 : 0);

function rsaKeyError(params: Buffer | undefined, key: Buffer): string | undefined {
  if (!params || !params.equals(Buffer.from([0x05, 0x00]))) return 'x509: RSA key missing NULL parameters';
  const seq = new Der(key).read(SEQUENCE);
  if (!seq) return 'x509: invalid RSA public key';
  const n = seq.readInteger();
  if (!n) return 'x509: invalid RSA modulus';
  const e = seq.readInteger();
  // Go reads the exponent into an int: eight bytes at most.
  if (!e || e.length > 8) return 'x509: invalid RSA public exponent';
  if (sign(n) <= 0) return 'x509: RSA modulus is not a positive number';
  if (sign(e) <= 0) return 'x509: RSA public exponent is not a positive number';
  return undefined;
}

function ecdsaKeyError(spki: Buffer, params: Buffer | undefined, key: Buffer): string | undefined {
  const oid = params && new Der(params).read(OID)?.rest();
  if (!oid || !new Der(params).readOid()) return 'x509: invalid ECDSA parameters';
  const size = curves[oidText(oid)];
  if (size === undefined) return 'x509: unsupported elliptic curve';
  // elliptic.Unmarshal takes the uncompressed form only, and a point on the curve.
  if (key.length !== 1 + 2 * size || key[0] !== 4) return 'x509: failed to unmarshal elliptic curve point';
  try {
    createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return 'x509: failed to unmarshal elliptic curve point';
  }
  return undefined;
}

/** Go reads a DSA key's Y and its parameters' P, Q and G as DER integers, each of which must be positive. */
function dsaKeyError(params: Buffer | undefined, key: Buffer): string | undefined {
  const y = new Der(key).readInteger();
  if (!y) return 'x509: invalid DSA public key';
  const seq = params && new Der(params).read(SEQUENCE);
  const pqg = seq ? [seq.readInteger(), seq.readInteger(), seq.readInteger()] : [];
  if (pqg.length !== 3 || pqg.some((c) => c === undefined)) return 'x509: invalid DSA parameters';
  if ([y, ...pqg].some((c) => sign(c!) <= 0)) return 'x509: zero or negative DSA parameter';
  return undefined;
}

/** An OBJECT IDENTIFIER's contents in dotted form (`oidText` of a malformed one is never a known curve). */
function oidText(c: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const b of c) {
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  return [first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80, ...arcs].join('.');
}

/**
 * Go's parsePublicKey error for a request's key (`oid` its algorithm, `params` the parameters element as sent,
 * `key` the bit string's bytes right-aligned, `spki` the whole SubjectPublicKeyInfo), or undefined when Go reads it
 * or does not read keys of that algorithm at all (an algorithm Go does not know is no parse error).
 */
export function publicKeyError(oid: string, params: Buffer | undefined, key: Buffer, spki: Buffer): string | undefined {
  switch (oid) {
    case rsa:
      return rsaKeyError(params, key);
    case ecdsa:
      return ecdsaKeyError(spki, params, key);
    case ed25519:
      if (params) return 'x509: Ed25519 key encoded with illegal parameters';
      return key.length === 32 ? undefined : 'x509: wrong Ed25519 public key size';
    case dsa:
      return dsaKeyError(params, key);
    case x25519:
      if (params) return 'x509: X25519 key encoded with illegal parameters';
      return key.length === 32 ? undefined : 'crypto/ecdh: invalid public key';
    default:
      return undefined;
  }
}
