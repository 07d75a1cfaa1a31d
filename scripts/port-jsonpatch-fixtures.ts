/**
 * Writes test/patch/fixtures/json-patch-cases.json from the test tables of gopkg.in/evanphx/json-patch.v4 (the
 * library kube-apiserver applies JSON patches with; a git mirror, default /work/.mirror/evanphx+json-patch/repo at
 * v4.12.0): documents, patches and what must come out (a document, a failure, or a test verdict).
 *
 *   npx tsx scripts/port-jsonpatch-fixtures.ts [mirror-git-dir] [tag]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const repo = process.argv[2] ?? '/work/.mirror/evanphx+json-patch/repo';
const tag = process.argv[3] ?? 'v4.12.0';
const src = execFileSync('git', ['-C', repo, 'show', `${tag}:patch_test.go`], { encoding: 'utf8' });

/** The entries of `var <name> = []<T>{ ... }`, each as its literal values in order. */
function table(name: string): unknown[][] {
  const start = src.indexOf(`var ${name} = []`);
  if (start < 0) throw new Error(`no ${name}`);
  const body = src.slice(src.indexOf('{', start) + 1, src.indexOf('\n}\n', start));
  return body
    .split(/\n\t\{/)
    .slice(1)
    .map((entry) => {
      const values: unknown[] = [];
      const token = /fmt\.Sprintf\(`([^`]*)`((?:,\s*repeatedA\(\d+\))*)\)|`([^`]*)`|\b(true|false)\b|"((?:[^"\\]|\\.)*)"/g;
      for (const m of entry.replace(/\/\/[^\n]*/g, '').matchAll(token)) {
        if (m[1] !== undefined) {
          const args = [...m[2].matchAll(/repeatedA\((\d+)\)/g)].map((a) => JSON.stringify('A'.repeat(Number(a[1]))));
          values.push(m[1].replace(/%q/g, () => args.shift()!));
        } else if (m[3] !== undefined) values.push(m[3]);
        else if (m[4] !== undefined) values.push(m[4] === 'true');
        else values.push(JSON.parse(`"${m[5]}"`));
      }
      return values;
    });
}

const out = {
  source: `gopkg.in/evanphx/json-patch.v4 ${tag} patch_test.go (copy limit 100 bytes in these cases)`,
  // The library compares results as JSON objects: its cases on top-level arrays check nothing and are left out.
  cases: table('Cases')
    .filter(([doc]) => (doc as string).trim().startsWith('{'))
    .map(([doc, patch, result]) => ({ doc, patch, result })),
  mutations: table('MutationTestCases').map(([doc, patch]) => ({ doc, patch })),
  bad: table('BadCases').map(([doc, patch]) => ({ doc, patch })),
  tests: table('TestCases').map(([doc, patch, result]) => ({ doc, patch, passes: result })),
};
writeFileSync('test/patch/fixtures/json-patch-cases.json', `${JSON.stringify(out, null, 1)}\n`);
console.log(`cases ${out.cases.length}, mutations ${out.mutations.length}, bad ${out.bad.length}, tests ${out.tests.length}`);
