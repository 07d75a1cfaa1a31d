/**
 * CIDR parsing as Go's netutils.ParseCIDRSloppy does it (IPv4 octets may carry leading zeros), for the checks
 * that compare one CIDR with another (a NetworkPolicy ipBlock's excepts must lie inside its cidr).
 */
import { isIPv6 } from 'node:net';

export interface CIDR {
  /** 32 for IPv4, 128 for IPv6. */
  width: number;
  /** The prefix length. */
  bits: number;
  /** The address with the host bits cleared. */
  network: bigint;
}

function ipv4Value(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6Value(text: string): bigint | undefined {
  if (!isIPv6(text)) return undefined;
  let groups = text;
  // A trailing dotted IPv4 part stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (dotted) {
    const v4 = ipv4Value(dotted[1]);
    if (v4 === undefined) return undefined;
    groups = `${groups.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = groups.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const all = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0 || !/^\d+$/.test(text.slice(slash + 1))) return undefined;
  const bits = Number(text.slice(slash + 1));
  const address = text.slice(0, slash);
  const v4 = ipv4Value(address);
  const width = v4 !== undefined ? 32 : 128;
  const value = v4 ?? ipv6Value(address);
  if (value === undefined || bits > width) return undefined;
  const hostMask = (1n << BigInt(width - bits)) - 1n;
  return { width, bits, network: value & ~hostMask };
}

/** Whether `outer` holds the address `network` (of a CIDR of the same width). */
export function cidrContains(outer: CIDR, inner: CIDR): boolean {
  if (outer.width !== inner.width) return false;
  const shift = BigInt(outer.width - outer.bits);
  return inner.network >> shift === outer.network >> shift;
}
