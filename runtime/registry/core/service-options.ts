/**
 * The Service allocators' flags, as kube-apiserver's: `--service-node-port-range` (default 30000-32767), in
 * upstream's notations (`30000-32767`, `30000+2767`, a single port), refused with upstream's parse errors.
 */
import type { Command } from 'commander';
import { formatPortRange, parsePortRange, type PortRange } from './service-node-port-allocator.ts';

export interface ServiceOptions {
  serviceNodePortRange: PortRange;
}

export const defaultServiceNodePortRange = '30000-32767';

export function addServiceFlags(program: Command): void {
  program.option('--service-node-port-range <range>', 'port range reserved for services with NodePort visibility (e.g. 30000-32767); inclusive at both ends', defaultServiceNodePortRange);
}

export function serviceOptions(o: Record<string, unknown>, errors: string[]): ServiceOptions {
  const raw = String(o.serviceNodePortRange ?? defaultServiceNodePortRange);
  try {
    const range = parsePortRange(raw);
    // An empty value gives no range; upstream falls back to its default then.
    return { serviceNodePortRange: range.size === 0 ? parsePortRange(defaultServiceNodePortRange) : range };
  } catch (e) {
    errors.push(`invalid argument ${JSON.stringify(raw)} for "--service-node-port-range" flag: ${(e as Error).message}`);
    return { serviceNodePortRange: parsePortRange(defaultServiceNodePortRange) };
  }
}

export { formatPortRange };
