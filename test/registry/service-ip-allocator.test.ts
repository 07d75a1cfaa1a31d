/**
 * The Service IP allocator over a real SQLite store: the range, unique claims under concurrency, requested IPs,
 * and repair (claims without a Service are released only when two passes in a row see them unheld).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IPRangeError, IPv4Range, ServiceIPAllocator } from '../../runtime/registry/core/service-ip-allocator.ts';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { tempDbPath, type TempDb } from '../support/sqlite.ts';

describe('service IP allocator', () => {
  let db: TempDb;
  let kv: SqliteKV;
  before(async () => {
    db = await tempDbPath('ipalloc.db');
    kv = await SqliteKV.open(db.path);
  });
  after(async () => {
    await kv.close();
    await db.cleanup();
  });

  it('knows the usable addresses of a CIDR', () => {
    const r = new IPv4Range('10.96.0.0/28');
    assert.equal(r.size, 14);
    assert.equal(r.ip(0), '10.96.0.1');
    assert.equal(r.ip(13), '10.96.0.14');
    assert.equal(r.offsetOf('10.96.0.15'), undefined, 'broadcast');
    assert.equal(r.offsetOf('10.96.0.0'), undefined, 'network');
    assert.throws(() => new IPv4Range('10.0.0.0/31'), IPRangeError);
    assert.throws(() => new IPv4Range('300.0.0.0/24'), IPRangeError);
  });

  it('hands out every address once, even to concurrent callers, then reports the range full', async () => {
    const alloc = new ServiceIPAllocator(kv, '/a', '10.1.0.0/28');
    const ips = await Promise.all(Array.from({ length: 13 }, (_, i) => alloc.allocate(`ns/s${i}`)));
    assert.equal(new Set(ips).size, 13);
    assert.ok(!ips.includes(alloc.apiServerIP), 'the first address is kept for the kubernetes Service');
    await assert.rejects(alloc.allocate('ns/late'), /range is full/);
    await alloc.release(ips[0]);
    assert.equal(await alloc.allocate('ns/late'), ips[0]);
  });

  it('claims a requested address once and refuses one outside the range', async () => {
    const alloc = new ServiceIPAllocator(kv, '/b', '10.2.0.0/24');
    assert.equal(await alloc.allocate('ns/a', '10.2.0.9'), '10.2.0.9');
    await assert.rejects(alloc.allocate('ns/b', '10.2.0.9'), /already allocated/);
    await assert.rejects(alloc.allocate('ns/b', '10.3.0.9'), /not in the valid range/);
  });

  it('repair claims what Services hold and releases leaked claims on the second pass', async () => {
    const alloc = new ServiceIPAllocator(kv, '/c', '10.4.0.0/24');
    const leaked = await alloc.allocate('ns/failed-create');
    const held = [{ ip: '10.4.0.20', owner: 'ns/restored' }];
    assert.deepEqual(await alloc.repair(held), { claimed: 1, released: 0 });
    assert.ok((await alloc.allocated()).has(leaked), 'a claim seen unheld once may be a create in flight');
    assert.deepEqual(await alloc.repair(held), { claimed: 0, released: 1 });
    assert.deepEqual([...(await alloc.allocated()).keys()], ['10.4.0.20']);
  });
});
