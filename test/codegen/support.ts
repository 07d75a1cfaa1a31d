/** A throw-away apis/ tree for generator tests: the real apis/meta plus the files a test gives. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;

export function apisTree(files: Record<string, string>, opts: { fixture?: boolean } = {}): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kube-ts-codegen-'));
  cpSync(join(repoRoot, 'apis/meta'), join(root, 'apis/meta'), { recursive: true });
  if (opts.fixture) cpSync(join(repoRoot, 'test/codegen/fixtures/apis'), join(root, 'apis'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
