/**
 * Why DER bytes are not a PKCS#10 CertificationRequest, in the words of Go's encoding/asn1 `Unmarshal` (Go 1.23):
 * `x509.ParseCertificateRequest` reads a request with it into crypto/x509's Go structures, and a CSR's
 * `spec.request` is refused with its error as it stands (`asn1: syntax error: data truncated`,
 * `asn1: structure error: tags don't match (16 vs {class:0 tag:2 length:1 isCompound:false}) {...}
 * certificateRequest @2`). The structures are described here as Go declares them (their type names are in the
 * texts), and walked with Go's rules: each field's tag and length, DER's minimal lengths, a missing required field
 * at the end of a SEQUENCE, extra elements after the last field allowed.
 */

/** The Go types a CertificationRequest is read into, by what encoding/asn1 does with each. */
type GoType =
  | { kind: 'struct'; name: string; fields: { type: GoType; optional?: boolean; tag?: number }[] }
  | { kind: 'int' | 'oid' | 'bitString' | 'rawValue' }
  | { kind: 'slice'; elem: GoType };

const names: Record<string, string> = { int: 'int', oid: 'ObjectIdentifier', bitString: 'BitString', rawValue: 'RawValue', slice: '' };

const algorithmIdentifier: GoType = {
  kind: 'struct',
  name: 'AlgorithmIdentifier',
  fields: [{ type: { kind: 'oid' } }, { type: { kind: 'rawValue' }, optional: true }],
};
/** crypto/x509's certificateRequest, tbsCertificateRequest and publicKeyInfo (their RawContent fields read nothing). */
const certificateRequest: GoType = {
  kind: 'struct',
  name: 'certificateRequest',
  fields: [
    {
      type: {
        kind: 'struct',
        name: 'tbsCertificateRequest',
        fields: [
          { type: { kind: 'int' } },
          { type: { kind: 'rawValue' } },
          { type: { kind: 'struct', name: 'publicKeyInfo', fields: [{ type: algorithmIdentifier }, { type: { kind: 'bitString' } }] } },
          { type: { kind: 'slice', elem: { kind: 'rawValue' } }, tag: 0 },
        ],
      },
    },
    { type: algorithmIdentifier },
    { type: { kind: 'bitString' } },
  ],
};

class Asn1Error extends Error {}
const syntaxError = (msg: string): never => {
  throw new Asn1Error(`asn1: syntax error: ${msg}`);
};
const structuralError = (msg: string): never => {
  throw new Asn1Error(`asn1: structure error: ${msg}`);
};

interface TagAndLength {
  cls: number;
  tag: number;
  length: number;
  compound: boolean;
}

/** A base-128 number (a high tag number, an OID arc): at most 5 bytes, minimal, within an int32. */
function base128(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  for (let shifted = 0; at < bytes.length; shifted++) {
    if (shifted === 5) structuralError('base 128 integer too large');
    const b = bytes[at++]!;
    if (shifted === 0 && b === 0x80) syntaxError('integer is not minimally encoded');
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (value > 0x7fffffff) structuralError('base 128 integer too large');
      return [value, at];
    }
  }
  return syntaxError('truncated base 128 integer');
}

function tagAndLength(bytes: Buffer, at: number): [TagAndLength, number] {
  let b = bytes[at++]!;
  const t: TagAndLength = { cls: b >> 6, compound: (b & 0x20) !== 0, tag: b & 0x1f, length: 0 };
  if (t.tag === 0x1f) {
    [t.tag, at] = base128(bytes, at);
    if (t.tag < 0x1f) syntaxError('non-minimal tag');
  }
  if (at >= bytes.length) syntaxError('truncated tag or length');
  b = bytes[at++]!;
  if ((b & 0x80) === 0) t.length = b;
  else {
    const count = b & 0x7f;
    if (count === 0) syntaxError('indefinite length found (not DER)');
    for (let i = 0; i < count; i++) {
      if (at >= bytes.length) syntaxError('truncated tag or length');
      if (t.length >= 1 << 23) structuralError('length too large');
      t.length = t.length * 256 + bytes[at++]!;
      if (t.length === 0) structuralError('superfluous leading zeros in length');
    }
    if (t.length < 0x80) structuralError('non-minimal length');
  }
  return [t, at];
}

/** Go's `%+v` of a field's parameters: only `optional` and an implicit `tag` occur here. */
function params(optional: boolean, tag: number | undefined): string {
  // Go prints the tag's pointer, an address that differs from run to run; any address stands for it.
  const tagText = tag === undefined ? '<nil>' : '0xc000012345';
  return `{optional:${optional} explicit:false application:false private:false defaultValue:<nil> tag:${tagText} stringType:0 timeType:0 set:false omitEmpty:false}`;
}

function checkInteger(c: Buffer): void {
  if (c.length === 0) structuralError('empty integer');
  if (c.length > 1 && ((c[0] === 0 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) === 0x80))) structuralError('integer not minimally-encoded');
  if (c.length > 8) structuralError('integer too large');
}

function checkOid(c: Buffer): void {
  if (c.length === 0) syntaxError('zero length OBJECT IDENTIFIER');
  for (let at = 0; at < c.length; ) at = base128(c, at)[1];
}

function checkBitString(c: Buffer): void {
  if (c.length === 0) syntaxError('zero length BIT STRING');
  const pad = c[0]!;
  if (pad > 7 || (c.length === 1 && pad > 0) || (c[c.length - 1]! & ((1 << pad) - 1)) !== 0) syntaxError('invalid padding bits in BIT STRING');
}

/** encoding/asn1's parseField for `type` at `at` of `bytes`; the offset after it. */
function parseField(type: GoType, bytes: Buffer, at: number, optional = false, tag?: number): number {
  if (at === bytes.length) return optional ? at : syntaxError('sequence truncated');
  const start = at;
  let t: TagAndLength;
  [t, at] = tagAndLength(bytes, at);
  const matchAny = type.kind === 'rawValue' && tag === undefined;
  const universal = { struct: 16, slice: 16, int: 2, oid: 6, bitString: 3, rawValue: -1 }[type.kind];
  const expectedClass = tag === undefined ? 0 : 2;
  const expectedTag = tag ?? universal;
  const compound = type.kind === 'struct' || type.kind === 'slice';
  if ((!matchAny && (t.cls !== expectedClass || t.tag !== expectedTag)) || (type.kind !== 'rawValue' && t.compound !== compound)) {
    if (optional) return start;
    const seen = `{class:${t.cls} tag:${t.tag} length:${t.length} isCompound:${t.compound}}`;
    const name = type.kind === 'struct' ? type.name : names[type.kind];
    structuralError(`tags don't match (${expectedTag} vs ${seen}) ${params(optional, tag)} ${name} @${at}`);
  }
  if (at + t.length > bytes.length) syntaxError('data truncated');
  const inner = bytes.subarray(at, at + t.length);
  switch (type.kind) {
    case 'int':
      checkInteger(inner);
      break;
    case 'oid':
      checkOid(inner);
      break;
    case 'bitString':
      checkBitString(inner);
      break;
    case 'struct': {
      let offset = 0;
      for (const f of type.fields) offset = parseField(f.type, inner, offset, f.optional, f.tag);
      break; // elements after the last field are allowed
    }
    case 'slice':
      parseSequenceOf(inner);
  }
  return at + t.length;
}

/** parseSequenceOf for a slice of RawValues: every element's header and length first, then each element. */
function parseSequenceOf(bytes: Buffer): void {
  let t: TagAndLength;
  for (let at = 0; at < bytes.length; at += t.length) {
    [t, at] = tagAndLength(bytes, at);
    if (at + t.length > bytes.length) syntaxError('truncated sequence');
  }
  for (let at = 0; at < bytes.length; ) at = parseField({ kind: 'rawValue' }, bytes, at);
}

/**
 * Why Go's `asn1.Unmarshal` of `der` into x509's certificateRequest fails, or `trailing data` after it
 * (ParseCertificateRequest's own syntax error); undefined when the request's structure reads.
 */
export function certificateRequestStructureError(der: Buffer): string | undefined {
  try {
    const end = parseField(certificateRequest, der, 0);
    return end === der.length ? undefined : 'asn1: syntax error: trailing data';
  } catch (e) {
    if (e instanceof Asn1Error) return e.message;
    throw e;
  }
}
