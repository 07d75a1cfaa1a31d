/**
 * Service cluster IPs from `--service-cluster-ip-range` (upstream's ipallocator over a bitmap): the state is one
 * RangeAllocation at `<prefix>/ranges/serviceips`, changed with compare-and-swap, so concurrent API servers on one
 * store never hand out the same IP. The repair controller (controlplane/service-repair.ts) writes it first and
 * keeps it in step with the Services.
 */
import type { KV } from '../../storage/kv.ts';
import { RangeAllocator } from './allocator/range-allocator.ts';
import { kvRangeAllocationStore, type RangeAllocationStore } from './allocator/range-store.ts';
import { parseIPSloppy, to4 } from '../../machinery/ip-address.ts';

export class IPRangeError extends Error {}

/** Upstream's allocation errors, whose texts clients see in 422 causes. */
export class AllocationError extends Error {
  constructor(
    readonly reason: 'Allocated' | 'NotInRange' | 'Full',
    message: string,
  ) {
    super(message);
  }
}

/** An IPv4 CIDR as a range of usable host addresses (network and broadcast addresses excluded). */
export class IPv4Range {
  readonly first: number;
  readonly size: number;
  /** The network address (what a dry run reports as an allocated IP, as upstream). */
  readonly network: string;
  /** Where dynamic allocation starts (upstream's min(max(16, cidrSize/16), 256); 0 for ranges of 16 or less). */
  readonly dynamicOffset: number;

  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const bits = m ? Number(m[5]) : -1;
    if (!m || octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new IPRangeError(`"${cidr}" is not an IPv4 CIDR between /8 and /30`);
    const base = (((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]) >>> 0;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    this.first = ((base & mask) >>> 0) + 1;
    this.size = 2 ** (32 - bits) - 2;
    this.network = toIP(this.first - 1);
    const cidrSize = 2 ** (32 - bits);
    this.dynamicOffset = cidrSize <= 16 ? 0 : Math.min(256, Math.max(16, Math.floor(cidrSize / 16)));
  }

  ip(offset: number): string {
    return toIP(this.first + offset);
  }

  offsetOf(ip: string): number | undefined {
    const n = parseIPv4(ip);
    if (n === undefined) return undefined;
    const offset = n - this.first;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }
}

function toIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * An IPv4 address as a number; leading zeros are read as decimal and `::ffff:a.b.c.d` is a.b.c.d, as Go's
 * ParseIPSloppy and To4 read them.
 */
export function parseIPv4(ip: string): number | undefined {
  const parsed = parseIPSloppy(ip);
  const bytes = parsed && to4(parsed);
  if (!bytes) return undefined;
  const [a, b, c, d] = bytes;
  return (((a << 24) >>> 0) + (b << 16) + (c << 8) + d) >>> 0;
}

/** Go's net.IP String(): IPv4 without leading zeros. */
export function canonicalIPv4(ip: string): string {
  const n = parseIPv4(ip);
  return n === undefined ? ip : toIP(n);
}

export class ServiceIPAllocator {
  readonly range: IPv4Range;
  readonly ranges: RangeAllocator;

  constructor(kv: KV, etcdPrefix: string, cidr: string, store: RangeAllocationStore = kvRangeAllocationStore(kv, `${etcdPrefix}/ranges/serviceips`)) {
    this.range = new IPv4Range(cidr);
    this.ranges = new RangeAllocator(store, cidr, this.range.size, this.range.dynamicOffset, 'serviceipallocations', 'the provided network does not match the current range');
  }

  /** The first address of the range, the `kubernetes` Service's. */
  get apiServerIP(): string {
    return this.range.ip(0);
  }

  private offsetOrThrow(ip: string): number {
    const offset = this.range.offsetOf(ip);
    if (offset === undefined) throw new AllocationError('NotInRange', `the provided IP (${canonicalIPv4(ip)}) is not in the valid range. The range of valid IPs is ${this.range.cidr}`);
    return offset;
  }

  /** Claims `ip`; AllocationError when it is outside the range or taken. */
  async allocate(ip: string): Promise<void> {
    if (!(await this.ranges.allocate(this.offsetOrThrow(ip)))) throw new AllocationError('Allocated', 'provided IP is already allocated');
  }

  /** What `allocate` would say, without claiming (dry run). */
  async check(ip: string): Promise<void> {
    if (await this.ranges.has(this.offsetOrThrow(ip))) throw new AllocationError('Allocated', 'provided IP is already allocated');
  }

  /** Claims a free IP; AllocationError `range is full` when there is none. */
  async allocateNext(): Promise<string> {
    const offset = await this.ranges.allocateNext();
    if (offset === undefined) throw new AllocationError('Full', 'range is full');
    return this.range.ip(offset);
  }

  /** Gives `ip` back; an IP outside the range is ignored, as upstream. */
  async release(ip: string): Promise<void> {
    const offset = this.range.offsetOf(ip);
    if (offset !== undefined) await this.ranges.release(offset);
  }
}
