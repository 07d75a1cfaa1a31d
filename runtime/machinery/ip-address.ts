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
 * CIDRs are read here too, by the same two rules: `parseCIDRSloppy` (netutils.ParseCIDRSloppy; `ipNetContains`,
 * net.IPNet's Contains) and `parseNetipPrefix` (netip.ParsePrefix, for CEL's cidr library).
 */
import { goQuote } from './gofmt.ts';

/** Bytes of an IPv4 text, or why it is no address (the caller's words). */
export type IPv4Reader = (text: string) => number[] | string;

const unparsable = 'unable to parse IP';

/**
 * Go's netip IPv4 reading (parseIPv4Fields): four decimal fields of at most 255, no leading zeros; netip's words when
 * refused, with the rest of the text from the first unexpected character as netip's `(at "...")`.
 */
export function netipIPv4(s: string): number[] | string {
  // netip.ParseAddr reads a text as IPv4 only when it has a '.'.
  if (!s.includes('.')) return unparsable;
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits === 1 && value === 0) return 'IPv4 field has octet with leading zero';
      value = value * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (value > 255) return 'IPv4 field has value >255';
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return `IPv4 field must have at least one digit (at ${goQuote(s.slice(i))})`;
      if (out.length === 3) return 'IPv4 address too long';
      out.push(value);
      value = 0;
      digits = 0;
    } else {
      return `unexpected character (at ${goQuote(s.slice(i))})`;
    }
  }
  if (out.length < 3) return 'IPv4 address too short';
  out.push(value);
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

/** The sixteen bytes of IPv6 text as ParseIPSloppy reads it (an IPv4 tail may have leading zeros), or undefined. */
function sloppyIPv6(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined;
  const bytes = parseIPv6Bytes(s, (tail) => sloppyIPv4(tail) ?? unparsable);
  return typeof bytes === 'string' ? undefined : bytes;
}

/** ParseIPSloppy: Go's 16-byte form of an address (IPv4 as ::ffff:a.b.c.d), or undefined when it refuses it. */
export function parseIPSloppy(s: string): number[] | undefined {
  const v4 = sloppyIPv4(s);
  return v4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : sloppyIPv6(s);
}

/** Whether text is an address of a family, by one of upstream's two parsers (each validator keeps the one it uses). */
export interface IPTextChecks {
  isIPv4(s: string): boolean;
  isIPv6(s: string): boolean;
  isIP(s: string): boolean;
}

/** netip's reading (no leading zeros in IPv4 octets), by the text's form: `::ffff:a.b.c.d` is IPv6 (netip's Is6). */
export const netipTextChecks: IPTextChecks = {
  isIPv4: (s) => typeof netipIPv4(s) !== 'string',
  isIPv6: (s) => s.includes(':') && typeof parseIPv6Bytes(s, netipIPv4) !== 'string',
  isIP: (s) => netipTextChecks.isIPv4(s) || netipTextChecks.isIPv6(s),
};

/**
 * ParseIPSloppy's reading (legacy fields), the family as netutils.IsIPv4String / IsIPv6String give it: by To4, so
 * an IPv4-mapped `::ffff:a.b.c.d` is IPv4.
 */
export const sloppyTextChecks: IPTextChecks = {
  isIPv4: (s) => {
    const ip = parseIPSloppy(s);
    return ip !== undefined && ipFamilyOf(ip) === 4;
  },
  isIPv6: (s) => {
    const ip = sloppyIPv6(s);
    return ip !== undefined && ipFamilyOf(ip) === 6;
  },
  isIP: (s) => parseIPSloppy(s) !== undefined,
};

/** A CIDR as Go's net.IPNet holds it: the network address (host bits cleared; 4 bytes for IPv4 text, else 16). */
export interface IPNet {
  ip: number[];
  /** The prefix length, of 32 or 128 bits as the text was written. */
  bits: number;
}

/** The address with every bit past the first `bits` cleared. */
function masked(ip: readonly number[], bits: number): number[] {
  return ip.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff);
}

/**
 * netutils.ParseCIDRSloppy (Go's pre-1.17 ParseCIDR): `address/bits`, the address as ParseIPSloppy reads it, the bits
 * decimal digits (leading zeros too) within the address's length; undefined when refused.
 */
export function parseCIDRSloppy(s: string): IPNet | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const address = s.slice(0, slash);
  const ip = sloppyIPv4(address) ?? sloppyIPv6(address);
  const bitsText = s.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(bitsText) || Number(bitsText) > ip.length * 8) return undefined;
  return { ip: masked(ip, Number(bitsText)), bits: Number(bitsText) };
}

/** A CIDR as Go's netip.Prefix holds it: the address as written (host bits kept), and the prefix length. */
export interface IPPrefix {
  ip: number[];
  bits: number;
}

/**
 * Go's netip.ParsePrefix: `address/bits` split at the last `/`, the address as netip reads it (no zone), the bits
 * decimal digits without a leading zero within the address's length; netip's words (after `netip.ParsePrefix("...")`:
 * the caller's) when refused.
 */
export function parseNetipPrefix(s: string): IPPrefix | string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return "no '/'";
  const address = s.slice(0, slash);
  if (address.includes('%')) return 'IPv6 zones cannot be present in a prefix';
  const ip = address.includes(':') ? parseIPv6Bytes(address, netipIPv4) : netipIPv4(address);
  if (typeof ip === 'string') return `ParseAddr(${goQuote(address)}): ${ip}`;
  const bitsText = s.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || Number(bitsText) > ip.length * 8) return `bad bits after slash: ${goQuote(bitsText)}`;
  return { ip, bits: Number(bitsText) };
}

/**
 * net.IPNet Contains: IPv4 and IPv4-mapped addresses compare as IPv4 (a mapped network's prefix then counts from
 * its IPv4 part), and an address of the other family is never inside.
 */
export function ipNetContains(net: IPNet, ip: readonly number[]): boolean {
  const net4 = to4(net.ip);
  const base = net4 ?? net.ip;
  const bits = net4 && net.ip.length === 16 ? net.bits - 96 : net.bits;
  const x = to4(ip) ?? ip;
  if (x.length !== base.length) return false;
  const want = masked(x, bits);
  return base.every((b, i) => b === want[i]);
}

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
