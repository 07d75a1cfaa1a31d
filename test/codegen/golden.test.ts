/**
 * Golden files: the generator's output for the fixture apis/ (test/codegen/fixtures), which uses every tag and
 * hook, compared file by file with test/codegen/golden. After an intended change to the generator, refresh them
 * with `UPDATE_GOLDEN=1 node scripts/test.mjs codegen/golden`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { generate } from '../../codegen/generate.ts';
import { apisTree, repoRoot } from './support.ts';

const goldenDir = join(repoRoot, 'test/codegen/golden');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listFiles(join(dir, n)) : [join(dir, n)]));
}

describe('generator golden files', () => {
  const tree = apisTree({}, { fixture: true });
  after(() => tree.cleanup());
  const result = generate(tree.root);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  // Only the fixture's groups, their CRD manifests and the index: meta/v1 output follows apis/meta, which evolves on its own.
  const fixtureDirs = ['example.dev/', 'shop.example.dev/', 'crds/'];
  const files = result.files.filter((f) => fixtureDirs.some((d) => f.path.startsWith(d)) || f.path === 'index.ts');

  if (process.env.UPDATE_GOLDEN) {
    rmSync(goldenDir, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(goldenDir, f.path)), { recursive: true });
      writeFileSync(join(goldenDir, f.path), f.content);
    }
  }

  it('produces exactly the golden set of files', () => {
    const golden = listFiles(goldenDir).map((p) => relative(goldenDir, p)).sort();
    assert.deepEqual(files.map((f) => f.path).sort(), golden);
  });

  for (const f of files) {
    it(`matches golden ${f.path}`, () => {
      assert.equal(f.content, readFileSync(join(goldenDir, f.path), 'utf8'));
    });
  }

  it('writes conversion for the non-storage version only, with the hook wired in', () => {
    assert.ok(files.some((f) => f.path === 'example.dev/v1beta1/conversion.ts'));
    assert.ok(!files.some((f) => f.path === 'example.dev/v1/conversion.ts'));
    const conversion = files.find((f) => f.path === 'example.dev/v1beta1/conversion.ts')!.content;
    assert.match(conversion, /hooks\.convert_WidgetSpec_to_hub\(src, dst, autoToHub_WidgetSpec\)/);
  });

  it('is deterministic', () => {
    const again = generate(tree.root);
    assert.ok(again.ok);
    assert.deepEqual(again.files, result.files);
  });
});
