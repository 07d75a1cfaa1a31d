/**
 * Adding a kind is one file in apis/ plus `npm run generate`: in a temporary copy of the project, a new Widget
 * kind is declared, the generator runs, the server starts from the copy, and kubectl drives the new kind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

const widget = `import type { ObjectMeta, int32 } from '../../meta/v1/types.ts';

/**
 * Widget is something small that does one thing.
 * @resource widgets
 * @shortNames wd
 * @printColumn Size integer .spec.size
 */
export interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  /** What the widget should be. */
  spec: WidgetSpec;
}

/** The desired state of a widget. */
export interface WidgetSpec {
  /**
   * How big the widget is, from 1 to 10.
   * @default 3
   * @minimum 1
   * @maximum 10
   */
  size?: int32;
  /** What colour it is painted. */
  color: string;
}
`;

describe('a new kind from one file in apis/', () => {
  let copy: string;
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    copy = mkdtempSync(join(tmpdir(), 'kube-ts-newkind-'));
    for (const dir of ['apis', 'codegen', 'generated', 'runtime']) cpSync(join(repoRoot, dir), join(copy, dir), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json']) cpSync(join(repoRoot, file), join(copy, file));
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
    mkdirSync(join(copy, 'apis/example.dev/v1'), { recursive: true });
    writeFileSync(join(copy, 'apis/example.dev/v1/widget.ts'), widget);
    // A deprecated older version, where size is called magnitude, converted through v1 (the generator's fixture).
    cpSync(join(repoRoot, 'test/codegen/fixtures/apis/example.dev/v1beta1'), join(copy, 'apis/example.dev/v1beta1'), { recursive: true });
    const gen = spawnSync(process.execPath, ['--import', 'tsx', 'codegen/main.ts'], { cwd: copy, encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    server = await startServer({ root: copy });
    kubectl = kubectlRunner(server.kubeconfig);
  });

  after(async () => {
    await server?.stop();
    rmSync(copy, { recursive: true, force: true });
  });

  it('is listed by kubectl api-resources', async () => {
    const res = await kubectl.run(['api-resources', '--api-group=example.dev']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^widgets\s+wd\s+example\.dev\/v1\s+true\s+Widget$/m);
  });

  it('is created with its defaults and shown with its columns', async () => {
    const created = await kubectl.run(['apply', '-f', '-'], 'apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: default\nspec:\n  color: blue\n');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'widget.example.dev/w1 created');
    const size = await kubectl.run(['get', 'wd', 'w1', '-n', 'default', '-o', 'jsonpath={.spec.size}']);
    assert.equal(size.stdout, '3');
    const table = await kubectl.run(['get', 'widgets', '-n', 'default']);
    assert.match(table.stdout, /^NAME\s+SIZE\s+AGE\nw1\s+3\s+\d+s\n$/);
  });

  it('is validated with one cause per bad field', async () => {
    const res = await kubectl.run(['create', '-f', '-'], 'apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: w2\n  namespace: default\nspec:\n  size: 11\n');
    assert.notEqual(res.code, 0);
    assert.equal(res.stderr, 'The Widget "w2" is invalid: \n* spec.color: Required value\n* spec.size: Invalid value: 11: must be less than or equal to 10\n');
  });

  it('is explained from its doc comments', async () => {
    const res = await kubectl.run(['explain', 'widget.spec.size']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /How big the widget is, from 1 to 10\./);
  });

  it('is served in a deprecated older version, converted through the storage version', async () => {
    const created = await kubectl.run(['create', '-f', '-'], 'apiVersion: example.dev/v1beta1\nkind: Widget\nmetadata:\n  name: beta\n  namespace: default\nspec:\n  magnitude: 7\n  color: green\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /^Warning: example\.dev\/v1beta1 Widget is deprecated; use example\.dev\/v1 Widget$/m);
    const asV1 = await server.request('GET', '/apis/example.dev/v1/namespaces/default/widgets/beta');
    assert.equal(asV1.json.apiVersion, 'example.dev/v1');
    assert.deepEqual(asV1.json.spec, { size: 7, color: 'green' });
    const asBeta = await server.request('GET', '/apis/example.dev/v1beta1/namespaces/default/widgets/w1');
    assert.equal(asBeta.json.apiVersion, 'example.dev/v1beta1');
    assert.deepEqual(asBeta.json.spec, { magnitude: 3, color: 'blue' });
  });

  it('is deleted', async () => {
    const res = await kubectl.run(['delete', 'widget', 'w1', '-n', 'default']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'widget.example.dev "w1" deleted');
  });
});
