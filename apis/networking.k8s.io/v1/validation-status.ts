/**
 * What a write through an Ingress's /status checks beside the metadata (upstream's ValidateIngressStatusUpdate);
 * runtime/registry/strategies/networking/ingress.ts calls it.
 */
import { invalid, type FieldError } from '../../../runtime/machinery/field-errors.ts';
import { isDNS1123Subdomain } from '../../../runtime/machinery/string-checks.ts';
import { isIP } from '../../core/v1/ip-address.ts';
import type { Ingress } from './ingress.ts';

/**
 * Upstream's ValidateIngressLoadBalancerStatus, all that a write through /status checks beside the metadata: each
 * ingress point's IP parses (sloppily, as v1.32's ParseIPSloppy), and its hostname is a DNS subdomain and no IP.
 */
export function validateIngressStatus(obj: Ingress): FieldError[] {
  const errors: FieldError[] = [];
  (obj.status?.loadBalancer?.ingress ?? []).forEach((point, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    if (point.ip && !isIP(point.ip)) errors.push(invalid(`${at}.ip`, point.ip, 'must be a valid IP address'));
    if (point.hostname) {
      for (const msg of isDNS1123Subdomain(point.hostname)) errors.push(invalid(`${at}.hostname`, point.hostname, msg));
      if (isIP(point.hostname)) errors.push(invalid(`${at}.hostname`, point.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errors;
}
