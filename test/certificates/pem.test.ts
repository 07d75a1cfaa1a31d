/**
 * PEM and X.509 read as Go reads them (encoding/pem Decode, crypto/x509 ParseCertificates, Go 1.23 as in
 * kube-apiserver v1.32): which blocks a text holds, and the first error Go names for DER that is no certificate.
 * The certificate is upstream's `validCertificate` of pkg/apis/certificates/validation/validation_test.go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCABundle } from '../../runtime/auth/authentication/ca-bundle.ts';
import { certificateBlocks, decodePem, decodePemBlocks, encodePem } from '../../runtime/certificates/pem.ts';
import { parseCertificateError, parseCertificates } from '../../runtime/certificates/x509-parse.ts';

const body = [
  'MIIBqDCCAU2gAwIBAgIUfbqeieihh/oERbfvRm38XvS/xHAwCgYIKoZIzj0EAwIw',
  'GjEYMBYGA1UEAxMPSW50ZXJtZWRpYXRlLUNBMCAXDTE2MTAxMTA1MDYwMFoYDzIx',
  'MTYwOTE3MDUwNjAwWjAUMRIwEAYDVQQDEwlNeSBDbGllbnQwWTATBgcqhkjOPQIB',
  'BggqhkjOPQMBBwNCAARv6N4R/sjMR65iMFGNLN1GC/vd7WhDW6J4X/iAjkRLLnNb',
  'KbRG/AtOUZ+7upJ3BWIRKYbOabbQGQe2BbKFiap4o3UwczAOBgNVHQ8BAf8EBAMC',
  'BaAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwDAYDVR0TAQH/BAIwADAdBgNVHQ4EFgQU',
  'K/pZOWpNcYai6eHFpmJEeFpeQlEwHwYDVR0jBBgwFoAUX6nQlxjfWnP6aM1meO/Q',
  'a6b3a9kwCgYIKoZIzj0EAwIDSQAwRgIhAIWTKw/sjJITqeuNzJDAKU4xo1zL+xJ5',
  'MnVCuBwfwDXCAiEAw/1TA+CjPq9JC5ek1ifR0FybTURjeQqYkKpve1dveps='
].join('\n');
const block = (type: string, inner: string) => `-----BEGIN ${type}-----\n${inner}\n-----END ${type}-----\n`;
const der = () => decodePem(block('CERTIFICATE', body))!.block.bytes;

describe("PEM blocks as Go's pem.Decode finds them", () => {
  it('takes any type, skips text around blocks, and gives what follows the END line', () => {
    const found = decodePem(`lead\n${block('CERTIFICATE1', body)}trail\n`)!;
    assert.equal(found.block.type, 'CERTIFICATE1');
    assert.equal(found.block.headers.size, 0);
    assert.equal(found.rest, 'trail\n');
  });
  it('reads leading Key: Value lines as headers, with no blank line after them', () => {
    const found = decodePem(block('CERTIFICATE', `Some-Header: Some-Value\n${body}`))!;
    assert.deepEqual([...found.block.headers], [['Some-Header', 'Some-Value']]);
    assert.ok(found.block.bytes.equals(der()));
  });
  it('accepts an END line right after BEGIN as an empty block', () => {
    assert.equal(decodePem('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')!.block.bytes.length, 0);
  });
  it('skips a block whose body is not padded standard base64, and one whose END type differs', () => {
    assert.equal(decodePem(block('CERTIFICATE', body.replace(/ve1dveps=$/, 've1d??????'))), undefined);
    assert.equal(decodePem(`-----BEGIN A-----\n${body}\n-----END B-----\n`), undefined);
    assert.deepEqual(decodePemBlocks(`-----BEGIN A-----\nnot base64!\n-----END A-----\n${block('B', body)}`).map((b) => b.type), ['B']);
  });
  it('reads CRLF lines and ignores spaces and tabs in the body', () => {
    const crlf = block('CERTIFICATE', body.split('\n').map((l) => ` ${l}\t`).join('\n')).replace(/\n/g, '\r\n');
    assert.ok(decodePem(crlf)!.block.bytes.equals(der()));
  });
});

describe("X.509 DER as Go's x509.ParseCertificates reads it", () => {
  it('counts certificates laid end to end, and none in no bytes', () => {
    assert.deepEqual(parseCertificates(Buffer.concat([der(), der()])), { count: 2 });
    assert.deepEqual(parseCertificates(Buffer.alloc(0)), { count: 0 });
  });
  it("names Go's first error", () => {
    // upstream's invalidCertificateNonASN1Data: the subject's first RDN is no SET
    const badSubject = decodePem(block('CERTIFICATE', body.replace('MTYwOTE3MDUwNjAwWjAUMRIw', 'MTYwOTE3MDUwNjAwWjAUNRIw')))!.block.bytes;
    assert.deepEqual(parseCertificates(badSubject), { error: 'x509: invalid RDNSequence' });
    assert.deepEqual(parseCertificates(Buffer.from('this is not a certificate')), { error: 'x509: malformed certificate' });
    assert.deepEqual(parseCertificates(Buffer.alloc(50, 0x30)), { error: 'x509: malformed tbs certificate' });
    assert.deepEqual(parseCertificates(Buffer.concat([Buffer.from([0x30, 0x30, 0x30, 0x20]), Buffer.alloc(46, 0x30)])), { error: 'x509: malformed serial number' });
  });
  it('refuses trailing bytes after a single certificate', () => {
    assert.equal(parseCertificateError(der()), undefined);
    assert.equal(parseCertificateError(Buffer.concat([der(), Buffer.from([0])])), 'x509: trailing data');
  });
});

describe('certificate blocks as client-go reads a CA file (cert.ParseCertsPEM)', () => {
  it('takes CERTIFICATE blocks without headers and skips everything else', () => {
    const bundle = `# a comment a bundle may carry\n${block('CERTIFICATE', `Proc-Type: 4,ENCRYPTED\n${body}`)}${block('EC PARAMETERS', 'BggqhkjOPQMBBw==')}${block('CERTIFICATE', body)}`;
    assert.deepEqual(certificateBlocks(bundle).map((b) => b.bytes.equals(der())), [true]);
    // A CA file with such a block loads its one certificate, as kube-apiserver's --client-ca-file does.
    assert.equal(parseCABundle(bundle, 'ca.crt').length, 1);
    assert.throws(() => parseCABundle(block('EC PARAMETERS', 'BggqhkjOPQMBBw=='), 'ca.crt'), /ca.crt: no PEM certificate found/);
  });
  it("writes a block back as Go's pem.EncodeToMemory does: 64-column base64, headers first, LF ends", () => {
    assert.equal(encodePem(decodePem(block('CERTIFICATE', body))!.block), block('CERTIFICATE', body));
    const withHeaders = { type: 'RSA PRIVATE KEY', headers: new Map([['DEK-Info', 'x'], ['Proc-Type', '4,ENCRYPTED']]), bytes: Buffer.from('key') };
    assert.equal(encodePem(withHeaders), '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n\na2V5\n-----END RSA PRIVATE KEY-----\n');
  });
});
