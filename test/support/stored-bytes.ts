/**
 * Writes into a stopped server's SQLite store what the API would refuse, for tests of objects stored by older
 * servers: `text`, wherever it is in every stored revision of `key`, becomes `replacement`, byte for byte in place
 * (the same length, so the lengths a protobuf encoding holds stay right).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type TestServer } from './server.ts';

export function rewriteStoredBytes(dataDir: string, key: string, text: string, replacement: string): void {
  assert.equal(Buffer.byteLength(replacement), Buffer.byteLength(text), 'a replacement of the same length');
  const db = new Database(join(dataDir, 'kube-ts.db'));
  try {
    // `latest` has one row per key; `history` one per revision (rev is its key).
    for (const [table, id] of [['latest', 'key'], ['history', 'rev']]) {
      const rows = db.prepare(`SELECT ${id} AS id, value FROM ${table} WHERE key = ?`).all(key) as { id: string | number; value: Buffer }[];
      assert.ok(rows.length, `${key} is stored in ${table}`);
      for (const row of rows) {
        const value = Buffer.from(row.value);
        let at = value.indexOf(text);
        assert.ok(at >= 0, `${key} holds ${text}`);
        for (; at >= 0; at = value.indexOf(text, at + 1)) value.write(replacement, at);
        db.prepare(`UPDATE ${table} SET value = ? WHERE ${id} = ?`).run(value, row.id);
      }
    }
  } finally {
    db.close();
  }
}

/** A store rewrite: in every stored revision of `key`, `text` becomes `replacement` (see rewriteStoredBytes). */
export type StoredBytesRewrite = readonly [key: string, text: string, replacement: string];

/**
 * Stops `server`, rewrites its store, and starts a server again on the same data dir: the objects written before now
 * hold what an older (or newer) server would have stored. The data dir must be the test's own (startServer's
 * `dataDir`), so that stopping keeps it. `args` are the new server's flags.
 */
export async function restartWithStoredBytes(server: TestServer, rewrites: readonly StoredBytesRewrite[], args?: string[]): Promise<TestServer> {
  await server.stop();
  for (const [key, text, replacement] of rewrites) rewriteStoredBytes(server.dataDir, key, text, replacement);
  return startServer({ dataDir: server.dataDir, args });
}
