/**
 * Service cluster IPs from `--service-cluster-ip-range`: each allocated IP is a key the store creates only if it
 * is absent (`<prefix>/ranges/serviceips/<ip>`, value `<namespace>/<name>`), so concurrent API servers on one
 * store never hand out the same IP. A repair pass reconciles the keys with the Services that exist, releasing
 * what a failed create left behind, as upstream's repair controller does.
 */
import type { KV } from '../../storage/kv.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IPRangeError extends Error {}

/** An IPv4 CIDR as a range of usable host addresses (network and broadcast addresses excluded). */
export class IPv4Range {
  readonly first: number;
  readonly size: number;

  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const bits = m ? Number(m[5]) : -1;
    if (!m || octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new IPRangeError(`"${cidr}" is not an IPv4 CIDR between /8 and /30`);
    const base = (((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3]) >>> 0;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    this.first = ((base & mask) >>> 0) + 1;
    this.size = 2 ** (32 - bits) - 2;
  }

  ip(offset: number): string {
    const n = this.first + offset;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }

  offsetOf(ip: string): number | undefined {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    const n = (((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) >>> 0;
    const offset = n - this.first;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }
}

export class ServiceIPAllocator {
  readonly range: IPv4Range;
  private readonly prefix: string;
  /** Claims no Service held at the last repair: released if still unheld at the next (a create may be in flight). */
  private suspects = new Set<string>();

  constructor(
    private readonly kv: KV,
    etcdPrefix: string,
    cidr: string,
  ) {
    this.range = new IPv4Range(cidr);
    this.prefix = `${etcdPrefix}/ranges/serviceips/`;
  }

  /** The first address of the range, reserved for the `kubernetes` Service. */
  get apiServerIP(): string {
    return this.range.ip(0);
  }

  /** Claims `requested`, or the first free address after a random start. Throws IPRangeError when it cannot. */
  async allocate(owner: string, requested?: string): Promise<string> {
    if (requested) {
      if (this.range.offsetOf(requested) === undefined) throw new IPRangeError(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.range.cidr}`);
      if (!(await this.claim(requested, owner))) throw new IPRangeError(`the provided IP (${requested}) is already allocated`);
      return requested;
    }
    // Offset 0 is the API server's own address; others start anywhere so that servers rarely collide.
    const start = 1 + Math.floor(Math.random() * (this.range.size - 1));
    for (let i = 0; i < this.range.size - 1; i++) {
      const ip = this.range.ip(1 + ((start - 1 + i) % (this.range.size - 1)));
      if (await this.claim(ip, owner)) return ip;
    }
    throw new IPRangeError(`range is full: no more IPs in ${this.range.cidr}`);
  }

  async release(ip: string): Promise<void> {
    await this.kv.delete(this.prefix + ip);
  }

  /** Every claimed IP with its owner (`namespace/name`). */
  async allocated(): Promise<Map<string, string>> {
    const res = await this.kv.range(this.prefix);
    return new Map(res.kvs.map((kv) => [kv.key.slice(this.prefix.length), decoder.decode(kv.value)]));
  }

  private async claim(ip: string, owner: string): Promise<boolean> {
    return (await this.kv.create(this.prefix + ip, encoder.encode(owner))).succeeded;
  }

  /**
   * Makes the claims match the Services: claims IPs that Services hold without a claim (a restored store) and
   * releases claims no Service holds (a create that failed after allocating) once two passes in a row saw them
   * unheld, so a create between its claim and its write is never robbed.
   */
  async repair(services: Array<{ owner: string; ip: string }>): Promise<{ claimed: number; released: number }> {
    const held = new Map(services.filter((s) => this.range.offsetOf(s.ip) !== undefined).map((s) => [s.ip, s.owner]));
    const claims = await this.allocated();
    let claimed = 0;
    let released = 0;
    for (const [ip, owner] of held) if (!claims.has(ip) && (await this.claim(ip, owner))) claimed++;
    const unheld = new Set([...claims.keys()].filter((ip) => !held.has(ip)));
    for (const ip of unheld) {
      if (this.suspects.has(ip)) {
        await this.release(ip);
        released++;
      }
    }
    this.suspects = new Set([...unheld].filter((ip) => !this.suspects.has(ip)));
    return { claimed, released };
  }
}
