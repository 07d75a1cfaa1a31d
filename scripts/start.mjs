#!/usr/bin/env node
/**
 * `npm start -- [flags]`: runs the built server (dist/, see build.mjs) in this process. The build is redone
 * first when any source is newer than it (after `npm run generate` or an edit), so `npm start` always serves
 * what apis/ and runtime/ say.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer, entry, root } from './build.mjs';

function newestSource() {
  let newest = statSync(join(root, 'package-lock.json')).mtimeMs;
  for (const dir of ['runtime', 'generated', 'apis']) {
    for (const f of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(f.parentPath ?? f.path, f.name)).mtimeMs);
    }
  }
  return newest;
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newestSource()) {
  console.error('sources changed since the last build: building dist/ first');
  await buildServer();
}
await import(pathToFileURL(entry).href);
