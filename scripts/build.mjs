#!/usr/bin/env node
/**
 * `npm run build` (and `npm ci`, through `prepare`): the server compiled once into dist/, as a published package
 * ships it, so `npm start` runs plain JavaScript: no TypeScript compiler in the serving process, a fraction of the
 * start-up time and memory. ES module packages are bundled with it, the others stay in node_modules; code loaded
 * only on demand (the etcd client) goes into chunks of its own.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
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
    // ES module packages of many small files are bundled (Node 20 loads each file of an external package on its
    // own: hundreds of reads and compiles at start-up, a third of the time to ready); native, worker-based and
    // CommonJS packages stay out (an ES module bundle cannot require Node's built-ins for them).
    external: external(),
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return join(outdir, 'kube-ts.js');
}

/** Bundled: ES module packages. Everything else in package.json's dependencies stays external. */
const bundled = new Set(['typebox', '@bufbuild/cel', 'jose', 'hono', '@hono/node-server', 'cockatiel']);

function external() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !bundled.has(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildServer();
  console.error(`built ${entry} in ${(performance.now() - started).toFixed(0)} ms`);
}
