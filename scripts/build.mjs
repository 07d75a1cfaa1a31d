#!/usr/bin/env node
/**
 * `npm run build` (and `npm ci`, through `prepare`): the server compiled once into dist/, as a published package
 * ships it, so `npm start` runs plain JavaScript: no TypeScript compiler in the serving process, a fraction of the
 * start-up time and memory. Plain JavaScript packages are bundled with it, the others stay in node_modules. One CommonJS
 * script rather than an ES module: Node 20 can start a script from V8's code cache (see start.mjs), not a module,
 * and compiling the bundle was a quarter of the time to ready.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entry, root } from './dist.mjs';

export { entry, root };

export async function buildServer(outdir = join(root, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'runtime/main.ts')],
    outfile: join(outdir, 'kube-ts.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Packages of many small files are bundled: Node 20 loads each file of an external package on its own (hundreds
    // of reads and compiles at start-up, outside the code cache). Native, worker-based and build-time packages, and
    // those that read files of their own at run time, stay out, required from node_modules as they are.
    external: external(),
    sourcemap: 'linked',
    // Whitespace and comments out, every character ASCII: V8 keeps the script's text for lazy compilation, and a
    // single non-Latin-1 character (a comment's arrow) would make it a two-byte string twice the file's size.
    minifyWhitespace: true,
    charset: 'ascii',
    logLevel: 'warning',
  });
  return join(outdir, 'kube-ts.cjs');
}

/**
 * Bundled: plain JavaScript the server loads at start (yaml, prom-client, protobufjs, node-forge, ... were 250
 * files and about 100 ms of CPU to ready when required from node_modules). Everything else in package.json's
 * dependencies stays external: better-sqlite3 (native), pino (worker transports), etcd3 (loads its .proto files
 * when --etcd-servers asks for it), and the build-time tools.
 */
const bundled = new Set(['typebox', '@bufbuild/cel', 'jose', 'hono', '@hono/node-server', 'cockatiel', 'yaml', 'prom-client', 'commander', 'protobufjs', 'fast-json-patch', 'tweetnacl', 'node-forge']);

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
