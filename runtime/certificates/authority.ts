/**
 * A certificate authority that issues certificates for approved requests, as kube-controller-manager's
 * `certificates/authority` with its permissive signing policy: subject, SANs and public key come from the request;
 * key usages from the CSR's usages; notBefore is backdated 5 minutes, notAfter is now + TTL (minus the backdate for
 * certificates of 8 hours or more) and never past the CA's own notAfter; basic constraints say "not a CA".
 *
 * The certificate is assembled with node-forge's ASN.1 builder; the request's public key is carried over as DER
 * (forge only understands RSA keys) and the signature is made by Node's crypto with the CA key of any type.
 */
import { createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { ParsedCSR } from './csr.ts';

const { asn1 } = forge;

const keyUsageFlags: Record<string, string> = {
  signing: 'digitalSignature',
  'digital signature': 'digitalSignature',
  'content commitment': 'nonRepudiation',
  'key encipherment': 'keyEncipherment',
  'key agreement': 'keyAgreement',
  'data encipherment': 'dataEncipherment',
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
  'encipher only': 'encipherOnly',
  'decipher only': 'decipherOnly',
};

/** Extended key usages, in the order Go sorts them (its ExtKeyUsage constants), with their OIDs. */
const extKeyUsages: [string, string][] = [
  ['any', '2.5.29.37.0'],
  ['server auth', '1.3.6.1.5.5.7.3.1'],
  ['client auth', '1.3.6.1.5.5.7.3.2'],
  ['code signing', '1.3.6.1.5.5.7.3.3'],
  ['email protection', '1.3.6.1.5.5.7.3.4'],
  ['s/mime', '1.3.6.1.5.5.7.3.4'],
  ['ipsec end system', '1.3.6.1.5.5.7.3.5'],
  ['ipsec tunnel', '1.3.6.1.5.5.7.3.6'],
  ['ipsec user', '1.3.6.1.5.5.7.3.7'],
  ['timestamping', '1.3.6.1.5.5.7.3.8'],
  ['ocsp signing', '1.3.6.1.5.5.7.3.9'],
  ['microsoft sgc', '1.3.6.1.4.1.311.10.3.3'],
  ['netscape sgc', '2.16.840.1.113730.4.1'],
];

const backdateMs = 5 * 60 * 1000;
const shortMs = 8 * 60 * 60 * 1000;

export interface SignOptions {
  usages: readonly string[];
  /** The certificate's lifetime. */
  ttlMs: number;
  now?: Date;
}

export class CertificateAuthority {
  private readonly cert: X509Certificate;
  private readonly key: KeyObject;
  private readonly subject: forge.asn1.Asn1;
  private readonly subjectKeyId: string | undefined;

  constructor(
    readonly certPem: string,
    keyPem: string,
  ) {
    this.cert = new X509Certificate(certPem);
    this.key = createPrivateKey(keyPem);
    if (!this.cert.checkPrivateKey(this.key)) throw new Error('the CA key does not match the CA certificate');
    // The CA's subject Name (issuer of what it signs) and its subjectKeyIdentifier, read from its DER.
    const tbs = (asn1.fromDer(forge.util.createBuffer(this.cert.raw.toString('binary'))).value as forge.asn1.Asn1[])[0]!;
    const fields = tbs.value as forge.asn1.Asn1[];
    const offset = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    this.subject = fields[offset + 4]!;
    const extsWrapper = fields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
    for (const ext of ((extsWrapper?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as forge.asn1.Asn1[] | undefined) ?? []) {
      const parts = ext.value as forge.asn1.Asn1[];
      if (asn1.derToOid(String(parts[0]!.value)) !== '2.5.29.14') continue;
      const inner = asn1.fromDer(String(parts[parts.length - 1]!.value));
      this.subjectKeyId = String(inner.value);
    }
  }

  get notAfter(): Date {
    return new Date(this.cert.validTo);
  }

  /** Issues a certificate for `csr`; throws with upstream's message when the usages are unknown or the CA expired. */
  sign(csr: ParsedCSR, opts: SignOptions): string {
    const now = opts.now ?? new Date();
    const unknown = opts.usages.filter((u) => !(u in keyUsageFlags) && !extKeyUsages.some(([n]) => n === u));
    if (unknown.length) throw new Error(`unrecognized usage values: [${unknown.map((u) => JSON.stringify(u)).join(' ')}]`);
    const signerNotAfter = this.notAfter.getTime();
    const notBefore = now.getTime() - backdateMs;
    let notAfter = opts.ttlMs < shortMs ? now.getTime() + opts.ttlMs : now.getTime() + opts.ttlMs - backdateMs;
    if (notAfter >= signerNotAfter) notAfter = signerNotAfter;
    if (notBefore >= signerNotAfter) throw new Error(`the signer has expired: NotAfter=${this.notAfter.toISOString()}`);
    if (now.getTime() >= signerNotAfter) throw new Error(`refusing to sign a certificate that expired in the past: NotAfter=${this.notAfter.toISOString()}`);

    const extensions: object[] = [];
    const flags = new Set(opts.usages.map((u) => keyUsageFlags[u]).filter((f): f is string => f !== undefined));
    if (flags.size) extensions.push({ name: 'keyUsage', critical: true, ...Object.fromEntries([...flags].map((f) => [f, true])) });
    const ekus = [...new Set(extKeyUsages.filter(([n]) => opts.usages.includes(n)).map(([, oid]) => oid))];
    if (ekus.length) {
      const oids = ekus.map((oid) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()));
      extensions.push({ id: '2.5.29.37', critical: false, value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, oids) });
    }
    extensions.push({ name: 'basicConstraints', critical: true, cA: false });
    if (this.subjectKeyId) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: this.subjectKeyId });
    if (csr.subjectAltNameDer !== undefined) extensions.push({ id: '2.5.29.17', critical: false, value: csr.subjectAltNameDer });

    // forge builds the TBSCertificate around a placeholder key; issuer, subject and key are then put in as DER.
    const cert = forge.pki.createCertificate();
    cert.serialNumber = serialNumber();
    cert.validity.notBefore = new Date(notBefore);
    cert.validity.notAfter = new Date(notAfter);
    cert.publicKey = placeholderKey();
    cert.setExtensions(extensions);
    cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
    const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
    const fields = tbs.value as forge.asn1.Asn1[];
    const algorithm = this.signatureAlgorithm();
    fields[2] = algorithm.identifier();
    fields[3] = this.subject;
    fields[5] = asn1.fromDer(csr.subjectDer);
    // Only a request that verified comes here, and those carry keys Node holds.
    if (!csr.publicKey) throw new Error('x509: unsupported public key type: <nil>');
    fields[6] = asn1.fromDer(forge.util.createBuffer(csr.publicKey.export({ type: 'spki', format: 'der' }).toString('binary')));
    const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
    const signature = sign(algorithm.hash, tbsDer, this.key);
    const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      tbs,
      algorithm.identifier(),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
    ]);
    const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  }

  /** The signature algorithm Go picks for the CA key: SHA-256 with RSA or ECDSA (by curve size), Ed25519 as itself. */
  private signatureAlgorithm(): { hash: string | null; identifier: () => forge.asn1.Asn1 } {
    const oid = (o: string, nullParams: boolean) => () =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes()),
        ...(nullParams ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')] : []),
      ]);
    switch (this.key.asymmetricKeyType) {
      case 'rsa':
        return { hash: 'sha256', identifier: oid('1.2.840.113549.1.1.11', true) };
      case 'ec': {
        const curve = this.key.asymmetricKeyDetails?.namedCurve;
        if (curve === 'secp384r1') return { hash: 'sha384', identifier: oid('1.2.840.10045.4.3.3', false) };
        if (curve === 'secp521r1') return { hash: 'sha512', identifier: oid('1.2.840.10045.4.3.4', false) };
        return { hash: 'sha256', identifier: oid('1.2.840.10045.4.3.2', false) };
      }
      case 'ed25519':
        return { hash: null, identifier: oid('1.3.101.112', false) };
      default:
        throw new Error(`unsupported CA key type ${this.key.asymmetricKeyType}`);
    }
  }
}

/** A random positive serial below 2^63, as Go's signer draws it. */
function serialNumber(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

let placeholder: forge.pki.rsa.PublicKey | undefined;
/** Any RSA public key: forge needs one to build the TBSCertificate; it is replaced by the request's key. */
function placeholderKey(): forge.pki.rsa.PublicKey {
  placeholder ??= forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3', 10), new forge.jsbn.BigInteger('65537', 10));
  return placeholder;
}
