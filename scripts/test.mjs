#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (Node 20 has no glob support in --test).
// Extra arguments narrow the run: `node scripts/test.mjs storage` runs only files whose path contains "storage".
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Every temporary file and dir the tests and their servers make goes under one dir of this run, removed at the end,
// so data dirs, kubectl caches and key files of killed or failed tests never pile up in /tmp.
const runTmp = mkdtempSync(join(tmpdir(), 'kube-ts-tests-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, TMPDIR: runTmp } },
);
rmSync(runTmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
