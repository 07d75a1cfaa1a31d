/**
 * `npm run generate`: writes generated/ from apis/, rewriting only files whose content changed and removing
 * files no longer produced. `npm run verify-generated` (`--verify`): fails, listing the differences, when
 * generated/ is not exactly what the generator would write.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.ts';

const root = process.env.KUBE_TS_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'generated');
const verify = process.argv.includes('--verify');

function existingFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? existingFiles(path) : [relative(outDir, path)];
  });
}

const started = performance.now();
const result = generate(root);
if (!result.ok) {
  for (const e of result.errors) console.error(e.message);
  console.error(`\n${result.errors.length} error(s) in apis/; nothing was written.`);
  process.exit(1);
}

const wanted = new Map(result.files.map((f) => [f.path, f.content]));
const stale = existingFiles(outDir).filter((p) => !wanted.has(p));
const changed = [...wanted].filter(([path, content]) => {
  const full = join(outDir, path);
  return !existsSync(full) || readFileSync(full, 'utf8') !== content;
});

if (verify) {
  if (changed.length || stale.length) {
    for (const [path] of changed) console.error(`generated/${path} is out of date`);
    for (const path of stale) console.error(`generated/${path} is no longer generated`);
    console.error('\ngenerated/ is stale: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log(`generated/ is up to date (${wanted.size} files).`);
} else {
  for (const [path, content] of changed) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  for (const path of stale) rmSync(join(outDir, path));
  const ms = Math.round(performance.now() - started);
  console.log(`generated/: ${changed.length} written, ${stale.length} removed, ${wanted.size - changed.length} unchanged (${ms} ms).`);
}
