/**
 * The Service allocators over a real SQLite store: the stored RangeAllocation (upstream's bitmap layout), unique
 * claims under concurrency (also between two allocators on one store, as two API servers), requested values, the
 * node port range flag's notations, and repair (claims Services hold, releases leaks on the third pass).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AllocationBitmap } from '../../runtime/registry/core/allocator/bitmap.ts';
import { AllocationError, IPRangeError, IPv4Range, ServiceIPAllocator } from '../../runtime/registry/core/service-ip-allocator.ts';
import { parsePortRange, ServiceNodePortAllocator } from '../../runtime/registry/core/service-node-port-allocator.ts';
import { RangeRepair } from '../../runtime/controlplane/service-repair.ts';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { tempDbPath, type TempDb } from '../support/sqlite.ts';

const svc = (name: string, nodePorts: number[]) => ({ metadata: { namespace: 'ns', name }, spec: { type: 'NodePort', ports: nodePorts.map((nodePort, i) => ({ port: 80 + i, nodePort })) } });

describe('service allocators', () => {
  let db: TempDb;
  let kv: SqliteKV;
  before(async () => {
    db = await tempDbPath('alloc.db');
    kv = await SqliteKV.open(db.path);
  });
  after(async () => {
    await kv.close();
    await db.cleanup();
  });

  it('keeps a bitmap as Go big.Int bytes: big-endian, bit i for offset i, no leading zeros', () => {
    const b = new AllocationBitmap(20);
    assert.deepEqual([...b.snapshot()], []);
    b.allocate(0);
    b.allocate(9);
    assert.deepEqual([...b.snapshot()], [0x02, 0x01]);
    const c = new AllocationBitmap(20);
    c.restore(new Uint8Array([0x02, 0x01]));
    assert.ok(c.has(0) && c.has(9) && !c.has(1));
    assert.equal(c.free, 18);
  });

  it('knows the usable addresses of a CIDR', () => {
    const r = new IPv4Range('10.96.0.0/28');
    assert.equal(r.size, 14);
    assert.equal(r.ip(0), '10.96.0.1');
    assert.equal(r.offsetOf('10.96.0.15'), undefined, 'broadcast');
    assert.equal(r.offsetOf('10.96.0.0'), undefined, 'network');
    assert.equal(new IPv4Range('10.0.0.0/24').dynamicOffset, 16);
    assert.throws(() => new IPv4Range('10.0.0.0/31'), IPRangeError);
  });

  it('parses --service-node-port-range as upstream, with its errors', () => {
    assert.deepEqual(parsePortRange('30000-32767'), { base: 30000, size: 2768 });
    assert.deepEqual(parsePortRange('30000+10'), { base: 30000, size: 11 });
    assert.deepEqual(parsePortRange('31000'), { base: 31000, size: 1 });
    assert.throws(() => parsePortRange('abc'), /^Error: strconv.Atoi: parsing "abc": invalid syntax$/);
    // Past int64 Atoi refuses the number itself (apimachinery's ParsePortRange returns its error as is).
    assert.throws(() => parsePortRange('30000-99999999999999999999'), /^Error: strconv.Atoi: parsing "99999999999999999999": value out of range$/);
    assert.throws(() => parsePortRange('30000-70000'), /the port range cannot be greater than 65535: 30000-70000/);
    assert.throws(() => parsePortRange('32000-31000'), /end port cannot be less than start port: 32000-31000/);
  });

  it('refuses to allocate before the state was first written, as upstream', async () => {
    const ports = new ServiceNodePortAllocator(kv, '/none', { base: 30000, size: 10 });
    await assert.rejects(ports.allocateNext(), /cannot allocate resources of type servicenodeportallocations at this time/);
  });

  it('hands out every node port once to concurrent callers on two allocators sharing a store', async () => {
    const a = new ServiceNodePortAllocator(kv, '/p', { base: 30000, size: 20 });
    const b = new ServiceNodePortAllocator(kv, '/p', { base: 30000, size: 20 });
    const repair = new RangeRepair('node port', a.ranges, () => [], () => undefined);
    await repair.pass(async () => []);
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).allocateNext()));
    assert.equal(new Set(got).size, 20);
    assert.ok(got.every((p) => p >= 30000 && p < 30020));
    await assert.rejects(a.allocateNext(), (e) => e instanceof AllocationError && e.message === 'range is full');
    await b.release(got[3]);
    assert.equal(await a.allocateNext(), got[3]);
    await assert.rejects(a.allocate(got[0]), /^Error: provided port is already allocated$/);
    await assert.rejects(a.allocate(31000), /^Error: provided port is not in the valid range. The range of valid ports is 30000-30019$/);
    const stored = JSON.parse(new TextDecoder().decode((await kv.get('/p/ranges/servicenodeports')).kv!.value));
    assert.deepEqual({ kind: stored.kind, apiVersion: stored.apiVersion, range: stored.range, data: stored.data }, { kind: 'RangeAllocation', apiVersion: 'v1', range: '30000-30019', data: Buffer.from([0x0f, 0xff, 0xff]).toString('base64') });
  });

  it('claims requested IPs once and refuses ones outside the range', async () => {
    const ips = new ServiceIPAllocator(kv, '/i', '10.2.0.0/24');
    await new RangeRepair('cluster IP', ips.ranges, () => [], () => undefined).pass(async () => []);
    await ips.allocate('10.2.0.9');
    await assert.rejects(ips.allocate('10.2.0.9'), /^Error: provided IP is already allocated$/);
    await assert.rejects(ips.check('10.2.0.9'), /already allocated/);
    await assert.rejects(ips.allocate('10.3.0.9'), /^Error: the provided IP \(10.3.0.9\) is not in the valid range. The range of valid IPs is 10.2.0.0\/24$/);
    const next = await ips.allocateNext();
    assert.ok(ips.range.offsetOf(next)! >= 16, `dynamic IPs come from above the static band first, got ${next}`);
  });

  it('repair claims what Services hold and releases a leaked port on the third pass', async () => {
    const ports = new ServiceNodePortAllocator(kv, '/r', { base: 30000, size: 100 });
    const repair = new RangeRepair<number>('node port', ports.ranges, (s) => s.spec.ports.map((p: { nodePort: number }) => p.nodePort), (p) => (ports.contains(p) ? p - 30000 : undefined));
    const services = [svc('restored', [30050])];
    assert.deepEqual(await repair.pass(async () => services), { claimed: 1, released: 0 });
    assert.ok(await ports.has(30050), 'a port a Service holds is claimed');
    await ports.allocate(30007); // a create that failed after claiming
    assert.deepEqual(await repair.pass(async () => services), { claimed: 0, released: 0 });
    assert.deepEqual(await repair.pass(async () => services), { claimed: 0, released: 0 });
    assert.ok(await ports.has(30007), 'kept while a create may still be on its way');
    assert.deepEqual(await repair.pass(async () => services), { claimed: 0, released: 1 });
    assert.ok(!(await ports.has(30007)));
    assert.ok(await ports.has(30050));
  });
});
