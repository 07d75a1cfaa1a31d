/**
 * The apply family with the real kubectl: `diff` (a server-side dry run, then a local diff; exit 0 when equal,
 * 1 when not), server-side apply conflicts word for word (managers named as upstream names them: an Update
 * manager "using v1") and `--force-conflicts`, the last-applied annotation that kube-apiserver keeps in step for
 * the "kubectl" manager, `apply view-last-applied/set-last-applied/edit-last-applied`, and `apply --prune`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const conflictAdvice = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

describe('kubectl diff and apply', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-apply-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const configMap = (name: string, data: Record<string, string>, labels = '{ tier: x }') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, labels: ${labels} }\ndata: ${JSON.stringify(data)}\n`;
  /**
   * Prune's files hold data: an empty `data: {}` is dropped from the stored object (omitempty), so every later
   * apply's three-way patch would add it back and print "configured" (upstream too).
   */
  const pruned = (name: string) => configMap(name, { k: name }, '{ set: p }');

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('diff: exit 1 with the object to be created, 0 when equal, 1 with the changed line; nothing is written', async () => {
    const v1 = file('cfg1.yaml', configMap('cfg', { a: '1' }));
    const created = await kubectl.run(['diff', '-f', v1]);
    assert.equal(created.code, 1, created.stderr);
    assert.match(created.stdout, /^@@ -0,0 \+1,\d+ @@\n\+apiVersion: v1\n\+data:\n\+  a: "1"\n\+kind: ConfigMap\n\+metadata:\n/m);
    assert.match(created.stdout, /^\+  name: cfg\n\+  namespace: default\n\+  uid: [0-9a-f-]{36}\n/m);
    assert.equal((await kubectl.run(['get', 'cm', 'cfg'])).code, 1, 'the dry run created nothing');

    await kubectl.ok(['apply', '-f', v1]);
    const same = await kubectl.run(['diff', '-f', v1]);
    assert.deepEqual([same.code, same.stdout], [0, '']);

    const changed = await kubectl.run(['diff', '-f', file('cfg2.yaml', configMap('cfg', { a: '2' }))]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^ data:\n-  a: "1"\n\+  a: "2"\n kind: ConfigMap\n/m);
    assert.equal((await kubectl.ok(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}'])).stdout, '1');
  });

  test('server-side apply: conflicts with an Apply manager and with Update managers, then --force-conflicts', async () => {
    const v2 = file('cfg2.yaml', configMap('cfg', { a: '2' }));
    assert.equal((await kubectl.ok(['apply', '--server-side', '-f', v2])).stdout, 'configmap/cfg serverside-applied\n');
    const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', file('cfg3.yaml', configMap('cfg', { a: '3' }))]);
    assert.equal(conflict.code, 1);
    assert.equal(conflict.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl": .data.a\n${conflictAdvice}`);

    await kubectl.ok(['create', 'cm', 'made', '--from-literal=a=1', '--from-literal=b=2']);
    await kubectl.ok(['label', 'cm', 'made', 'x=y']);
    const two = await kubectl.run(['apply', '--server-side', '--field-manager=m2', '-f', '-'], configMap('made', { a: '9' }, '{ x: z }'));
    assert.equal(two.code, 1);
    assert.equal(two.stderr, `error: Apply failed with 2 conflicts: conflicts with "kubectl-create" using v1:\n- .data.a\nconflicts with "kubectl-label" using v1:\n- .metadata.labels.x\n${conflictAdvice}`);

    assert.equal((await kubectl.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file('cfg3.yaml', configMap('cfg', { a: '3' }))])).stdout, 'configmap/cfg serverside-applied\n');
    const cm = JSON.parse((await kubectl.ok(['get', 'cm', 'cfg', '-o', 'json', '--show-managed-fields'])).stdout);
    assert.equal(cm.data.a, '3');
    const owners = cm.metadata.managedFields.filter((m: { fieldsV1: { 'f:data'?: object } }) => m.fieldsV1['f:data']).map((m: { manager: string }) => m.manager);
    assert.deepEqual(owners, ['other'], 'the forced apply took .data.a from "kubectl"');
  });

  test('last-applied: kept in step by "kubectl" server-side applies only; view, set and edit', async () => {
    // kubectl's own server-side apply (a:"2") refreshed the annotation; the "other" manager's (a:"3") did not.
    const view = await kubectl.ok(['apply', 'view-last-applied', 'cm/cfg']);
    assert.equal(view.stdout, 'apiVersion: v1\ndata:\n  a: "2"\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: x\n  name: cfg\n  namespace: default\n');
    assert.equal((await kubectl.ok(['apply', 'set-last-applied', '-f', file('cfg1.yaml', configMap('cfg', { a: '1' }))])).stdout, 'configmap/cfg configured\n');
    assert.deepEqual(JSON.parse((await kubectl.ok(['apply', 'view-last-applied', 'cm/cfg', '-o', 'json'])).stdout).data, { a: '1' });
    // `create` keeps no annotation; kubectl 1.32 then prints nothing and exits 0 (its error wraps a nil error).
    const none = await kubectl.run(['apply', 'view-last-applied', 'cm/made']);
    assert.deepEqual([none.code, none.stdout, none.stderr], [0, '', '']);
    const edit = await kubectlRunnerWithEditor(server.kubeconfig).run(['apply', 'edit-last-applied', 'cm/cfg']);
    assert.equal(edit.code, 0, edit.stderr);
    assert.equal(edit.stdout + edit.stderr, 'Edit cancelled, no changes made.\n');
  });

  test('size limits: last-applied beyond 256 KiB, a ConfigMap beyond 1 MiB, a request body beyond 3 MiB', async () => {
    const big = (name: string, size: number) => file(`${name}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata:\n  k: ${'x'.repeat(size)}\n`);
    // Client-side apply copies the object into its annotation; server-side apply keeps none.
    const annotated = await kubectl.run(['apply', '-f', big('big', 300_000)]);
    assert.equal(annotated.stderr, 'The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n');
    assert.equal((await kubectl.ok(['apply', '--server-side', '-f', big('big', 300_000)])).stdout, 'configmap/big serverside-applied\n');
    const huge = await kubectl.run(['create', '-f', big('huge', 1_100_000)]);
    assert.equal(huge.stderr, 'The ConfigMap "huge" is invalid: : Too long: may not be more than 1048576 bytes\n');
    const body = await kubectl.run(['create', '-f', big('body', 3_200_000)]);
    assert.equal(body.code, 1);
    assert.match(body.stderr, /^Error from server \(RequestEntityTooLarge\): error when creating ".*body\.yaml": Request entity too large: limit is 3145728\n$/);
  });

  test('apply --prune -l: deletes the labelled objects no longer in the files, server dry run deletes nothing', async () => {
    const both = file('prune1.yaml', `${pruned('pa')}---\n${pruned('pb')}`);
    const onlyA = file('prune2.yaml', pruned('pa'));
    const args = ['apply', '--prune', '-l', 'set=p', '--prune-allowlist=core/v1/ConfigMap'];
    assert.equal((await kubectl.ok([...args, '-f', both])).stdout, 'configmap/pa created\nconfigmap/pb created\n');
    assert.equal((await kubectl.ok([...args, '-f', onlyA, '--dry-run=server'])).stdout, 'configmap/pa unchanged (server dry run)\nconfigmap/pb pruned (server dry run)\n');
    assert.match((await kubectl.ok(['get', 'cm', '-l', 'set=p', '-o', 'name'])).stdout, /^configmap\/pa\nconfigmap\/pb\n$/);
    assert.equal((await kubectl.ok([...args, '-f', onlyA])).stdout, 'configmap/pa unchanged\nconfigmap/pb pruned\n');
    assert.equal((await kubectl.ok(['get', 'cm', '-l', 'set=p', '-o', 'name'])).stdout, 'configmap/pa\n');
  });
});

/** A runner whose editor leaves the file as it is (`true`), as a user who quits without saving. */
function kubectlRunnerWithEditor(kubeconfig: string) {
  const saved = process.env.KUBE_EDITOR;
  process.env.KUBE_EDITOR = 'true';
  try {
    return kubectlRunner(kubeconfig);
  } finally {
    if (saved === undefined) delete process.env.KUBE_EDITOR;
    else process.env.KUBE_EDITOR = saved;
  }
}
