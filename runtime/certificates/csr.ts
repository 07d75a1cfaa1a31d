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
import { goPublicKeyType, publicKeyError } from './public-key.ts';
import { Der } from './x509-parse.ts';

const SEQUENCE = 0x30;

export interface ParsedCSR {
  /** The subject's common name ('' when absent). */
  commonName: string;
  /** The subject's organizations (O), in order. */
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** The request's public key (none when Go holds a key Node does not, a DSA key say: such requests never verify). */
  publicKey?: KeyObject;
  /** `rsa`, `ec`, `ed25519`, ... (Node's asymmetricKeyType). */
  publicKeyAlgorithm: string | undefined;
  /** The subject Name and the subjectAltName extension as DER, to copy into an issued certificate unchanged. */
  subjectDer: string;
  subjectAltNameDer?: string;
  /** Throws unless the request's signature verifies with its own public key (Go's CheckSignature). */
  checkSignature(): void;
}

/**
 * Go's signatureAlgorithmDetails (Go 1.23 crypto/x509): by OID, the algorithm's name, the key algorithm it needs
 * and its hash (undefined: none Go can compute; null: Ed25519 signs the message itself). RSA-PSS, whose
 * parameters Go reads, is not here: it is refused as an algorithm Go does not know.
 */
const signatureAlgorithms: Record<string, { name: string; key: 'RSA' | 'DSA' | 'ECDSA' | 'Ed25519'; hash: string | null | undefined }> = {
  '1.2.840.113549.1.1.2': { name: 'MD2-RSA', key: 'RSA', hash: undefined },
  '1.2.840.113549.1.1.4': { name: 'MD5-RSA', key: 'RSA', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'SHA1-RSA', key: 'RSA', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'SHA1-RSA', key: 'RSA', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'SHA256-RSA', key: 'RSA', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'SHA384-RSA', key: 'RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'SHA512-RSA', key: 'RSA', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', key: 'DSA', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', key: 'DSA', hash: 'sha256' },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', key: 'ECDSA', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', key: 'ECDSA', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', key: 'ECDSA', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', key: 'ECDSA', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', key: 'Ed25519', hash: null },
};

/** The key algorithm each Go key type verifies, and the error when its signature does not verify. */
const verifiers: Record<string, { key: string; failure: string }> = {
  '*rsa.PublicKey': { key: 'RSA', failure: 'crypto/rsa: verification error' },
  '*ecdsa.PublicKey': { key: 'ECDSA', failure: 'x509: ECDSA verification failure' },
  'ed25519.PublicKey': { key: 'Ed25519', failure: 'x509: Ed25519 verification failure' },
};

const unsupportedAlgorithm = 'x509: cannot verify signature: algorithm unimplemented';

/** Go's checkSignature of a request (SHA-1 allowed): its errors, in its order. */
function checkSignature(sigAlg: forge.asn1.Asn1[], goKeyType: string | undefined, publicKey: KeyObject | undefined, data: Buffer, signature: Buffer): void {
  const oid = forge.asn1.derToOid(String(sigAlg[0]!.value));
  // Ed25519 with parameters is an algorithm Go does not know (RFC 8410: they must be absent).
  const algo = oid === '1.3.101.112' && sigAlg.length > 1 ? undefined : signatureAlgorithms[oid];
  if (!algo || (algo.hash === undefined && algo.key !== 'Ed25519')) throw new Error(unsupportedAlgorithm);
  if (algo.hash === 'md5') throw new Error(`x509: cannot verify signature: insecure algorithm ${algo.name}`);
  const verifier = goKeyType ? verifiers[goKeyType] : undefined;
  // DSA keys parse, but Go verifies no DSA signature; a key Go does not know is nil.
  if (!verifier || !publicKey) throw new Error(unsupportedAlgorithm);
  if (verifier.key !== algo.key) throw new Error(`x509: signature algorithm specifies an ${algo.key} public key, but have public key of type ${goKeyType}`);
  let ok = false;
  try {
    ok = verify(algo.hash ?? null, data, publicKey, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(verifier.failure);
}

/** Go's isIA5String: ASCII only (a byte past 0x7f is no IA5 character, nor part of a valid one). */
const isIA5 = (b: Buffer) => b.every((c) => c < 0x80);

/** Go's parseSANExtension (cryptobyte reads; Go 1.23): the names, or its error. URIs are not parsed as Go's url.Parse. */
function sanError(value: Buffer): string | undefined {
  const seq = new Der(value).read(SEQUENCE);
  if (!seq) return 'x509: invalid subject alternative names';
  while (!seq.empty()) {
    const el = seq.readAnyWithTag();
    if (!el) return 'x509: invalid subject alternative name';
    const [tag, data] = el;
    if (tag === 0x81 && !isIA5(data)) return 'x509: SAN rfc822Name is malformed';
    if (tag === 0x82 && !isIA5(data)) return 'x509: SAN dNSName is malformed';
    if (tag === 0x86 && !isIA5(data)) return 'x509: SAN uniformResourceIdentifier is malformed';
    if (tag === 0x87 && data.length !== 4 && data.length !== 16) return `x509: cannot parse IP address of length ${data.length}`;
  }
  return undefined;
}

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
  const goKeyType = goPublicKeyType(forge.asn1.derToOid(String(((spki.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[0]!.value)));
  let publicKey: KeyObject | undefined;
  try {
    publicKey = createPublicKey({ key: Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary'), format: 'der', type: 'spki' });
  } catch {
    publicKey = undefined;
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
    publicKeyAlgorithm: publicKey?.asymmetricKeyType,
    subjectDer: forge.asn1.toDer(subject).getBytes(),
    checkSignature: () => {
      const data = Buffer.from(forge.asn1.toDer(top[0]!).getBytes(), 'binary');
      // A BIT STRING's first byte counts the unused bits of its last byte; signatures use whole bytes.
      const signature = Buffer.from(String(sig.value).slice(1), 'binary');
      checkSignature(sigAlg, goKeyType, publicKey, data, signature);
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
    // Go refuses a request that asks for one extension twice, then reads each subjectAltName.
    const requested = new Set<string>();
    for (const a of parsed) {
      if (a.type !== extensionRequestOid) continue;
      for (const ext of a.extensions ?? []) {
        if (requested.has(ext.id)) throw new Error('x509: certificate request contains duplicate requested extensions');
        requested.add(ext.id);
      }
    }
    for (const a of parsed) {
      if (a.type !== extensionRequestOid) continue;
      for (const ext of a.extensions ?? []) {
        if (ext.id !== subjectAltNameOid) continue;
        const invalid = sanError(Buffer.from((ext as unknown as { value: string }).value, 'binary'));
        if (invalid !== undefined) throw new Error(invalid);
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
