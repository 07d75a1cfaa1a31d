/**
 * IP addresses, read and written as kube-apiserver v1.32 does, for every caller (validation, the CEL ip and cidr
 * libraries, Service warnings, the Service IP allocator). Upstream reads with two parsers on purpose, and each caller
 * keeps its own:
 *
 * - Go's netip (`netipIPv4` for the IPv4 part; CEL, and the warnings about what a later release will refuse): IPv4
 *   octets without leading zeros, netip's error words.
 * - k8s.io/utils/net ParseIPSloppy (`parseIPSloppy`; v1.32 validation of the legacy fields): Go's pre-1.17 parser,
 *   which takes IPv4 octets with leading zeros and any number of digits.
 *
 * Both share the IPv6 reading (`parseIPv6Bytes`). An address is 4 bytes (IPv4) or 16; the address classes read an
 * IPv4-mapped 16-byte address as IPv4, as Go's net.IP methods do (netip's callers refuse those addresses anyway).
 */

/** Bytes of an IPv4 text, or why it is no address (the caller's words). */
export type IPv4Reader = (text: string) => number[] | string;

const unparsable = 'unable to parse IP';

/** Go's netip IPv4 reading: four decimal fields of at most 255, no leading zeros; netip's words when refused. */
export function netipIPv4(s: string): number[] | string {
  const parts = s.split('.');
  if (parts.length !== 4) return unparsable;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return unparsable;
    if (p.length > 1 && p[0] === '0') return 'IPv4 field has octet with leading zero';
    const n = Number(p);
    if (n > 255) return 'IPv4 field has value >255';
    out.push(n);
  }
  return out;
}

/** ParseIPSloppy's IPv4 reading: four decimal fields of any number of digits, each at most 255. */
export function sloppyIPv4(s: string): number[] | undefined {
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

/**
 * The sixteen bytes of IPv6 text (groups of 1-4 hex digits, at most one `::`, an IPv4 tail only at the end, no
 * zone), or why it is no IPv6 address (netip's words, or the IPv4 reader's for the tail).
 */
export function parseIPv6Bytes(s: string, ipv4: IPv4Reader): number[] | string {
  const halves = s.split('::');
  if (halves.length > 2) return unparsable;
  // An IPv4 tail may only end the address.
  if (halves.length === 2 && halves[0].includes('.')) return unparsable;
  const groupsOf = (h: string): number[] | string => {
    if (h === '') return [];
    const bytes: number[] = [];
    const groups = h.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = ipv4(g);
        if (typeof v4 === 'string') return v4;
        bytes.push(...v4);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        const n = parseInt(g, 16);
        bytes.push(n >> 8, n & 0xff);
      } else return unparsable;
    }
    return bytes;
  };
  const head = groupsOf(halves[0]);
  if (typeof head === 'string') return head;
  if (halves.length === 1) return head.length === 16 ? head : unparsable;
  const tail = groupsOf(halves[1]);
  if (typeof tail === 'string') return tail;
  if (head.length + tail.length > 14) return unparsable;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** ParseIPSloppy: Go's 16-byte form of an address (IPv4 as ::ffff:a.b.c.d), or undefined when it refuses it. */
export function parseIPSloppy(s: string): number[] | undefined {
  const v4 = sloppyIPv4(s);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  if (!s.includes(':')) return undefined;
  const bytes = parseIPv6Bytes(s, (tail) => sloppyIPv4(tail) ?? unparsable);
  return typeof bytes === 'string' ? undefined : bytes;
}

/** Whether text is an address or a CIDR, by one of upstream's two parsers (each validator keeps the one it uses). */
export interface IPTextChecks {
  isIPv4(s: string): boolean;
  /** IPv6 text (an IPv4-mapped address written as IPv6 counts as IPv6 here). */
  isIPv6(s: string): boolean;
  isIP(s: string): boolean;
  /** `address/bits`, bits in decimal and within the family's length. */
  isCIDR(s: string): boolean;
}

function textChecks(isIPv4: (s: string) => boolean, isIPv6: (s: string) => boolean): IPTextChecks {
  return {
    isIPv4,
    isIPv6,
    isIP: (s) => isIPv4(s) || isIPv6(s),
    isCIDR(s) {
      const [ip, bits, ...rest] = s.split('/');
      if (rest.length || bits === undefined || !/^\d+$/.test(bits)) return false;
      return isIPv4(ip) ? Number(bits) <= 32 : isIPv6(ip) && Number(bits) <= 128;
    },
  };
}

/** netip's reading (no leading zeros in IPv4 octets; an IPv4 part may only end an IPv6 address). */
export const netipTextChecks = textChecks(
  (s) => typeof netipIPv4(s) !== 'string',
  (s) => s.includes(':') && typeof parseIPv6Bytes(s, netipIPv4) !== 'string',
);

/** ParseIPSloppy's reading (legacy fields). */
export const sloppyTextChecks = textChecks(
  (s) => sloppyIPv4(s) !== undefined,
  (s) => s.includes(':') && parseIPSloppy(s) !== undefined,
);

/** Whether 16 bytes are an IPv4-mapped address (::ffff:a.b.c.d). */
export function isIPv4Mapped(ip: readonly number[]): boolean {
  return ip.length === 16 && ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** net.IP To4: the IPv4 bytes of an IPv4 or IPv4-mapped address; undefined for other IPv6 addresses. */
export function to4(ip: readonly number[]): number[] | undefined {
  if (ip.length === 4) return [...ip];
  return isIPv4Mapped(ip) ? ip.slice(12) : undefined;
}

/** The IP family of an address as Go's net.IP sees it (To4 decides, so an IPv4-mapped address is IPv4). */
export function ipFamilyOf(ip: readonly number[]): 4 | 6 {
  return to4(ip) ? 4 : 6;
}

/** RFC 5952 text of sixteen bytes: lowercase hex, no leading zeros, the first longest run of 2+ zero groups as `::`. */
export function ipv6Text(b: readonly number[]): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** netip.Addr String of an address of 4 or 16 bytes: dotted IPv4, an IPv4-mapped address as `::ffff:a.b.c.d`. */
export function netipText(ip: readonly number[]): string {
  if (ip.length === 4) return ip.join('.');
  return isIPv4Mapped(ip) ? `::ffff:${ip.slice(12).join('.')}` : ipv6Text(ip);
}

// The address classes of Go's net.IP methods (netip's agree on the addresses netip's callers take).
const v4of = (ip: readonly number[]) => to4(ip);

export function isUnspecified(ip: readonly number[]): boolean {
  return ip.every((b) => b === 0) || (v4of(ip)?.every((b) => b === 0) ?? false);
}

export function isLoopback(ip: readonly number[]): boolean {
  const v4 = v4of(ip);
  return v4 ? v4[0] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

export function isMulticast(ip: readonly number[]): boolean {
  const v4 = v4of(ip);
  return v4 ? (v4[0] & 0xf0) === 0xe0 : ip[0] === 0xff;
}

export function isLinkLocalUnicast(ip: readonly number[]): boolean {
  const v4 = v4of(ip);
  return v4 ? v4[0] === 169 && v4[1] === 254 : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(ip: readonly number[]): boolean {
  const v4 = v4of(ip);
  return v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
}

/**
 * IsGlobalUnicast: neither unspecified, loopback, multicast, link-local nor the IPv4 broadcast address (private
 * ranges such as 10.0.0.0/8 and fd00::/8 are global unicast).
 */
export function isGlobalUnicast(ip: readonly number[]): boolean {
  const broadcast = v4of(ip)?.every((b) => b === 0xff) ?? false;
  return !isUnspecified(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip) && !broadcast;
}
