/**
 * One declaration, either way: a group declared in apis/ and marked `@crd` (the generator's fixture group
 * shop.example.dev) is turned by `npm run generate` into CustomResourceDefinition manifests, which kubectl installs
 * into a running server that does not serve the group built in; kubectl then drives the custom resources with the
 * names, defaults, validation, columns, subresources and deprecation the declaration gave.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { establishStopgap } from './establish-stopgap.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

const gadget = (name: string, spec: string) => `apiVersion: shop.example.dev/v1\nkind: Gadget\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}`;

describe('a generated CRD manifest installed with kubectl', () => {
  let root: string;
  let crds: string;
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    // `npm run generate` over an apis/ tree holding the fixture group (KUBE_TS_ROOT points the generator at it).
    root = mkdtempSync(join(tmpdir(), 'kube-ts-gencrd-'));
    cpSync(join(repoRoot, 'apis/meta'), join(root, 'apis/meta'), { recursive: true });
    cpSync(join(repoRoot, 'test/codegen/fixtures/apis/shop.example.dev'), join(root, 'apis/shop.example.dev'), { recursive: true });
    const gen = spawnSync('npm', ['run', '-s', 'generate'], { cwd: repoRoot, env: { ...process.env, KUBE_TS_ROOT: root }, encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    crds = join(root, 'generated/crds');
    assert.ok(existsSync(join(crds, 'shop.example.dev_gadgets.yaml')));
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });

  after(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('is applied and established', async () => {
    const applied = await kubectl.run(['apply', '-f', crds]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, 'customresourcedefinition.apiextensions.k8s.io/gadgetclasses.shop.example.dev created\ncustomresourcedefinition.apiextensions.k8s.io/gadgets.shop.example.dev created\n');
    for (const name of ['gadgets.shop.example.dev', 'gadgetclasses.shop.example.dev']) await establishStopgap(server, name);
    const established = await kubectl.run(['wait', '--for=condition=Established', '--timeout=30s', 'crd/gadgets.shop.example.dev', 'crd/gadgetclasses.shop.example.dev']);
    assert.equal(established.code, 0, established.stderr);
    const crd = await server.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.shop.example.dev');
    assert.deepEqual(crd.json.status.storedVersions, ['v1']);
    const structural = crd.json.status.conditions.find((c: { type: string }) => c.type === 'NonStructuralSchema');
    assert.equal(structural, undefined, 'the generated schema is structural');
  });

  it('serves the kinds under the declared names, short names and categories', async () => {
    const res = await kubectl.run(['api-resources', '--api-group=shop.example.dev']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^gadgetclasses\s+shop\.example\.dev\/v1\s+false\s+GadgetClass$/m);
    assert.match(res.stdout, /^gadgets\s+gd\s+shop\.example\.dev\/v1\s+true\s+Gadget$/m);
  });

  it('applies the declared defaults and prunes unknown fields, keeping free-form ones', async () => {
    // Without --validate=false kubectl asks for strict field validation, and the unknown field would be refused.
    const created = await kubectl.run(['apply', '--validate=false', '-f', '-'], gadget('g1', '  shape: round\n  serial: 7\n  extra: dropped\n  settings:\n    any: [1, 2]\n  parts:\n    - name: wheel\n'));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'gadget.shop.example.dev/g1 created');
    const got = await server.request('GET', '/apis/shop.example.dev/v1/namespaces/default/gadgets/g1');
    assert.equal(got.json.spec.color, 'grey');
    assert.equal(got.json.spec.replicas, 1);
    assert.equal(got.json.spec.extra, undefined);
    assert.deepEqual(got.json.spec.settings, { any: [1, 2] });
    assert.deepEqual(got.json.spec.parts, [{ name: 'wheel', count: 1 }]);
  });

  it('shows the declared printer columns, and the priority ones with -o wide', async () => {
    const table = await kubectl.run(['get', 'gd', '-n', 'default']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+COLOR\s+AGE\ng1\s+grey\s+\d+s\n$/);
    const wide = await kubectl.run(['get', 'gadgets', '-n', 'default', '-o', 'wide']);
    assert.match(wide.stdout, /^NAME\s+COLOR\s+REPLICAS\s+AGE\n/);
    const selected = await kubectl.run(['get', 'gadgets', '-n', 'default', '--field-selector', 'spec.shape=round', '-o', 'name']);
    assert.equal(selected.stdout, 'gadget.shop.example.dev/g1\n', selected.stderr);
    const none = await kubectl.run(['get', 'gadgets', '-n', 'default', '--field-selector', 'spec.shape=square', '-o', 'name']);
    assert.equal(none.stdout, '', none.stderr);
    const category = await kubectl.run(['get', 'shop', '-n', 'default', '-o', 'name']);
    assert.equal(category.stdout, 'gadget.shop.example.dev/g1\n');
  });

  it('validates with the declared rules: enum, bounds, pattern, and @immutable as a transition rule', async () => {
    const bad = await kubectl.run(['create', '-f', '-'], gadget('g2', '  shape: oval\n  replicas: 101\n  color: Red\n'));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The Gadget "g2" is invalid: /);
    assert.match(bad.stderr, /spec\.shape: Unsupported value: "oval": supported values: "round", "square"/);
    assert.match(bad.stderr, /spec\.replicas: Invalid value: 101: spec\.replicas in body should be less than or equal to 100/);
    assert.match(bad.stderr, /spec\.color: Invalid value: "Red": spec\.color in body should match '\^\[a-z\]\+\$'/);
    const immutable = await kubectl.run(['patch', 'gadget', 'g1', '-n', 'default', '--type=merge', '-p', '{"spec":{"serial":8}}']);
    assert.notEqual(immutable.code, 0);
    assert.match(immutable.stderr, /spec\.serial: Invalid value: "integer": field is immutable/);
  });

  it('is explained from the declaration\'s doc comments', async () => {
    const res = await kubectl.run(['explain', 'gadget.spec.color']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /The colour it is painted\./);
  });

  it('scales through the declared scale subresource', async () => {
    const scaled = await kubectl.run(['scale', 'gadget', 'g1', '-n', 'default', '--replicas=3']);
    assert.equal(scaled.code, 0, scaled.stderr);
    assert.equal(scaled.stdout.trim(), 'gadget.shop.example.dev/g1 scaled');
    const replicas = await kubectl.run(['get', 'gadget', 'g1', '-n', 'default', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(replicas.stdout, '3');
  });

  it('serves the deprecated version with its warning on every request', async () => {
    const res = await kubectl.run(['get', 'gadgets.v1beta1.shop.example.dev', 'g1', '-n', 'default', '-o', 'jsonpath={.apiVersion} {.spec.shape}']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'shop.example.dev/v1beta1 round');
    assert.match(res.stderr, /^Warning: shop\.example\.dev\/v1beta1 Gadget is deprecated; use shop\.example\.dev\/v1 Gadget$/m);
  });

  it('serves the cluster-scoped kind', async () => {
    const created = await kubectl.run(['apply', '-f', '-'], 'apiVersion: shop.example.dev/v1\nkind: GadgetClass\nmetadata:\n  name: small\nmaker: acme\n');
    assert.equal(created.code, 0, created.stderr);
    const missing = await kubectl.run(['create', '-f', '-'], 'apiVersion: shop.example.dev/v1\nkind: GadgetClass\nmetadata:\n  name: nobody\n');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /maker: Required value/);
  });

  it('is deleted with its objects', async () => {
    const res = await kubectl.run(['delete', '-f', crds]);
    assert.equal(res.code, 0, res.stderr);
    const gone = await server.request('GET', '/apis/shop.example.dev/v1/namespaces/default/gadgets/g1');
    assert.equal(gone.status, 404);
  });
});
