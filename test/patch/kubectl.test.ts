/**
 * kubectl's patching commands against the real server: `kubectl patch` with each `--type`, `kubectl apply`
 * (client-side: strategic merge patches computed from the last-applied annotation) changing and removing list
 * items and map keys, and `kubectl edit` (a two-way strategic merge patch with `$setElementOrder`), with the
 * output kubectl prints against kube-apiserver.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

function deploymentYAML(name: string, containers: string, extra = '') {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
${extra}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
${containers}
`;
}

describe('kubectl patch, apply and edit', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  let editScript: string;

  before(async () => {
    server = await startServer();
    // kubectl edit runs $KUBE_EDITOR on a temp file: a script that rewrites it as the test says.
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-editor-'));
    const editor = join(dir, 'edit.sh');
    editScript = join(dir, 'script.sed');
    writeFileSync(editor, `#!/bin/sh\nexec sed -i -f ${editScript} "$1"\n`);
    chmodSync(editor, 0o755);
    process.env.KUBE_EDITOR = editor;
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  const ok = async (args: string[], input?: string) => {
    const res = await kubectl.run(args, input);
    assert.equal(res.code, 0, `kubectl ${args.join(' ')}: ${res.stderr}`);
    return res.stdout;
  };
  const get = async (what: string, jsonpath: string) => ok(['get', what, '-o', `jsonpath=${jsonpath}`]);

  it('kubectl patch (strategic): a new env var comes first, as upstream orders it', async () => {
    await ok(
      ['apply', '-f', '-'],
      deploymentYAML(
        'env',
        `      - name: app
        image: nginx
        env:
        - name: A
          value: a
        - name: B
          value: b`,
      ),
    );
    const out = await ok(['patch', 'deployment', 'env', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"NEW","value":"n"}]}]}}}}']);
    assert.equal(out, 'deployment.apps/env patched\n');
    assert.equal(await get('deployment/env', '{.spec.template.spec.containers[0].env[*].name}'), 'NEW A B');
    // The same patch again changes nothing, and kubectl says so.
    const again = await ok(['patch', 'deployment', 'env', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"NEW","value":"n"}]}]}}}}']);
    assert.equal(again, 'deployment.apps/env patched (no change)\n');
  });

  it('kubectl patch: $patch: delete removes a container; $retainKeys switches the strategy', async () => {
    await ok(
      ['apply', '-f', '-'],
      deploymentYAML(
        'two',
        `      - name: a
        image: nginx
      - name: b
        image: busybox`,
      ).replace('  replicas: 1', '  replicas: 1\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 2'),
    );
    await ok(['patch', 'deployment', 'two', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}}}']);
    assert.equal(await get('deployment/two', '{.spec.template.spec.containers[*].name}'), 'b');
    const invalid = await kubectl.run(['patch', 'deployment', 'two', '-p', '{"spec":{"strategy":{"type":"Recreate"}}}']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /The Deployment "two" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'/);
    await ok(['patch', 'deployment', 'two', '-p', '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}']);
    assert.equal(await get('deployment/two', '{.spec.strategy}'), '{"type":"Recreate"}');
  });

  it('kubectl patch --type=json and --type=merge; errors as kubectl shows them from kube-apiserver', async () => {
    await ok(['create', 'configmap', 'pj', '--from-literal=a=1', '--from-literal=b=2']);
    await ok(['patch', 'configmap', 'pj', '--type=json', '-p', '[{"op":"test","path":"/data/a","value":"1"},{"op":"move","from":"/data/b","path":"/data/c"},{"op":"copy","from":"/data/a","path":"/data/d"}]']);
    assert.equal(await get('configmap/pj', '{.data}'), '{"a":"1","c":"2","d":"1"}');
    await ok(['patch', 'configmap', 'pj', '--type=merge', '-p', '{"data":{"a":null,"e":"5"}}']);
    assert.equal(await get('configmap/pj', '{.data}'), '{"c":"2","d":"1","e":"5"}');
    const failed = await kubectl.run(['patch', 'configmap', 'pj', '--type=json', '-p', '[{"op":"test","path":"/data/c","value":"x"}]']);
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, 'The request is invalid: the server rejected our request due to an error in our request\n');
    const noKey = await kubectl.run(['patch', 'deployment', 'env', '-p', '{"spec":{"template":{"spec":{"containers":[{"image":"redis"}]}}}}']);
    assert.equal(noKey.code, 1);
    assert.equal(noKey.stderr, 'Error from server: map: map[image:redis] does not contain declared merge key: name\n');
  });

  it('kubectl apply changes fields, removes a container, an env var and a label it no longer sets', async () => {
    const first = deploymentYAML(
      'applied',
      `      - name: web
        image: nginx:1.26
        env:
        - name: KEEP
          value: k
        - name: DROP
          value: d
      - name: sidecar
        image: busybox`,
      '    tier: web',
    );
    assert.equal(await ok(['apply', '-f', '-'], first), 'deployment.apps/applied created\n');
    const second = deploymentYAML(
      'applied',
      `      - name: web
        image: nginx:1.27
        env:
        - name: KEEP
          value: k2`,
    );
    assert.equal(await ok(['apply', '-f', '-'], second), 'deployment.apps/applied configured\n');
    assert.equal(await get('deployment/applied', '{.spec.template.spec.containers[*].name}'), 'web');
    assert.equal(await get('deployment/applied', '{.spec.template.spec.containers[0].image}'), 'nginx:1.27');
    assert.equal(await get('deployment/applied', '{.spec.template.spec.containers[0].env}'), '[{"name":"KEEP","value":"k2"}]');
    assert.equal(await get('deployment/applied', '{.metadata.labels}'), '{"app":"applied"}');
    assert.equal(await ok(['apply', '-f', '-'], second), 'deployment.apps/applied unchanged\n');
  });

  it('kubectl apply keeps what others added and puts its own new items in its order', async () => {
    await ok(['apply', '-f', '-'], deploymentYAML('mixed', `      - name: web\n        image: nginx\n        env:\n        - name: A\n          value: a`));
    // Someone else adds an env var, then the applied config gains one of its own.
    await ok(['patch', 'deployment', 'mixed', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"OTHER","value":"o"}]}]}}}}']);
    await ok(['apply', '-f', '-'], deploymentYAML('mixed', `      - name: web\n        image: nginx\n        env:\n        - name: A\n          value: a\n        - name: B\n          value: b`));
    assert.equal(await get('deployment/mixed', '{.spec.template.spec.containers[0].env[*].name}'), 'OTHER A B');
  });

  it('kubectl apply removes a finalizer ($deleteFromPrimitiveList) and reorders containers ($setElementOrder)', async () => {
    const cm = (finalizers: string[]) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fin\n  finalizers: [${finalizers.join(', ')}]\ndata:\n  a: "1"\n`;
    await ok(['apply', '-f', '-'], cm(['example.com/a', 'example.com/b', 'example.com/c']));
    await ok(['apply', '-f', '-'], cm(['example.com/c', 'example.com/a']));
    assert.equal(await get('configmap/fin', '{.metadata.finalizers}'), '["example.com/c","example.com/a"]');
    await ok(['patch', 'configmap', 'fin', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const containers = (names: string[]) => names.map((n) => `      - name: ${n}\n        image: nginx`).join('\n');
    await ok(['apply', '-f', '-'], deploymentYAML('order', containers(['a', 'b', 'c'])));
    await ok(['apply', '-f', '-'], deploymentYAML('order', containers(['c', 'a', 'd'])));
    assert.equal(await get('deployment/order', '{.spec.template.spec.containers[*].name}'), 'c a d');
  });

  it('kubectl apply switches a volume\'s source: the generated $retainKeys drops the old one', async () => {
    const withVolume = (source: string) =>
      deploymentYAML('vol', `      - name: a\n        image: nginx`).replace('    spec:\n      containers:', `    spec:\n      volumes:\n      - name: data\n${source}\n      containers:`);
    await ok(['apply', '-f', '-'], withVolume('        emptyDir: {}'));
    await ok(['apply', '-f', '-'], withVolume('        configMap:\n          name: settings'));
    assert.equal(await get('deployment/vol', '{.spec.template.spec.volumes}'), '[{"configMap":{"defaultMode":420,"name":"settings"},"name":"data"}]');
  });

  it('kubectl edit sends a two-way strategic merge patch: changed, removed and reordered items come out as edited', async () => {
    await ok(['apply', '-f', '-'], deploymentYAML('ed', `      - name: one\n        image: nginx\n      - name: two\n        image: busybox\n      - name: three\n        image: redis`));
    // Swap the names of containers one and three and change two's image: a patch with $setElementOrder.
    writeFileSync(editScript, 's/name: one$/name: tmp/\ns/name: three$/name: one/\ns/name: tmp$/name: three/\ns/image: busybox$/image: busybox:1.36/\n');
    const res = await kubectl.run(['edit', 'deployment', 'ed']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'deployment.apps/ed edited\n');
    assert.equal(await get('deployment/ed', '{.spec.template.spec.containers[*].name}'), 'three two one');
    assert.equal(await get('deployment/ed', '{.spec.template.spec.containers[*].image}'), 'nginx busybox:1.36 redis');
  });
});
