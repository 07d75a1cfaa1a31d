/**
 * IP addresses as kube-apiserver v1.32 reads them (k8s.io/utils/net ParseIPSloppy: Go's pre-1.17 parser, which
 * still takes IPv4 octets with leading zeros) and the address classes Go's net.IP methods report, which
 * ValidateNonSpecialIP refuses for external IPs and endpoint addresses.
 */
import { invalid, type FieldError } from '../../../runtime/machinery/field-errors.ts';
import { parseIPv6Bytes } from '../../../runtime/machinery/ip-bytes.ts';

/** Four bytes for dotted IPv4, or undefined. Octets are decimal, any number of digits, at most 255. */
function parseIPv4Bytes(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Sixteen bytes for IPv6 text (with an optional dotted IPv4 tail, read sloppily), or undefined. No zones. */
function parseIPv6Sloppy(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined;
  const bytes = parseIPv6Bytes(s, (v4) => parseIPv4Bytes(v4) ?? 'unable to parse IP');
  return typeof bytes === 'string' ? undefined : bytes;
}

/** Go's 16-byte form of an address (IPv4 as ::ffff:a.b.c.d), or undefined when ParseIPSloppy refuses it. */
export function parseIP(s: string): number[] | undefined {
  const v4 = parseIPv4Bytes(s);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  return parseIPv6Sloppy(s);
}

export function isIP(s: string): boolean {
  return parseIP(s) !== undefined;
}

/** Upstream's IsValidIPv4Address / IsValidIPv6Address: parsed sloppily, IPv4 when To4 gives bytes (so ::ffff:a.b.c.d). */
export function ipFamily(s: string): 4 | 6 | undefined {
  const ip = parseIP(s);
  return ip === undefined ? undefined : to4(ip) ? 4 : 6;
}

/** net.IP To4: the IPv4 bytes of an IPv4 or IPv4-mapped address. */
function to4(ip: number[]): number[] | undefined {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff ? ip.slice(12) : undefined;
}

const isUnspecified = (ip: number[]) => ip.every((b) => b === 0) || (to4(ip)?.every((b) => b === 0) ?? false);
const isLoopback = (ip: number[]) => (to4(ip) ? to4(ip)![0] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1);
const isLinkLocalUnicast = (ip: number[]) => (to4(ip) ? to4(ip)![0] === 169 && to4(ip)![1] === 254 : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80);
const isLinkLocalMulticast = (ip: number[]) => (to4(ip) ? to4(ip)![0] === 224 && to4(ip)![1] === 0 && to4(ip)![2] === 0 : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02);

/** Upstream's ValidateNonSpecialIP: the address classes an external IP or endpoint address may not be in. */
export function nonSpecialIPErrors(value: string, field: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [invalid(field, value, 'must be a valid IP address')];
  const errors: FieldError[] = [];
  if (isUnspecified(ip)) errors.push(invalid(field, value, `may not be unspecified (${value})`));
  if (isLoopback(ip)) errors.push(invalid(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (isLinkLocalUnicast(ip)) errors.push(invalid(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(ip)) errors.push(invalid(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errors;
}

const isMulticast = (ip: number[]) => (to4(ip) ? (to4(ip)![0] & 0xf0) === 0xe0 : ip[0] === 0xff);
const isBroadcast = (ip: number[]) => to4(ip)?.every((b) => b === 0xff) ?? false;

/** Go's IP.IsLoopback (127.0.0.0/8, ::1) for address text; false when it is no IP. */
export function isLoopbackIP(s: string): boolean {
  const ip = parseIP(s);
  return ip !== undefined && isLoopback(ip);
}

/** Go's IP.IsUnspecified (0.0.0.0, ::) for address text; false when it is no IP. */
export function isUnspecifiedIP(s: string): boolean {
  const ip = parseIP(s);
  return ip !== undefined && isUnspecified(ip);
}

/**
 * Go's IP.IsGlobalUnicast: neither unspecified, loopback, multicast, link-local nor the IPv4 broadcast address
 * (private ranges such as 10.0.0.0/8 and fd00::/8 are global unicast).
 */
export function isGlobalUnicastIP(s: string): boolean {
  const ip = parseIP(s);
  return ip !== undefined && !isUnspecified(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip) && !isBroadcast(ip);
}
