#!/usr/bin/env node
/**
 * `npm run build` (and `npm ci`, through `prepare`): the server compiled once into dist/, as a published package
 * ships it, so `npm start` runs plain JavaScript: no TypeScript compiler in the serving process, a fraction of the
 * start-up time and memory. Packages stay external (node_modules); code loaded only on demand (the etcd client)
 * goes into chunks of its own.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const entry = join(root, 'dist/kube-ts.js');

export async function buildServer(outdir = join(root, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { 'kube-ts': join(root, 'runtime/main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return join(outdir, 'kube-ts.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildServer();
  console.error(`built ${entry} in ${(performance.now() - started).toFixed(0)} ms`);
}
