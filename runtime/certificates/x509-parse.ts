/**
 * Why DER bytes are not X.509 certificates, in the words of Go's crypto/x509 `ParseCertificates` (Go 1.23's
 * cryptobyte parser, what kube-apiserver v1.32 runs): a CSR's `status.certificate` is refused with exactly that
 * error (`x509: invalid RDNSequence`, `x509: malformed validity`, ...), so the outer structure is walked here in
 * Go's order with Go's DER rules (minimal lengths, low tag numbers only, minimal integers).
 *
 * The walk covers what Go reads before the public key's contents: certificate and TBS sequences, version, serial,
 * both signature algorithm identifiers, issuer and subject names (to their attributes), validity, the key's
 * algorithm and bit string, unique IDs, the extensions' wrapper and the outer signature. What lies deeper (key
 * contents, each extension, attribute string encodings) is left to Node's X509Certificate, whose refusal is
 * reported as Go's generic `x509: malformed certificate`.
 */
import { X509Certificate } from 'node:crypto';

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const VERSION_TAG = 0xa0; // [0] EXPLICIT
const ISSUER_UID_TAG = 0x81; // [1] IMPLICIT
const SUBJECT_UID_TAG = 0x82; // [2] IMPLICIT
const EXTENSIONS_TAG = 0xa3; // [3] EXPLICIT

class X509Error extends Error {}
function fail(message: string): never {
  throw new X509Error(message);
}

/** cryptobyte.String: a cursor over DER bytes; each read consumes what it read. */
export class Der {
  constructor(
    private bytes: Buffer,
    private at = 0,
    private readonly end = bytes.length,
  ) {}

  empty(): boolean {
    return this.at >= this.end;
  }

  peekTag(tag: number): boolean {
    return this.at < this.end && this.bytes[this.at] === tag;
  }

  /** The next element as [tag, header start, contents start, end], or undefined when it is not valid DER. */
  private element(): [number, number, number, number] | undefined {
    const { bytes, at, end } = this;
    if (end - at < 2) return undefined;
    const tag = bytes[at]!;
    if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers: cryptobyte reads none
    const lenByte = bytes[at + 1]!;
    let header = 2;
    let length = lenByte;
    if (lenByte & 0x80) {
      const lenLen = lenByte & 0x7f;
      if (lenLen === 0 || lenLen > 4 || end - at < 2 + lenLen) return undefined;
      length = 0;
      for (let i = 0; i < lenLen; i++) length = length * 256 + bytes[at + 2 + i]!;
      // DER: the long form only past 127, and in as few bytes as it takes.
      if (length < 128 || bytes[at + 2] === 0) return undefined;
      header += lenLen;
    }
    if (end - at - header < length) return undefined;
    return [tag, at, at + header, at + header + length];
  }

  /** ReadASN1 / ReadASN1Element: the next element if it has `tag` (its contents, or all of it with `whole`). */
  read(tag: number, whole = false): Der | undefined {
    const e = this.element();
    if (!e || e[0] !== tag) return undefined;
    this.at = e[3];
    return new Der(this.bytes, whole ? e[1] : e[2], e[3]);
  }

  /** ReadAnyASN1Element. */
  readAny(): Der | undefined {
    const e = this.element();
    if (!e) return undefined;
    this.at = e[3];
    return new Der(this.bytes, e[1], e[3]);
  }

  /** ReadAnyASN1: the next element's identifier byte and contents. */
  readAnyWithTag(): [number, Buffer] | undefined {
    const e = this.element();
    if (!e) return undefined;
    this.at = e[3];
    return [e[0], this.bytes.subarray(e[2], e[3])];
  }

  /** The bytes this cursor has left. */
  rest(): Buffer {
    return this.bytes.subarray(this.at, this.end);
  }

  equals(other: Der): boolean {
    return this.rest().equals(other.rest());
  }

  /** ReadASN1Integer: the contents of a minimally encoded INTEGER (two's complement), or undefined. */
  readInteger(): Buffer | undefined {
    const c = this.read(INTEGER)?.rest();
    if (!c || c.length === 0) return undefined;
    if (c.length > 1 && ((c[0] === 0 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) === 0x80))) return undefined;
    return c;
  }

  /** ReadASN1ObjectIdentifier: base-128 components, minimal, each below 2^31. */
  readOid(): boolean {
    const c = this.read(OID)?.rest();
    if (!c || c.length === 0) return false;
    let i = 0;
    while (i < c.length) {
      if (c[i] === 0x80) return false;
      let value = 0;
      for (;;) {
        if (i >= c.length || value >= 1 << 24) return false;
        const b = c[i++]!;
        value = value * 128 + (b & 0x7f);
        if ((b & 0x80) === 0) break;
      }
    }
    return true;
  }

  /** ReadASN1BitString: a pad count of 0-7 whose padding bits are zero. */
  readBitString(): boolean {
    const c = this.read(BIT_STRING)?.rest();
    if (!c || c.length === 0) return false;
    const pad = c[0]!;
    if (pad > 7 || (c.length === 1 && pad > 0)) return false;
    return (c[c.length - 1]! & ((1 << pad) - 1)) === 0;
  }
}

/** parseAI: an OID, then optionally one element of parameters. */
function parseAlgorithmIdentifier(ai: Der): void {
  if (!ai.readOid()) fail('x509: malformed OID');
  if (!ai.empty() && !ai.readAny()) fail('x509: malformed parameters');
}

/** parseName: a SEQUENCE of SETs of (OID, value) SEQUENCEs. */
function parseName(raw: Der): void {
  const rdns = raw.read(SEQUENCE);
  if (!rdns) fail('x509: invalid RDNSequence');
  while (!rdns.empty()) {
    const set = rdns.read(SET);
    if (!set) fail('x509: invalid RDNSequence');
    while (!set.empty()) {
      const atv = set.read(SEQUENCE);
      if (!atv) fail('x509: invalid RDNSequence: invalid attribute');
      if (!atv.readOid()) fail('x509: invalid RDNSequence: invalid attribute type');
      if (!atv.readAny()) fail('x509: invalid RDNSequence: invalid attribute value');
    }
  }
}

/** The canonical texts cryptobyte accepts: UTCTime `YYMMDDhhmmssZ` (or an offset), GeneralizedTime likewise. */
const utcTime = /^\d{12}(?:Z|[+-]\d{4})$/;
const generalizedTime = /^\d{14}(?:\.\d*[1-9])?(?:Z|[+-]\d{4})$/;

function parseTime(validity: Der): void {
  if (validity.peekTag(UTC_TIME)) {
    if (!utcTime.test(validity.read(UTC_TIME)?.rest().toString('latin1') ?? '')) fail('x509: malformed UTCTime');
  } else if (validity.peekTag(GENERALIZED_TIME)) {
    if (!generalizedTime.test(validity.read(GENERALIZED_TIME)?.rest().toString('latin1') ?? '')) fail('x509: malformed GeneralizedTime');
  } else fail('x509: unsupported time format');
}

/** parseCertificate, to the depth described above: reads one certificate off `der`. */
function parseCertificate(der: Der): void {
  const whole = der.read(SEQUENCE, true);
  if (!whole) fail('x509: malformed certificate');
  const raw = whole.rest();
  const input = whole.read(SEQUENCE);
  if (!input) fail('x509: malformed certificate');
  const tbs = input.read(SEQUENCE, true)?.read(SEQUENCE);
  if (!tbs) fail('x509: malformed tbs certificate');

  // Go reads the version into an int (at most 8 bytes) and counts from 1: v1-v3 are 0-2 on the wire.
  let version = 0;
  if (tbs.peekTag(VERSION_TAG)) {
    const explicit = tbs.read(VERSION_TAG);
    const value = explicit?.readInteger();
    if (!explicit || !value || !explicit.empty() || value.length > 8 || value[0]! & 0x80) fail('x509: malformed version');
    version = Number(BigInt('0x' + value.toString('hex')));
  }
  if (version + 1 > 3) fail('x509: invalid version');
  const serial = tbs.readInteger();
  if (!serial) fail('x509: malformed serial number');
  if (serial[0]! & 0x80) fail('x509: negative serial number');
  const sigAI = tbs.read(SEQUENCE);
  if (!sigAI) fail('x509: malformed signature algorithm identifier');
  const outerSigAI = input.read(SEQUENCE);
  if (!outerSigAI) fail('x509: malformed algorithm identifier');
  if (!outerSigAI.equals(sigAI)) fail("x509: inner and outer signature algorithm identifiers don't match");
  parseAlgorithmIdentifier(sigAI);

  const issuer = tbs.read(SEQUENCE, true);
  if (!issuer) fail('x509: malformed issuer');
  parseName(issuer);
  const validity = tbs.read(SEQUENCE);
  if (!validity) fail('x509: malformed validity');
  parseTime(validity);
  parseTime(validity);
  const subject = tbs.read(SEQUENCE, true);
  if (!subject) fail('x509: malformed issuer'); // sic: Go reuses the issuer's words here
  parseName(subject);

  const spki = tbs.read(SEQUENCE);
  if (!spki) fail('x509: malformed spki');
  const keyAI = spki.read(SEQUENCE);
  if (!keyAI) fail('x509: malformed public key algorithm identifier');
  parseAlgorithmIdentifier(keyAI);
  if (!spki.readBitString()) fail('x509: malformed subjectPublicKey');

  if (version > 0) {
    if (tbs.peekTag(ISSUER_UID_TAG) && !tbs.read(ISSUER_UID_TAG)) fail('x509: malformed issuerUniqueID');
    if (tbs.peekTag(SUBJECT_UID_TAG) && !tbs.read(SUBJECT_UID_TAG)) fail('x509: malformed subjectUniqueID');
    if (version === 2 && tbs.peekTag(EXTENSIONS_TAG) && !tbs.read(EXTENSIONS_TAG)) fail('x509: malformed extensions');
  }
  if (!input.readBitString()) fail('x509: malformed signature');

  try {
    new X509Certificate(raw);
  } catch {
    fail('x509: malformed certificate');
  }
}

/**
 * Go's x509.ParseCertificates: the DER certificates laid end to end in `der`; how many there are, or Go's error.
 * Empty input is zero certificates, not an error.
 */
export function parseCertificates(der: Buffer): { count: number } | { error: string } {
  const cursor = new Der(der);
  let count = 0;
  try {
    while (!cursor.empty()) {
      parseCertificate(cursor);
      count++;
    }
  } catch (e) {
    if (e instanceof X509Error) return { error: e.message };
    throw e;
  }
  return { count };
}

/** Go's x509.ParseCertificate: why `der` is not exactly one certificate, or undefined when it is. */
export function parseCertificateError(der: Buffer): string | undefined {
  const cursor = new Der(der);
  try {
    parseCertificate(cursor);
  } catch (e) {
    if (e instanceof X509Error) return e.message;
    throw e;
  }
  return cursor.empty() ? undefined : 'x509: trailing data';
}
