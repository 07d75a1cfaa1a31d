/**
 * Service node ports from `--service-node-port-range` (upstream's portallocator over a bitmap), kept as one
 * RangeAllocation at `<prefix>/ranges/servicenodeports`, changed with compare-and-swap like the cluster IPs.
 */
import type { KV } from '../../storage/kv.ts';
import { atoi, numErrorText } from '../../machinery/strconv.ts';
import { RangeAllocator } from './allocator/range-allocator.ts';
import { kvRangeAllocationStore, type RangeAllocationStore } from './allocator/range-store.ts';
import { AllocationError } from './service-ip-allocator.ts';

/** Upstream's net.PortRange: `base` and `size`, printed `base-last`. */
export interface PortRange {
  base: number;
  size: number;
}

export function formatPortRange(r: PortRange): string {
  return r.size === 0 ? '' : `${r.base}-${r.base + r.size - 1}`;
}

/** Go's strconv.Atoi, its refusal thrown with its text (ParsePortRange returns it as is). */
function port(s: string): number {
  const n = atoi(s);
  if (typeof n !== 'number') throw new Error(numErrorText('Atoi', s, n));
  return n;
}

/** Upstream's ParsePortRange: `30000-32767`, `30000+2767` or a single port, with its error texts. */
export function parsePortRange(value: string): PortRange {
  const v = value.trim();
  if (v === '') return { base: 0, size: 0 };
  const hyphen = v.indexOf('-');
  const plus = v.indexOf('+');
  let low: number;
  let high: number;
  if (hyphen === -1 && plus === -1) low = high = port(v);
  else if (hyphen !== -1 && plus === -1) {
    low = port(v.slice(0, hyphen));
    high = port(v.slice(hyphen + 1));
  } else if (plus !== -1 && hyphen === -1) {
    low = port(v.slice(0, plus));
    high = low + port(v.slice(plus + 1));
  } else throw new Error(`unable to parse port range: ${v}`);
  if (low > 65535 || high > 65535) throw new Error(`the port range cannot be greater than 65535: ${v}`);
  if (high < low) throw new Error(`end port cannot be less than start port: ${v}`);
  return { base: low, size: 1 + high - low };
}

/** Where dynamic allocation starts: upstream's min(max(16, size/32), 128), 0 for ranges of 16 or less. */
function dynamicOffset(size: number): number {
  return size <= 16 ? 0 : Math.min(128, Math.max(16, Math.floor(size / 32)));
}

export class ServiceNodePortAllocator {
  readonly ranges: RangeAllocator;
  readonly spec: string;

  constructor(kv: KV, etcdPrefix: string, readonly portRange: PortRange, store: RangeAllocationStore = kvRangeAllocationStore(kv, `${etcdPrefix}/ranges/servicenodeports`)) {
    this.spec = formatPortRange(portRange);
    this.ranges = new RangeAllocator(store, this.spec, portRange.size, dynamicOffset(portRange.size), 'servicenodeportallocations', 'the provided port range does not match the current port range');
  }

  contains(port: number): boolean {
    return port >= this.portRange.base && port - this.portRange.base < this.portRange.size;
  }

  private offsetOrThrow(port: number): number {
    if (!this.contains(port)) throw new AllocationError('NotInRange', `provided port is not in the valid range. The range of valid ports is ${this.spec}`);
    return port - this.portRange.base;
  }

  async allocate(port: number): Promise<void> {
    if (!(await this.ranges.allocate(this.offsetOrThrow(port)))) throw new AllocationError('Allocated', 'provided port is already allocated');
  }

  async allocateNext(): Promise<number> {
    const offset = await this.ranges.allocateNext();
    if (offset === undefined) throw new AllocationError('Full', 'range is full');
    return this.portRange.base + offset;
  }

  /** Whether `port` is taken now; false outside the range (upstream's Has). */
  async has(port: number): Promise<boolean> {
    return this.contains(port) && (await this.ranges.has(port - this.portRange.base));
  }

  async release(port: number): Promise<void> {
    if (this.contains(port)) await this.ranges.release(port - this.portRange.base);
  }
}
