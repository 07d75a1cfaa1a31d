/**
 * The Kubernetes `ip` and `cidr` libraries (upstream's library/ip.go and cidr.go, in the base environment since 1.30):
 * `ip(s)`, `isIP(s)`, `ip.isCanonical(s)`, on an IP `family() isUnspecified() isLoopback() isLinkLocalMulticast()
 * isLinkLocalUnicast() isGlobalUnicast()`; `cidr(s)`, `isCIDR(s)`, on a CIDR `containsIP(ip|string)
 * containsCIDR(cidr|string) ip() masked() prefixLength()`. Addresses parse as Go's netip does (no leading zeros in
 * IPv4 fields), and zones and IPv4-mapped IPv6 addresses are refused, as upstream refuses them.
 */
import type { CelFunc } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';
import { isGlobalUnicast, isIPv4Mapped, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, netipIPv4, netipText, parseIPv6Bytes, parseNetipPrefix } from '../../machinery/ip-address.ts';
import { goQuote } from '../../machinery/gofmt.ts';

const IP = 'net.IP';
const CIDR = 'net.CIDR';

/** An address as 4 or 16 bytes. */
type Bytes = number[];

const parseIPv4 = netipIPv4;
const parseIPv6 = (s: string): Bytes | string => parseIPv6Bytes(s, netipIPv4);
const isV4Mapped = isIPv4Mapped;

/** Go's netip.ParseAddr, then upstream's refusals; the error texts are upstream's. */
function parseAddr(s: string): Bytes {
  if (s.includes('%')) {
    if (!s.includes(':')) throw new Error(`IP Address ${goQuote(s)} parse error during conversion from string: ParseAddr(${goQuote(s)}): unable to parse IP`);
    throw new Error(`IP address ${goQuote(s)} with zone value is not allowed`);
  }
  const b = s.includes(':') ? parseIPv6(s) : parseIPv4(s);
  if (typeof b === 'string') throw new Error(`IP Address ${goQuote(s)} parse error during conversion from string: ParseAddr(${goQuote(s)}): ${b}`);
  if (isV4Mapped(b)) throw new Error(`IPv4-mapped IPv6 address ${goQuote(s)} is not allowed`);
  return b;
}

class IPValue extends OpaqueValue {
  readonly typeName = IP;
  constructor(readonly bytes: Bytes) {
    super();
  }
  override toString(): string {
    return netipText(this.bytes);
  }
  protected identity(): string {
    return this.toString();
  }
}

class CIDRValue extends OpaqueValue {
  readonly typeName = CIDR;
  constructor(
    readonly addr: IPValue,
    readonly bits: number,
  ) {
    super();
  }
  protected identity(): string {
    return `${this.addr}/${this.bits}`;
  }
  masked(): IPValue {
    const b = this.addr.bytes.map((x, i) => {
      const keep = Math.max(0, Math.min(8, this.bits - i * 8));
      return x & ((0xff << (8 - keep)) & 0xff);
    });
    return new IPValue(b);
  }
  contains(ip: IPValue): boolean {
    if (ip.bytes.length !== this.addr.bytes.length) return false;
    return new CIDRValue(ip, this.bits).masked().toString() === this.masked().toString();
  }
}

/** Go's netip.ParsePrefix (the machinery's reader), then upstream's refusal of IPv4-mapped addresses; upstream's texts. */
function parsePrefix(s: string): CIDRValue {
  const prefix = parseNetipPrefix(s);
  if (typeof prefix === 'string') throw new Error(`network address parse error during conversion from string: netip.ParsePrefix(${goQuote(s)}): ${prefix}`);
  if (isV4Mapped(prefix.ip)) throw new Error(`IPv4-mapped IPv6 address ${goQuote(s)} is not allowed`);
  return new CIDRValue(new IPValue(prefix.ip), prefix.bits);
}

const succeeds = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

const v4 = (ip: IPValue) => ip.bytes.length === 4;

export const ipLibrary: CelFunc[] = [
  global('ip', ['string'], IP, (s: string) => new IPValue(parseAddr(s))),
  global('isIP', ['string'], 'bool', (s: string) => succeeds(() => parseAddr(s))),
  global('ip.isCanonical', ['string'], 'bool', (s: string) => new IPValue(parseAddr(s)).toString() === s),
  method('family', IP, [], 'int', (ip: IPValue) => (v4(ip) ? 4n : 6n)),
  method('isUnspecified', IP, [], 'bool', (ip: IPValue) => isUnspecified(ip.bytes)),
  method('isLoopback', IP, [], 'bool', (ip: IPValue) => isLoopback(ip.bytes)),
  method('isLinkLocalMulticast', IP, [], 'bool', (ip: IPValue) => isLinkLocalMulticast(ip.bytes)),
  method('isLinkLocalUnicast', IP, [], 'bool', (ip: IPValue) => isLinkLocalUnicast(ip.bytes)),
  global('string', [IP], 'string', (ip: IPValue) => ip.toString()),
  method('isGlobalUnicast', IP, [], 'bool', (ip: IPValue) => isGlobalUnicast(ip.bytes)),
];

export const cidrLibrary: CelFunc[] = [
  global('cidr', ['string'], CIDR, parsePrefix),
  global('isCIDR', ['string'], 'bool', (s: string) => succeeds(() => parsePrefix(s))),
  method('containsIP', CIDR, [IP], 'bool', (c: CIDRValue, ip: IPValue) => c.contains(ip)),
  method('containsIP', CIDR, ['string'], 'bool', (c: CIDRValue, s: string) => c.contains(new IPValue(parseAddr(s)))),
  // Upstream: the prefixes overlap and this one is no longer than the other.
  method('containsCIDR', CIDR, [CIDR], 'bool', (c: CIDRValue, o: CIDRValue) => c.bits <= o.bits && c.contains(o.addr)),
  method('containsCIDR', CIDR, ['string'], 'bool', (c: CIDRValue, s: string) => {
    const o = parsePrefix(s);
    return c.bits <= o.bits && c.contains(o.addr);
  }),
  method('ip', CIDR, [], IP, (c: CIDRValue) => c.addr),
  method('masked', CIDR, [], CIDR, (c: CIDRValue) => new CIDRValue(c.masked(), c.bits)),
  method('prefixLength', CIDR, [], 'int', (c: CIDRValue) => BigInt(c.bits)),
  global('string', [CIDR], 'string', (c: CIDRValue) => `${c.addr}/${c.bits}`),
];
