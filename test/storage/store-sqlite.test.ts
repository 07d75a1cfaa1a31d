/** The ObjectStore conformance suite on a real SQLite file, directly and through the watch cache; SQLite faults. */
import { withOverrides } from './kv-wrap.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { ObjectStore } from '../../runtime/storage/store.ts';
import { Cacher } from '../../runtime/storage/cacher/cacher.ts';
import { tempDbPath } from '../support/sqlite.ts';
import { RESOURCE_PREFIX, keyOf, runStoreConformance, widget } from './store.conformance.ts';
import { runCacherCases } from './cacher.cases.ts';
import { widgetJsonCodec, widgetProtobufCodec } from './protobuf-codec.ts';
import { runCompactorCases } from './compactor.cases.ts';

const HISTORY = 30;

async function openSqlite() {
  const tmp = await tempDbPath();
  const kv = await SqliteKV.open(tmp.path, { progressIntervalMs: 1000 });
  return { kv, cleanup: async () => { await kv.close(); await tmp.cleanup(); } };
}

runStoreConformance('sqlite', async () => {
  const { kv, cleanup } = await openSqlite();
  return { store: new ObjectStore(kv, { bookmarkIntervalMs: 300, codec: widgetJsonCodec() }), kv, cleanup };
}, { history: HISTORY });

runStoreConformance('sqlite + watch cache', async () => {
  const { kv, cleanup } = await openSqlite();
  // As the server opens the embedded store: a raw field's text is kept with its spacing (codec.ts).
  const cacher = new Cacher(new ObjectStore(kv, { codec: widgetJsonCodec(false) }), RESOURCE_PREFIX, { capacity: HISTORY, bookmarkIntervalMs: 300, freshnessTimeoutMs: 2000 });
  return { store: cacher, kv, cleanup: async () => { cacher.stop(); await cleanup(); } };
}, { history: HISTORY, compactRawJson: false });

// With --storage-media-type application/vnd.kubernetes.protobuf the embedded store holds protobuf too.
runStoreConformance('sqlite + watch cache, protobuf', async () => {
  const { kv, cleanup } = await openSqlite();
  const cacher = new Cacher(new ObjectStore(kv, { codec: widgetProtobufCodec() }), RESOURCE_PREFIX, { capacity: HISTORY, bookmarkIntervalMs: 300, freshnessTimeoutMs: 2000 });
  return { store: cacher, kv, cleanup: async () => { cacher.stop(); await cleanup(); } };
}, { history: HISTORY, mediaType: 'protobuf' });

runCacherCases('sqlite', async () => {
  const { kv, cleanup } = await openSqlite();
  return { kv, cleanup };
});

runCompactorCases('sqlite', openSqlite);

describe('ObjectStore on SQLite: crash safety', () => {
  it('every acknowledged create survives SIGKILL of the writing process', async () => {
    const tmp = await tempDbPath();
    try {
      const mod = (p: string) => JSON.stringify(fileURLToPath(new URL(p, import.meta.url)));
      const script = `
        import { SqliteKV } from ${mod('../../runtime/storage/sqlite/kv.ts')};
        import { ObjectStore } from ${mod('../../runtime/storage/store.ts')};
        const store = new ObjectStore(await SqliteKV.open(${JSON.stringify(tmp.path)}));
        const one = async (w) => {
          for (let i = 0; ; i++) {
            const name = 'w' + w + '-' + i;
            await store.create('/registry/widgets/crash/' + name, { metadata: { name, namespace: 'crash' }, spec: { i } });
            process.stdout.write(name + '\\n');
          }
        };
        await Promise.all([0, 1, 2, 3].map(one));`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acked: string[] = [];
      let buf = '';
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', () => resolve());
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          acked.push(...lines.filter(Boolean));
          if (acked.length >= 300 && child.exitCode === null) child.kill('SIGKILL');
        });
      });
      assert.ok(acked.length >= 300, `child acknowledged ${acked.length}`);
      const kv = await SqliteKV.open(tmp.path);
      const store = new ObjectStore(kv);
      const stored = new Set((await store.list('/registry/widgets/crash/')).items.map((o) => o.metadata.name));
      const missing = acked.filter((n) => !stored.has(n));
      assert.deepEqual(missing, [], 'every acknowledged write is present');
      assert.equal((await store.get(keyOf('crash', acked[0]))).metadata.name, acked[0]);
      await kv.close();
    } finally {
      await tmp.cleanup();
    }
  });

  it('a delete whose previous value is unknown still reaches watchers as DELETED', async () => {
    const { kv, cleanup } = await openSqlite();
    try {
      // The real backend, with prevKv stripped from its events (as after a compaction race in etcd).
      const stripped = withOverrides<SqliteKV>(kv, {
        watch: (prefix, after, h) => kv.watch(prefix, after, { ...h, onEvents: (evs) => h.onEvents(evs.map((e) => ({ ...e, prevKv: undefined }))) }),
      });
      const quiet = { warn: () => {}, error: () => {} };
      const store = new ObjectStore(stripped, { log: quiet });
      const created = await store.create(keyOf('ns1', 'gone'), widget('ns1', 'gone'));
      const events: string[] = [];
      store.watch('/registry/widgets/', { resourceVersion: created.metadata.resourceVersion }, {
        onEvent: (e) => events.push(`${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`),
        onError: (e) => assert.fail(e),
      });
      await store.delete(keyOf('ns1', 'gone'));
      const deadline = Date.now() + 10_000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(events, ['DELETED ns1/gone']);
    } finally {
      await cleanup();
    }
  });
});
