/**
 * PKCS#10 certificate signing requests, read as upstream's `certificates.ParseCSR` and Go's
 * `x509.ParseCertificateRequest` read them: the first PEM block must be a CERTIFICATE REQUEST, its DER must be a
 * CertificationRequest, and `checkSignature` verifies the request was signed by the key it carries.
 *
 * The DER is read by node-forge's ASN.1 parser and its subject and attribute readers; public keys and signatures
 * are handled by Node's crypto (forge only knows RSA keys, requests commonly carry ECDSA or Ed25519 keys).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { certificateRequestStructureError } from './asn1-unmarshal.ts';
import { decodePem } from './pem.ts';
import { publicKeyError } from './public-key.ts';

export interface ParsedCSR {
  /** The subject's common name ('' when absent). */
  commonName: string;
  /** The subject's organizations (O), in order. */
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** The request's public key. */
  publicKey: KeyObject;
  /** `rsa`, `ec`, `ed25519`, ... (Node's asymmetricKeyType). */
  publicKeyAlgorithm: string;
  /** The subject Name and the subjectAltName extension as DER, to copy into an issued certificate unchanged. */
  subjectDer: string;
  subjectAltNameDer?: string;
  /** Throws unless the request's signature verifies with its own public key (Go's CheckSignature). */
  checkSignature(): void;
}

/** Signature algorithms Go verifies in requests, by OID: the hash Node's `verify` takes (null: the key decides). */
const signatureAlgorithms: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519
};

/** node-forge's readers of names and request attributes: public, though its type definitions leave them out. */
const forgeReaders = forge.pki as unknown as {
  RDNAttributesAsArray(name: forge.asn1.Asn1): unknown[];
  CRIAttributesAsArray(attributes: forge.asn1.Asn1[]): unknown[];
};

const extensionRequestOid = '1.2.840.113549.1.9.14';
const subjectAltNameOid = '2.5.29.17';

/** Go's parsePublicKey error for the request's SubjectPublicKeyInfo (its structure already read as Go reads it). */
function spkiError(spki: forge.asn1.Asn1): string | undefined {
  const [algorithm, bits] = spki.value as forge.asn1.Asn1[];
  const [oid, params] = algorithm!.value as forge.asn1.Asn1[];
  const der = (n: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');
  // The bit string's first byte counts its unused bits; Go's RightAlign drops them from the front.
  const raw = Buffer.from(String(bits!.value), 'binary');
  const pad = raw[0]!;
  const key = Buffer.from(raw.subarray(1));
  for (let i = key.length - 1; pad > 0 && i >= 0; i--) key[i] = (key[i]! >> pad) | (i > 0 ? (key[i - 1]! << (8 - pad)) & 0xff : 0);
  return publicKeyError(forge.asn1.derToOid(String(oid!.value)), params && der(params), key, der(spki));
}

/** Parses a PEM certificate request; throws an Error with upstream's message when it is not one. */
export function parseCSR(pem: string): ParsedCSR {
  const block = decodePem(pem)?.block;
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  const structureError = certificateRequestStructureError(block.bytes);
  if (structureError !== undefined) throw new Error(structureError);
  let root: forge.asn1.Asn1;
  try {
    root = forge.asn1.fromDer(forge.util.createBuffer(block.bytes.toString('binary')), { decodeBitStrings: false } as unknown as boolean); // signatures stay bytes (forge's types know only the old boolean form)
  } catch {
    throw new Error('x509: malformed certificate request');
  }
  const seq = (n: forge.asn1.Asn1 | undefined, tagClass = forge.asn1.Class.UNIVERSAL, type: number = forge.asn1.Type.SEQUENCE) =>
    n && n.tagClass === tagClass && n.type === type && Array.isArray(n.value) ? (n.value as forge.asn1.Asn1[]) : undefined;
  const top = seq(root);
  const info = seq(top?.[0]);
  const sigAlg = seq(top?.[1]);
  const sig = top?.[2];
  if (!top || top.length !== 3 || !info || info.length < 3 || !sigAlg || !sig || sig.type !== forge.asn1.Type.BITSTRING) {
    throw new Error('x509: malformed certificate request');
  }
  const subject = info[1]!;
  const spki = info[2]!;
  if (!seq(subject) || !seq(spki)) throw new Error('x509: malformed certificate request');
  const keyError = spkiError(spki);
  if (keyError !== undefined) throw new Error(keyError);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('x509: unsupported public key algorithm');
  }

  const names = forgeReaders.RDNAttributesAsArray(subject) as { type: string; value: string }[];
  const commonName = names.find((n) => n.type === forge.pki.oids.commonName)?.value ?? '';
  const organizations = names.filter((n) => n.type === forge.pki.oids.organizationName).map((n) => n.value);

  const out: ParsedCSR = {
    commonName,
    organizations,
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    publicKey,
    publicKeyAlgorithm: publicKey.asymmetricKeyType ?? 'unknown',
    subjectDer: forge.asn1.toDer(subject).getBytes(),
    checkSignature: () => {
      const oid = forge.asn1.derToOid(String((sigAlg[0] as forge.asn1.Asn1).value));
      if (!(oid in signatureAlgorithms)) throw new Error('x509: cannot verify signature: algorithm unimplemented');
      const data = Buffer.from(forge.asn1.toDer(top[0]!).getBytes(), 'binary');
      // A BIT STRING's first byte counts the unused bits of its last byte; signatures use whole bytes.
      const bits = String(sig.value);
      const signature = Buffer.from(bits.slice(1), 'binary');
      let ok = false;
      try {
        ok = verify(signatureAlgorithms[oid] ?? null, data, publicKey, signature);
      } catch {
        ok = false;
      }
      if (!ok) throw new Error(publicKey.asymmetricKeyType === 'rsa' ? 'crypto/rsa: verification error' : 'x509: ECDSA verification failure');
    },
  };

  // Attributes ([0]): the extensionRequest's subjectAltName gives the SANs.
  const attrs = info[3];
  if (attrs && attrs.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && Array.isArray(attrs.value)) {
    let parsed: { type: string; extensions?: { id: string; altNames?: { type: number; value: string; ip?: string }[] }[] }[];
    try {
      parsed = forgeReaders.CRIAttributesAsArray(attrs.value as forge.asn1.Asn1[]) as typeof parsed;
    } catch {
      throw new Error('x509: malformed extension');
    }
    for (const a of parsed) {
      if (a.type !== extensionRequestOid) continue;
      for (const ext of a.extensions ?? []) {
        if (ext.id !== subjectAltNameOid) continue;
        out.subjectAltNameDer = (ext as unknown as { value: string }).value;
        for (const n of ext.altNames ?? []) {
          if (n.type === 1) out.emailAddresses.push(n.value);
          else if (n.type === 2) out.dnsNames.push(n.value);
          else if (n.type === 6) out.uris.push(n.value);
          else if (n.type === 7) out.ipAddresses.push(n.ip ?? '');
        }
      }
    }
  }
  return out;
}
