/**
 * Every OpenAPI document `npm run openapi` publishes (the same documents /openapi/v2 and /openapi/v3/... serve) is
 * valid against the OpenAPI specification itself, checked by an independent validator.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';

const repoRoot = new URL('../../', import.meta.url).pathname;
const outDir = mkdtempSync(join(tmpdir(), 'kube-ts-openapi-'));
const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/openapi.ts', outDir], { cwd: repoRoot, encoding: 'utf8' });

/**
 * The validator resolves every `$ref` key it meets, even a property *named* `$ref` (JSONSchemaProps declares
 * `$ref` and `$schema` fields, as upstream's documents do). Such names are renamed before validating.
 */
function withoutRefNamedProperties(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc.map(withoutRefNamedProperties);
  if (!doc || typeof doc !== 'object') return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, schema]) => [name.startsWith('$') ? `_${name.slice(1)}` : name, withoutRefNamedProperties(schema)]));
    } else out[k] = withoutRefNamedProperties(v);
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describe('published OpenAPI documents', () => {
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('npm run openapi writes v2 and every v3 document', () => {
    assert.equal(run.status, 0, run.stderr);
    const written = files(outDir).map((f) => relative(outDir, f));
    assert.ok(written.includes('v2/swagger.json'));
    assert.ok(written.includes('v3/api/v1.json'));
    assert.ok(written.includes('v3/apis/apps/v1.json'));
  });

  for (const file of run.status === 0 ? files(outDir).sort() : []) {
    it(`${relative(outDir, file)} is valid`, async () => {
      const result = await new Validator().validate(withoutRefNamedProperties(JSON.parse(readFileSync(file, 'utf8'))) as Parameters<Validator['validate']>[0]);
      if (!result.valid) assert.fail(`${relative(outDir, file)} is not valid OpenAPI: ${String(JSON.stringify(result.errors)).slice(0, 2000)}`);
    });
  }
});
