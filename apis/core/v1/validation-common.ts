/**
 * Checks that several core/v1 validators share (pods, nodes, endpoints, limit ranges, volumes): IP addresses, port
 * numbers and approximate quantity values, with upstream's messages (k8s.io/apimachinery/pkg/util/validation).
 */

export const portRangeMsg = 'must be between 1 and 65535, inclusive';
export const ipMsg = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validPort(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
}

export function isIPv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const last = groups[groups.length - 1];
  const v4tail = last?.includes('.') ? (isIPv4(last) ? 2 : -100) : 0;
  const hex = groups.filter((g) => !g.includes('.'));
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + v4tail;
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || bits === undefined || !/^\d+$/.test(bits)) return false;
  return isIPv4(ip) ? Number(bits) <= 32 : isIPv6(ip) && Number(bits) <= 128;
}

const suffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Approximate numeric value of a quantity, for ordering comparisons (NaN when unparsable). */
export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(String(q));
  if (!m) return NaN;
  const suffix = m[2] ?? '';
  return Number(m[1]) * (suffix in suffixes ? suffixes[suffix] : 10 ** Number(suffix.slice(1)));
}
