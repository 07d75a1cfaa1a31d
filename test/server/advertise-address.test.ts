// The advertised address when --advertise-address is not given, chosen as kube-apiserver v1.32 does
// (apimachinery's ResolveBindAddress / ChooseHostInterface), against fabricated route tables and interfaces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseAdvertiseAddress, chooseHostAddress, defaultRoutes, type HostInterface, type HostNetwork } from '../../runtime/server/advertise-address.ts';
import { parseOptions } from '../../runtime/server/options.ts';

const v4Header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';
/** A /proc/net/route line: destination and gateway as the kernel writes them (little-endian hex). */
const v4Route = (iface: string, dest: string, gw: string) => `${iface}\t${dest}\t${gw}\t0003\t0\t0\t0\t00000000\t0\t0\t0\n`;
const zero32 = '0'.repeat(32);
/** A /proc/net/ipv6_route line. */
const v6Route = (dest: string, nextHop: string, iface: string) => `${dest} 00 ${zero32} 00 ${nextHop} 00000400 00000003 00000000 00000003 ${iface}\n`;

const lo: HostInterface = { name: 'lo', loopback: true, pointToPoint: false, addresses: ['127.0.0.1', '::1'] };
const eth0: HostInterface = { name: 'eth0', loopback: false, pointToPoint: false, addresses: ['fe80::fc:ff:fe00:1', '192.0.2.2', 'fd00::2'] };
const eth1: HostInterface = { name: 'eth1', loopback: false, pointToPoint: false, addresses: ['198.51.100.7'] };

/** This machine's tables: an IPv4 default route via eth0, an IPv6 one too, the kernel's unreachable route on lo. */
const host: HostNetwork = {
  ipv4Routes: v4Header + v4Route('eth0', '00000000', '010200C0') + v4Route('eth0', '000200C0', '00000000'),
  ipv6Routes: v6Route('fd000000000000000000000000000000', zero32, 'eth0') + v6Route(zero32, 'fd000000000000000000000000000001', 'eth0') + v6Route(zero32, zero32, 'lo'),
  interfaces: [lo, eth0],
};

describe('the advertised address', () => {
  it('reads default routes only: 0.0.0.0 in /proc/net/route, :: through a next hop in /proc/net/ipv6_route', () => {
    assert.deepEqual(defaultRoutes(host), [
      { iface: 'eth0', family: 4 },
      { iface: 'eth0', family: 6 },
    ]);
  });

  it('is the first global IPv4 address of the default route\'s interface when bound to loopback or all interfaces', () => {
    for (const bindAddress of ['127.0.0.1', '0.0.0.0', '127.0.0.9']) assert.deepEqual(chooseAdvertiseAddress({ bindAddress }, () => host), { address: '192.0.2.2' });
  });

  it('prefers IPv6 when bound to an IPv6 address, and skips link-local addresses', () => {
    assert.deepEqual(chooseAdvertiseAddress({ bindAddress: '::' }, () => host), { address: 'fd00::2' });
    assert.deepEqual(chooseAdvertiseAddress({ bindAddress: '::1' }, () => host), { address: 'fd00::2' });
  });

  it('is --advertise-address when given (loopback too: upstream does not refuse it), and the host\'s when that is unspecified', () => {
    const never = (): HostNetwork => assert.fail('the host is not read');
    assert.deepEqual(chooseAdvertiseAddress({ advertiseAddress: '10.1.2.3', bindAddress: '127.0.0.1' }, never), { address: '10.1.2.3' });
    assert.deepEqual(chooseAdvertiseAddress({ advertiseAddress: '127.0.0.1', bindAddress: '0.0.0.0' }, never), { address: '127.0.0.1' });
    assert.deepEqual(chooseAdvertiseAddress({ advertiseAddress: '0.0.0.0', bindAddress: '127.0.0.1' }, () => host), { address: '192.0.2.2' });
    assert.deepEqual(parseOptions(['--advertise-address', '0.0.0.0']).advertiseAddress, '0.0.0.0');
    assert.throws(() => parseOptions(['--advertise-address', 'nowhere']), /--advertise-address "nowhere" is not an IP address/);
  });

  it('is a specific non-loopback --bind-address itself, without reading the host', () => {
    assert.deepEqual(chooseAdvertiseAddress({ bindAddress: '198.51.100.7' }, () => assert.fail('the host is not read')), { address: '198.51.100.7' });
  });

  it('follows the default route, not the order of interfaces', () => {
    const net: HostNetwork = { ipv4Routes: v4Header + v4Route('eth1', '00000000', '016433C6'), interfaces: [lo, eth0, eth1] };
    assert.deepEqual(chooseHostAddress(net, [4, 6]), { address: '198.51.100.7' });
  });

  it('takes a global address on lo when the route\'s interface has only link-local ones (RFC 5549)', () => {
    const net: HostNetwork = {
      ipv4Routes: v4Header + v4Route('eth0', '00000000', '00000000'),
      interfaces: [{ ...lo, addresses: ['127.0.0.1', '203.0.113.5'] }, { ...eth0, addresses: ['169.254.3.3'] }],
    };
    assert.deepEqual(chooseHostAddress(net, [4, 6]), { address: '203.0.113.5' });
  });

  it('falls back to IPv6 default routes when no IPv4 one gives an address', () => {
    const net: HostNetwork = { ipv4Routes: v4Header, ipv6Routes: host.ipv6Routes, interfaces: [lo, { ...eth0, addresses: ['fd00::2'] }] };
    assert.deepEqual(chooseHostAddress(net, [4, 6]), { address: 'fd00::2' });
  });

  it('without /proc/net/route, takes the first up interface that is neither loopback nor point-to-point', () => {
    const tun: HostInterface = { name: 'tun0', loopback: false, pointToPoint: true, addresses: ['10.8.0.2'] };
    assert.deepEqual(chooseHostAddress({ interfaces: [lo, tun, eth1] }, [4, 6]), { address: '198.51.100.7' });
    assert.deepEqual(chooseHostAddress({ interfaces: [lo, tun] }, [4, 6]), { error: 'no acceptable interface with global unicast address found on host' });
  });

  it('where upstream refuses to start, is loopback with a warning that says why', () => {
    const loOnly: HostNetwork = { ipv4Routes: v4Header, ipv6Routes: v6Route(zero32, zero32, 'lo'), interfaces: [lo] };
    const choice = chooseAdvertiseAddress({ bindAddress: '0.0.0.0' }, () => loOnly);
    assert.equal(choice.address, '127.0.0.1');
    assert.match(choice.warning!, /^no address to advertise found \(no default routes found in "\/proc\/net\/route" or "\/proc\/net\/ipv6_route"\): using 127\.0\.0\.1/);
    assert.equal(chooseAdvertiseAddress({ bindAddress: '127.0.0.5' }, () => loOnly).address, '127.0.0.5');
    assert.equal(chooseAdvertiseAddress({ bindAddress: '::' }, () => loOnly).address, '::1');
    const noAddress: HostNetwork = { ipv4Routes: host.ipv4Routes, interfaces: [lo, { ...eth0, addresses: ['fe80::1'] }] };
    assert.match(chooseAdvertiseAddress({ bindAddress: '127.0.0.1' }, () => noAddress).warning!, /\(unable to select an IP from default routes\.\)/);
  });
});
