/**
 * A conversion webhook's caBundle as upstream's webhook.ValidateCABundle sees it: client-go's TLSConfigFor must be
 * able to build a root pool from it (x509.CertPool.AppendCertsFromPEM: at least one CERTIFICATE block without headers
 * that parses), and when it cannot, client-go's createErrorParsingCAData says why, walking the blocks as pem.Decode
 * finds them (wrapped as "unable to load root certificates").
 */
import { decodePem, decodePemBlocks, isCertificateBlock as usable } from '../../certificates/pem.ts';
import { parseCertificateError } from '../../certificates/x509-parse.ts';

/** Why the bundle (base64, as JSON carries bytes) gives no root certificates, or undefined when it does or is empty. */
export function caBundleError(base64: string): string | undefined {
  const data = Buffer.from(base64, 'base64').toString('latin1');
  if (data.length === 0) return undefined;
  if (decodePemBlocks(data).some((b) => usable(b) && parseCertificateError(b.bytes) === undefined)) return undefined;
  return `unable to load root certificates: ${whyNoRoots(data)}`;
}

/** createErrorParsingCAData: the first text that is no PEM block, or the first usable block that does not parse. */
function whyNoRoots(data: string): string {
  for (let rest = data; rest.length > 0; ) {
    const next = decodePem(rest);
    if (!next) return 'unable to parse bytes as PEM block';
    const error = usable(next.block) ? parseCertificateError(next.block.bytes) : undefined;
    if (error) return `failed to parse certificate: ${error}`;
    rest = next.rest;
  }
  return 'no valid certificate authority data seen';
}
