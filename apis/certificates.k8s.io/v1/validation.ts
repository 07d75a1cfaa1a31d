import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateCertificateSigningRequest } from '../../../runtime/certificates/validation.ts';
import type { CertificateSigningRequest } from './types.ts';

/** The request parses and is signed, signer and usages are valid, conditions consistent (runtime/certificates/validation.ts). */
export function validate_CertificateSigningRequest(obj: CertificateSigningRequest, old?: CertificateSigningRequest): FieldError[] {
  return validateCertificateSigningRequest(obj, old);
}
