/**
 * The address the `kubernetes` Service's Endpoints name for this server when --advertise-address is not given, as
 * kube-apiserver v1.32 picks it (ServerRunOptions.DefaultAdvertiseAddress -> apimachinery's ResolveBindAddress):
 * - a --bind-address that is neither unspecified (0.0.0.0, ::) nor loopback is the answer;
 * - otherwise the host's address: when /proc/net/route exists, the first global unicast address of the interface
 *   that holds a default route (/proc/net/route, then /proc/net/ipv6_route; for each route whose interface has
 *   none, a global address on an up loopback interface), the bind address's family first (IPv4 unless it is IPv6);
 *   without that file, the first global unicast address of an up interface that is neither loopback nor
 *   point-to-point.
 *
 * Where upstream would refuse to start (no default route, or no global address on its interface: a container
 * with loopback only), kube-ts starts anyway on a loopback address, with a warning that says why: `npm start` must
 * work on any machine. Endpoints validation refuses loopback addresses, so the `kubernetes` Endpoints are then not
 * written (the reconciler logs it; see runtime/controlplane/kubernetes-endpoints.ts).
 *
 * The choice is a pure function of the host's network (readHostNetwork), so that tests can fabricate one.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { ipFamily, isGlobalUnicastIP, isLoopbackIP, isUnspecifiedIP } from '../../apis/core/v1/ip-address.ts';

export const ipv4RouteFile = '/proc/net/route';
export const ipv6RouteFile = '/proc/net/ipv6_route';

/** An interface that is up, with its addresses in the order the kernel lists them. */
export interface HostInterface {
  name: string;
  loopback: boolean;
  pointToPoint: boolean;
  addresses: string[];
}

export interface HostNetwork {
  /** The text of /proc/net/route; undefined when the file does not exist (not Linux). */
  ipv4Routes?: string;
  /** The text of /proc/net/ipv6_route; undefined when it cannot be read (IPv6 off). */
  ipv6Routes?: string;
  /** The interfaces that are up; one that is down is absent. */
  interfaces: HostInterface[];
}

interface DefaultRoute {
  iface: string;
  family: 4 | 6;
}

/** The address, and why it is loopback when upstream would have refused to start. */
export interface AdvertiseChoice {
  address: string;
  warning?: string;
}

/** The default routes of both route files: IPv4 destination 0.0.0.0, IPv6 destination :: through a gateway. */
export function defaultRoutes(net: Pick<HostNetwork, 'ipv4Routes' | 'ipv6Routes'>): DefaultRoute[] {
  const routes: DefaultRoute[] = [];
  for (const line of (net.ipv4Routes ?? '').split('\n')) {
    // Iface Destination Gateway ..., addresses in hex; the header line starts with "Iface".
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[0] === 'Iface' || !/^[0-9a-fA-F]{8}$/.test(f[1])) continue;
    if (/^0{8}$/.test(f[1])) routes.push({ iface: f[0], family: 4 });
  }
  for (const line of (net.ipv6Routes ?? '').split('\n')) {
    // destination, its prefix length, source, its prefix length, next hop, metric, refcnt, use, flags, interface.
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^[0-9a-fA-F]{32}$/.test(f[0])) continue;
    // A default route without a next hop is the kernel's unreachable route on lo, not a way out.
    if (/^0{32}$/.test(f[0]) && !/^0{32}$/.test(f[4])) routes.push({ iface: f[9], family: 6 });
  }
  return routes;
}

const globalAddressOf = (iface: HostInterface | undefined, family: 4 | 6): string | undefined =>
  iface?.addresses.find((a) => ipFamily(a) === family && isGlobalUnicastIP(a));

/**
 * Upstream's chooseHostInterface: the host's address in the order of `families`, or the reason there is none
 * (upstream's own words, which its start-up error quotes).
 */
export function chooseHostAddress(net: HostNetwork, families: Array<4 | 6>): { address: string } | { error: string } {
  if (net.ipv4Routes === undefined) {
    if (net.interfaces.length === 0) return { error: 'no interfaces found on host.' };
    for (const family of families) {
      for (const iface of net.interfaces) {
        if (iface.loopback || iface.pointToPoint) continue;
        const address = globalAddressOf(iface, family);
        if (address) return { address };
      }
    }
    return { error: 'no acceptable interface with global unicast address found on host' };
  }
  const routes = defaultRoutes(net);
  if (routes.length === 0) return { error: `no default routes found in "${ipv4RouteFile}" or "${ipv6RouteFile}"` };
  for (const family of families) {
    for (const route of routes.filter((r) => r.family === family)) {
      const address = globalAddressOf(net.interfaces.find((i) => i.name === route.iface), family);
      if (address) return { address };
      // Hosts whose links carry only link-local addresses (RFC 5549 routing) keep their global address on lo.
      const onLoopback = net.interfaces.filter((i) => i.loopback).map((i) => globalAddressOf(i, family)).find(Boolean);
      if (onLoopback) return { address: onLoopback };
    }
  }
  return { error: 'unable to select an IP from default routes.' };
}

/**
 * The advertised address: --advertise-address when given and not unspecified, else --bind-address when it is a
 * specific non-loopback address, else the host's address; where there is none, loopback with a warning.
 */
export function chooseAdvertiseAddress(opts: { advertiseAddress?: string; bindAddress: string }, net: () => HostNetwork): AdvertiseChoice {
  const { advertiseAddress, bindAddress } = opts;
  if (advertiseAddress !== undefined && !isUnspecifiedIP(advertiseAddress)) return { address: advertiseAddress };
  if (!isUnspecifiedIP(bindAddress) && !isLoopbackIP(bindAddress)) return { address: bindAddress };
  const v6 = ipFamily(bindAddress) === 6;
  const chosen = chooseHostAddress(net(), v6 ? [6, 4] : [4, 6]);
  if ('address' in chosen) return chosen;
  const fallback = isLoopbackIP(bindAddress) ? bindAddress : v6 ? '::1' : '127.0.0.1';
  return {
    address: fallback,
    warning:
      `no address to advertise found (${chosen.error}): using ${fallback}, which Endpoints may not name, so the kubernetes ` +
      'Service gets no Endpoints; kube-apiserver would refuse to start here. Set --advertise-address to an address other ' +
      'members of the cluster reach this server at.',
  };
}

/** Interface flags from /sys/class/net/<name>/flags (IFF_POINTOPOINT = 0x10); 0 when they cannot be read. */
function interfaceFlags(name: string): number {
  try {
    return parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8').trim(), 16) || 0;
  } catch {
    return 0;
  }
}

const readOptional = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** This host's routes and up interfaces (Node lists only interfaces that are up and running). */
export function readHostNetwork(): HostNetwork {
  const interfaces = Object.entries(networkInterfaces()).map(([name, addrs]) => ({
    name,
    loopback: (addrs ?? []).some((a) => a.internal),
    pointToPoint: (interfaceFlags(name) & 0x10) !== 0,
    addresses: (addrs ?? []).map((a) => a.address),
  }));
  return { ipv4Routes: readOptional(ipv4RouteFile), ipv6Routes: readOptional(ipv6RouteFile), interfaces };
}
