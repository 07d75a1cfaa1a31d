/**
 * A conversion webhook's caBundle as upstream's webhook.ValidateCABundle sees it: client-go's TLSConfigFor must be
 * able to build a root pool from it (at least one CERTIFICATE block without headers that parses), and when it
 * cannot, client-go's words say why (createErrorParsingCAData, wrapped as "unable to load root certificates").
 */
import { X509Certificate } from 'node:crypto';
import { pemBlocks } from '../../certificates/csr.ts';

type Block = ReturnType<typeof pemBlocks>[number];

const usable = (b: Block) => b.type === 'CERTIFICATE' && !b.headers;

function parses(b: Block): boolean {
  try {
    new X509Certificate(b.der);
    return true;
  } catch {
    return false;
  }
}

/** Why the bundle (base64, as JSON carries bytes) gives no root certificates, or undefined when it does or is empty. */
export function caBundleError(base64: string): string | undefined {
  const data = Buffer.from(base64, 'base64').toString('latin1');
  if (data.length === 0) return undefined;
  const blocks = pemBlocks(data);
  if (blocks.some((b) => usable(b) && parses(b))) return undefined;
  let reason = 'no valid certificate authority data seen';
  if (blocks.length === 0) reason = 'unable to parse bytes as PEM block';
  else if (blocks.some((b) => usable(b) && !parses(b))) reason = 'failed to parse certificate: x509: malformed certificate';
  return `unable to load root certificates: ${reason}`;
}
