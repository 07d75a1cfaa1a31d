/**
 * Validation of CertificateSigningRequests, as upstream's pkg/apis/certificates/validation: the request must be a
 * signed PKCS#10 request, the signer name well-formed, usages known and unique, conditions consistent, and the
 * certificate only CERTIFICATE PEM blocks. Problems already present in the stored object are tolerated on update
 * (upstream's compatibility options); what may change depends on the subresource written.
 */
import { duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../machinery/field-errors.ts';
import { goBytes, goValue } from '../machinery/go-syntax.ts';
import { goQuote } from '../machinery/gofmt.ts';
import { parseCSR } from './csr.ts';
import { decodePemBlocks } from './pem.ts';
import { parseCertificates } from './x509-parse.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../machinery/string-checks.ts';

/** The signer name v1 refuses on new requests (older v1beta1 requests may still carry it). */
export const legacyUnknownSignerName = 'kubernetes.io/legacy-unknown';

export const allValidUsages: readonly string[] = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const validUsages = new Set(allValidUsages);
const approvalTypes = ['Approved', 'Denied'] as const;
const permanentTypes = ['Approved', 'Denied', 'Failed'] as const;

/* eslint-disable @typescript-eslint/no-explicit-any */
type CSR = any;

/** The request's PEM (the stored `spec.request` is base64, as []byte in JSON). */
export function requestPem(csr: CSR): string {
  return decodeBytes(csr?.spec?.request);
}

export function decodeBytes(v: unknown): string {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('binary') : '';
}

/** What the subresource being written may change (upstream's certificateValidationOptions for subresources). */
export interface SubresourceAllowance {
  /** /approval: Approved and Denied conditions may be added. */
  approvalConditions?: boolean;
  /** /status: status.certificate may be set. */
  certificate?: boolean;
}

/** The checks of create and of every update (with `old`, tolerating what the stored object already has). */
export function validateCertificateSigningRequest(csr: CSR, old?: CSR): FieldError[] {
  const errs: FieldError[] = [];
  const spec = csr?.spec ?? {};
  const oldUsages: string[] = old?.spec?.usages ?? [];
  try {
    const parsed = parseCSR(requestPem(csr));
    parsed.checkSignature();
  } catch (e) {
    // Upstream reports the decoded bytes, printed as Go prints a []byte.
    errs.push(invalid('spec.request', goValue(goBytes, spec.request), (e as Error).message));
  }
  const usages: string[] = Array.isArray(spec.usages) ? spec.usages : [];
  if (usages.length === 0) errs.push(required('spec.usages'));
  if (!(old && oldUsages.some((u) => !validUsages.has(u)))) {
    usages.forEach((u, i) => {
      if (!validUsages.has(u)) errs.push(notSupported(`spec.usages[${i}]`, u, allValidUsages));
    });
  }
  if (!(old && new Set(oldUsages).size !== oldUsages.length)) {
    const seen = new Set<string>();
    usages.forEach((u, i) => {
      if (seen.has(u)) errs.push(duplicate(`spec.usages[${i}]`, u));
      seen.add(u);
    });
  }
  const signerName = typeof spec.signerName === 'string' ? spec.signerName : '';
  if (signerName === legacyUnknownSignerName && old?.spec?.signerName !== legacyUnknownSignerName) {
    errs.push(invalid('spec.signerName', signerName, 'the legacy signerName is not allowed via this API version'));
  } else if (signerName !== legacyUnknownSignerName) {
    errs.push(...validateSignerName('spec.signerName', signerName));
  }
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    errs.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(csr, old));
  const certificate = decodeBytes(csr?.status?.certificate);
  const tolerate = old !== undefined && (certificate === decodeBytes(old?.status?.certificate) || certificateError(decodeBytes(old?.status?.certificate)) !== undefined);
  if (!tolerate) {
    const err = certificateError(certificate);
    if (err) errs.push(invalid('status.certificate', '<certificate data>', err));
  }
  return errs;
}

/** What an update may not do, beyond the checks above: remove permanent conditions, touch approval or the certificate. */
export function validateCertificateSigningRequestUpdate(csr: CSR, old: CSR, allow: SubresourceAllowance): FieldError[] {
  const errs: FieldError[] = [];
  const find = (o: CSR, t: string) => ((o?.status?.conditions ?? []) as any[]).filter((c) => c?.type === t);
  for (const t of permanentTypes) {
    if (find(csr, t).length < find(old, t).length) errs.push(forbidden('status.conditions', `updates may not remove a condition of type ${goQuote(t)}`));
  }
  if (!allow.approvalConditions) {
    for (const t of approvalTypes) {
      const before = find(old, t);
      const after = find(csr, t);
      if (after.length > before.length) errs.push(forbidden('status.conditions', `updates may not add a condition of type ${goQuote(t)}`));
      else if (after.length === before.length && JSON.stringify(before) !== JSON.stringify(after)) {
        errs.push(forbidden('status.conditions', `updates may not modify a condition of type ${goQuote(t)}`));
      }
    }
  }
  const cert = decodeBytes(csr?.status?.certificate);
  const oldCert = decodeBytes(old?.status?.certificate);
  if (cert !== oldCert) {
    if (!allow.certificate) errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oldCert.length > 0) errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return errs;
}

function validateConditions(csr: CSR, old?: CSR): FieldError[] {
  const errs: FieldError[] = [];
  const conditions: any[] = Array.isArray(csr?.status?.conditions) ? csr.status.conditions : [];
  const oldConditions: any[] = Array.isArray(old?.status?.conditions) ? old.status.conditions : [];
  const oldTypes = oldConditions.map((c) => c?.type ?? '');
  const allowBoth = old !== undefined && oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDuplicates = old !== undefined && new Set(oldTypes).size !== oldTypes.length;
  const allowEmpty = old !== undefined && oldTypes.includes('');
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    const type = typeof c?.type === 'string' ? c.type : '';
    if (!allowEmpty && type === '') errs.push(required(`${path}.type`));
    const allowed = (permanentTypes as readonly string[]).includes(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c?.status) errs.push(required(`${path}.status`));
    else if (!allowed.includes(c.status)) errs.push(notSupported(`${path}.status`, c.status, allowed));
    if (!allowBoth) {
      if (type === 'Approved') {
        approved = true;
        if (denied) errs.push(invalid(`${path}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (type === 'Denied') {
        denied = true;
        if (approved) errs.push(invalid(`${path}.type`, type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (!allowDuplicates) {
      if (seen.has(type)) errs.push(duplicate(`${path}.type`, type));
      seen.add(type);
    }
  });
  return errs;
}

/** Why `pem` is not an acceptable status.certificate (undefined when it is, or when it is empty): upstream's validateCertificate. */
export function certificateError(pem: string): string | undefined {
  if (pem.length === 0) return undefined;
  const blocks = decodePemBlocks(pem);
  for (const b of blocks) {
    if (b.type !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${goQuote(b.type)}`;
    if (b.headers.size) return 'no PEM block headers are permitted';
    const parsed = parseCertificates(b.bytes);
    if ('error' in parsed) return parsed.error;
    if (parsed.count === 0) return 'found CERTIFICATE PEM block containing 0 certificates';
  }
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  return undefined;
}

/** A signer name: `<domain with a dot>/<path of DNS subdomains>`, as upstream's ValidateSignerName. */
export function validateSignerName(field: string, signerName: string): FieldError[] {
  if (!signerName) return [required(field)];
  const segments = signerName.split('/');
  if (segments.length !== 2) return [invalid(field, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs: FieldError[] = [];
  const [domain, path] = segments as [string, string];
  if (domain.length > 253) errs.push(tooLong(field, '', 253));
  const domainLabels = domain.split('.');
  for (const lbl of domainLabels) {
    const e = isDNS1123Label(lbl);
    if (e.length) {
      for (const m of e) errs.push(invalid(field, domain, `validating label ${goQuote(lbl)}: ${m}`));
      break;
    }
  }
  if (domainLabels.length < 2) errs.push(invalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  for (const lbl of path.split('.')) {
    const e = isDNS1123Subdomain(lbl);
    if (e.length) {
      for (const m of e) errs.push(invalid(field, path, `validating label ${goQuote(lbl)}: ${m}`));
      break;
    }
  }
  const max = 253 + (253 + 63 + 1) + 1;
  if (signerName.length > max) errs.push(tooLong(field, '', max));
  return errs;
}

/** The PEM of a request, or of a stored object's request, parsed (undefined when it does not parse). */
export function tryParseRequest(csr: CSR): ReturnType<typeof parseCSR> | undefined {
  try {
    return parseCSR(requestPem(csr));
  } catch {
    return undefined;
  }
}

