/**
 * Temp SQLite database paths for tests: a fresh directory per call, removed (with the WAL/SHM side files) on
 * cleanup. The directory, not just the file, is temporary so reopen/durability tests can reuse the same path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDb {
  dir: string;
  path: string;
  cleanup(): Promise<void>;
}

export async function tempDbPath(name = 'kv.db'): Promise<TempDb> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-ts-sqlite-'));
  return {
    dir,
    path: join(dir, name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
