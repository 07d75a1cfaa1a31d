/**
 * IP addresses as kube-apiserver v1.32 validates the legacy core/v1 fields (ParseIPSloppy, which still takes IPv4
 * octets with leading zeros; runtime/machinery/ip-address.ts) and the address classes ValidateNonSpecialIP refuses
 * for external IPs and endpoint addresses.
 */
import { invalid, type FieldError } from '../../../runtime/machinery/field-errors.ts';
import { ipFamilyOf, isGlobalUnicast, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseIPSloppy, sloppyTextChecks } from '../../../runtime/machinery/ip-address.ts';

/** Go's 16-byte form of an address (IPv4 as ::ffff:a.b.c.d), or undefined when ParseIPSloppy refuses it. */
export const parseIP = parseIPSloppy;

export const { isIP } = sloppyTextChecks;

/** Upstream's IsValidIPv4Address / IsValidIPv6Address: parsed sloppily, IPv4 when To4 gives bytes (so ::ffff:a.b.c.d). */
export function ipFamily(s: string): 4 | 6 | undefined {
  const ip = parseIPSloppy(s);
  return ip === undefined ? undefined : ipFamilyOf(ip);
}

/** Upstream's ValidateNonSpecialIP: the address classes an external IP or endpoint address may not be in. */
export function nonSpecialIPErrors(value: string, field: string): FieldError[] {
  const ip = parseIPSloppy(value);
  if (!ip) return [invalid(field, value, 'must be a valid IP address')];
  const errors: FieldError[] = [];
  if (isUnspecified(ip)) errors.push(invalid(field, value, `may not be unspecified (${value})`));
  if (isLoopback(ip)) errors.push(invalid(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (isLinkLocalUnicast(ip)) errors.push(invalid(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(ip)) errors.push(invalid(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errors;
}

/** Go's IP.IsLoopback (127.0.0.0/8, ::1) for address text; false when it is no IP. */
export function isLoopbackIP(s: string): boolean {
  const ip = parseIPSloppy(s);
  return ip !== undefined && isLoopback(ip);
}

/** Go's IP.IsUnspecified (0.0.0.0, ::) for address text; false when it is no IP. */
export function isUnspecifiedIP(s: string): boolean {
  const ip = parseIPSloppy(s);
  return ip !== undefined && isUnspecified(ip);
}

/** Go's IP.IsGlobalUnicast for address text; false when it is no IP. */
export function isGlobalUnicastIP(s: string): boolean {
  const ip = parseIPSloppy(s);
  return ip !== undefined && isGlobalUnicast(ip);
}
