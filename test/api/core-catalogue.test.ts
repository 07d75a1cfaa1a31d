/**
 * The core group's catalogue as kube-apiserver v1.32 serves it: discovery rows, PodTemplates and
 * ReplicationControllers (scale, status, printers), bindings, evictions under PodDisruptionBudgets, ephemeral
 * containers, componentstatuses, and the subresources that need a kubelet answering upstream's errors when there
 * is none. Through HTTP and the real kubectl.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const ns = 'default';
const pods = `/api/v1/namespaces/${ns}/pods`;

function pod(name: string, labels: Record<string, string> = {}, containers = [{ name: 'app', image: 'nginx:1.27' }]) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers } };
}

describe('the core group catalogue', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout;
  };
  const created = async (path: string, body: unknown) => {
    const res = await server.request('POST', path, body);
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  /** A pod that runs and is Ready, as a kubelet would report it. */
  const runningPod = async (name: string, labels: Record<string, string>, ready = true) => {
    await created(pods, pod(name, labels));
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    const res = await server.request('PATCH', `${pods}/${name}/status`, { status }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('kubectl api-resources lists upstream v1.32 rows for v1', async () => {
    const out = await ok(['api-resources', '--api-group=', '-o', 'wide', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    // Source: kube-apiserver v1.32 /api/v1 (kubernetes api/discovery/api__v1.json): name, short names, namespaced, kind, verbs.
    const all = 'create,delete,deletecollection,get,list,patch,update,watch';
    const want = [
      ['bindings', 'v1', 'true', 'Binding', 'create'],
      ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus', 'get,list'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap', all],
      ['endpoints', 'ep', 'v1', 'true', 'Endpoints', all],
      ['events', 'ev', 'v1', 'true', 'Event', all],
      ['limitranges', 'limits', 'v1', 'true', 'LimitRange', all],
      ['namespaces', 'ns', 'v1', 'false', 'Namespace', 'create,delete,get,list,patch,update,watch'],
      ['nodes', 'no', 'v1', 'false', 'Node', all],
      ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim', all],
      ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume', all],
      ['pods', 'po', 'v1', 'true', 'Pod', all, 'all'],
      ['podtemplates', 'v1', 'true', 'PodTemplate', all],
      ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController', all, 'all'],
      ['resourcequotas', 'quota', 'v1', 'true', 'ResourceQuota', all],
      ['secrets', 'v1', 'true', 'Secret', all],
      ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount', all],
      ['services', 'svc', 'v1', 'true', 'Service', all, 'all'],
    ];
    assert.deepEqual(rows, want);
  });

  it('/api/v1 lists the subresources with upstream verbs and kinds, and no storage hash for what is not stored', async () => {
    const list = (await server.request('GET', '/api/v1')).json;
    const by = (name: string) => list.resources.find((r: { name: string }) => r.name === name);
    const row = (name: string) => {
      const r = by(name);
      return r && [r.kind, r.group ?? '', r.version ?? '', r.verbs.join(',')];
    };
    const proxy = 'create,delete,get,patch,update';
    assert.deepEqual(row('pods/attach'), ['PodAttachOptions', '', '', 'create,get']);
    assert.deepEqual(row('pods/binding'), ['Binding', '', '', 'create']);
    assert.deepEqual(row('pods/ephemeralcontainers'), ['Pod', '', '', 'get,patch,update']);
    assert.deepEqual(row('pods/eviction'), ['Eviction', 'policy', 'v1', 'create']);
    assert.deepEqual(row('pods/exec'), ['PodExecOptions', '', '', 'create,get']);
    assert.deepEqual(row('pods/log'), ['Pod', '', '', 'get']);
    assert.deepEqual(row('pods/portforward'), ['PodPortForwardOptions', '', '', 'create,get']);
    assert.deepEqual(row('pods/proxy'), ['PodProxyOptions', '', '', proxy]);
    assert.deepEqual(row('nodes/proxy'), ['NodeProxyOptions', '', '', proxy]);
    assert.deepEqual(row('services/proxy'), ['ServiceProxyOptions', '', '', proxy]);
    assert.deepEqual(row('namespaces/finalize'), ['Namespace', '', '', 'update']);
    assert.deepEqual(row('replicationcontrollers/scale'), ['Scale', 'autoscaling', 'v1', 'get,patch,update']);
    assert.deepEqual(row('replicationcontrollers/status'), ['ReplicationController', '', '', 'get,patch,update']);
    assert.equal(by('bindings').storageVersionHash, undefined);
    assert.equal(by('componentstatuses').storageVersionHash, undefined);
    // Source: upstream's storage version hashes of PodTemplate and ReplicationController (api__v1.json).
    assert.equal(by('podtemplates').storageVersionHash, 'LIXB2x4IFpk=');
    assert.equal(by('replicationcontrollers').storageVersionHash, 'Jond2If31h0=');
    const namespaces = await server.request('DELETE', '/api/v1/namespaces');
    assert.equal(namespaces.status, 405, namespaces.text);
  });

  it('kubectl get/describe/scale of a ReplicationController in kube-system', async () => {
    const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: web
  namespace: kube-system
spec:
  replicas: 2
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;
    await ok(['create', '-f', '-'], rc);
    const stored = (await server.request('GET', '/api/v1/namespaces/kube-system/replicationcontrollers/web')).json;
    // SetDefaults_ReplicationController: selector and labels from the template; generation 1 on create.
    assert.deepEqual(stored.spec.selector, { app: 'web' });
    assert.deepEqual(stored.metadata.labels, { app: 'web' });
    assert.equal(stored.metadata.generation, 1);
    assert.match(await ok(['get', 'rc', '-n', 'kube-system']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb\s+2\s+0\s+0\s+\d+s\n$/);
    assert.match(await ok(['get', 'rc', '-n', 'kube-system', '-o', 'wide']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+2\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web\n$/);
    assert.equal((await ok(['scale', 'rc', 'web', '-n', 'kube-system', '--replicas=5'])).trim(), 'replicationcontroller/web scaled');
    const scale = (await server.request('GET', '/api/v1/namespaces/kube-system/replicationcontrollers/web/scale')).json;
    assert.deepEqual([scale.kind, scale.apiVersion, scale.spec, scale.status], ['Scale', 'autoscaling/v1', { replicas: 5 }, { replicas: 0, selector: 'app=web' }]);
    const scaled = (await server.request('GET', '/api/v1/namespaces/kube-system/replicationcontrollers/web')).json;
    assert.equal(scaled.metadata.generation, 2);
    const described = await ok(['describe', 'rc', 'web', '-n', 'kube-system']);
    assert.match(described, /^Name:\s+web\nNamespace:\s+kube-system\nSelector:\s+app=web\n/);
    assert.match(described, /Replicas:\s+0 current \/ 5 desired\n/);

    // Status is written through /status only.
    const status = await server.request('PATCH', '/api/v1/namespaces/kube-system/replicationcontrollers/web/status', { status: { replicas: 5, readyReplicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
    assert.match(await ok(['get', 'rc', 'web', '-n', 'kube-system', '--no-headers']), /^web\s+5\s+5\s+4\s+/);
    // Source: pkg/apis/core/validation ValidateReplicationControllerStatus.
    const tooMany = await server.request('PATCH', '/api/v1/namespaces/kube-system/replicationcontrollers/web/status', { status: { readyReplicas: 9 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(tooMany.status, 422, tooMany.text);
    assert.equal(tooMany.json.message, 'ReplicationController "web" is invalid: status.readyReplicas: Invalid value: 9: cannot be greater than status.replicas');
  });

  it('a ReplicationController is validated as upstream', async () => {
    const base = `/api/v1/namespaces/${ns}/replicationcontrollers`;
    const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const mismatch = await server.request('POST', base, { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'm' }, spec: { selector: { app: 'b' }, template } });
    assert.equal(mismatch.status, 422, mismatch.text);
    // Source: pkg/apis/core/validation ValidatePodTemplateSpecForRC.
    assert.equal(mismatch.json.message, 'ReplicationController "m" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: selector does not match labels in spec.template');
    const noTemplate = await server.request('POST', base, { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'n' }, spec: { selector: { app: 'a' } } });
    assert.equal(noTemplate.status, 422, noTemplate.text);
    assert.deepEqual(noTemplate.json.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason]), [['spec.template', 'FieldValueRequired']]);
    const onFailure = await server.request('POST', base, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'o' },
      spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } },
    });
    assert.equal(onFailure.status, 422, onFailure.text);
    assert.equal(onFailure.json.details.causes[0].message, 'Unsupported value: "OnFailure": supported values: "Always"');
  });

  it('PodTemplates are served with upstream columns and no AGE', async () => {
    await created(`/api/v1/namespaces/${ns}/podtemplates`, {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'tpl' },
      template: { metadata: { labels: { app: 'x', tier: 'a' } }, spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'nginx' }] } },
    });
    // Source: pkg/printers/internalversion podTemplateColumnDefinitions (Name, Containers, Images, Pod Labels).
    assert.match(await ok(['get', 'podtemplates']), /^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS\ntpl\s+a,b\s+busybox,nginx\s+app=x,tier=a\n$/);
  });

  it('pods/binding and bindings assign a pod to a node once, as upstream', async () => {
    await created(pods, pod('bound'));
    const res = await server.request('POST', `${pods}/bound/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound', annotations: { scheduled: 'yes' } }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = (await server.request('GET', `${pods}/bound`)).json;
    assert.equal(bound.spec.nodeName, 'n1');
    assert.equal(bound.metadata.annotations.scheduled, 'yes');
    const scheduled = bound.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    assert.equal(scheduled.status, 'True');
    assert.match(scheduled.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // Source: pkg/registry/core/pod/storage/storage.go setPodNodeAndMetadata and assignPod.
    const again = await server.request('POST', `/api/v1/namespaces/${ns}/bindings`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { name: 'n2' } });
    assert.equal(again.status, 409, again.text);
    assert.deepEqual(again.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on pods/binding "bound": pod bound is already assigned to node "n1"',
      reason: 'Conflict',
      details: { name: 'bound', kind: 'pods/binding' },
      code: 409,
    });
    assert.equal((await server.request('GET', `${pods}/bound`)).json.spec.nodeName, 'n1');

    await created(pods, pod('free'));
    const mismatch = await server.request('POST', `${pods}/free/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'other' }, target: { name: 'n1' } });
    assert.equal(mismatch.status, 400, mismatch.text);
    assert.equal(mismatch.json.message, 'name in URL does not match name in Binding object');
    // ValidatePodBinding's errors are an aggregate, which upstream answers as a 500 without a reason.
    const badTarget = await server.request('POST', `${pods}/free/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'free' }, target: { kind: 'Pod', name: 'x' } });
    assert.equal(badTarget.status, 500, badTarget.text);
    assert.equal(badTarget.json.message, 'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"');
    assert.equal(badTarget.json.reason, undefined);
    const dry = await server.request('POST', `${pods}/free/binding?dryRun=All`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'free' }, target: { name: 'n1' } });
    assert.equal(dry.status, 201, dry.text);
    assert.equal((await server.request('GET', `${pods}/free`)).json.spec.nodeName, undefined);
  });

  it('an eviction honours the PodDisruptionBudget: 429 until it allows a disruption, then the pod goes', async () => {
    await runningPod('db-0', { app: 'db' });
    await created(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } });
    const evict = (name: string, apiVersion = 'policy/v1') => server.request('POST', `${pods}/${name}/eviction`, { apiVersion, kind: 'Eviction', metadata: { name } });

    // Source: pkg/registry/core/pod/storage/eviction.go (createTooManyRequestsError, checkAndDecrement).
    const processing = await evict('db-0');
    assert.equal(processing.status, 429, processing.text);
    assert.equal(processing.headers['retry-after'], '10');
    assert.deepEqual(processing.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db is still being processed by the server.' }], retryAfterSeconds: 10 },
      code: 429,
    });

    const setBudget = (status: Record<string, unknown>) =>
      server.request('PATCH', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/db/status`, { status }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await setBudget({ observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 })).status, 200);
    const refused = await evict('db-0');
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.headers['retry-after'], undefined);
    assert.deepEqual(refused.json.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 1 currently' }] });
    assert.equal((await server.request('GET', `${pods}/db-0`)).json.metadata.deletionTimestamp, undefined);

    // kubectl drain retries the eviction while the budget refuses it, printing upstream's message.
    await created('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'drain-me' } });
    const bind = await server.request('POST', `${pods}/db-0/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'db-0' }, target: { name: 'drain-me' } });
    assert.equal(bind.status, 201, bind.text);
    const drain = await kubectl.run(['drain', 'drain-me', '--force', '--timeout=2s', '--pod-selector=app=db']);
    assert.notEqual(drain.code, 0);
    assert.match(drain.stderr, /error when evicting pods\/"db-0" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);

    // A dry run checks the budget but neither records the disruption nor deletes.
    assert.equal((await setBudget({ disruptionsAllowed: 1 })).status, 200);
    const dry = await server.request('POST', `${pods}/db-0/eviction?dryRun=All`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-0' } });
    assert.equal(dry.status, 201, dry.text);
    assert.equal((await server.request('GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/db`)).json.status.disruptionsAllowed, 1);

    // policy/v1beta1 Evictions are still accepted on this path.
    const done = await evict('db-0', 'policy/v1beta1');
    assert.equal(done.status, 201, done.text);
    assert.deepEqual(done.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const budget = (await server.request('GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/db`)).json.status;
    assert.equal(budget.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(budget.disruptedPods), ['db-0']);
    const allowed = budget.conditions.find((c: { type: string }) => c.type === 'DisruptionAllowed');
    assert.deepEqual([allowed.status, allowed.reason], ['False', 'InsufficientPods']);
    // The pod is bound to a node, so it is deleted gracefully, marked as a disruption target first.
    const evicted = (await server.request('GET', `${pods}/db-0`)).json;
    assert.ok(evicted.metadata.deletionTimestamp);
    const target = evicted.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
    assert.deepEqual([target.status, target.reason, target.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
  });

  it('evictions of pods no budget can protect, unready pods, and pods under two budgets', async () => {
    const evict = (name: string) => server.request('POST', `${pods}/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
    // A Pending pod goes at once, whatever its budget says.
    await created(pods, pod('cache-0', { app: 'cache' }));
    await created(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'cache' } } } });
    assert.equal((await evict('cache-0')).status, 201);
    assert.equal((await server.request('GET', `${pods}/cache-0`)).status, 404);

    // An unready pod goes when its budget's unhealthyPodEvictionPolicy is AlwaysAllow, without using the budget.
    await runningPod('queue-0', { app: 'queue' }, false);
    await created(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'queue' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'queue' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    assert.equal((await evict('queue-0')).status, 201);
    assert.equal((await server.request('GET', `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/queue`)).json.status?.disruptedPods, undefined);

    await runningPod('both-0', { app: 'both', tier: 'x' });
    for (const [name, key] of [['by-app', 'app'], ['by-tier', 'tier']]) {
      await created(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { maxUnavailable: 1, selector: { matchLabels: { [key]: key === 'app' ? 'both' : 'x' } } } });
    }
    const two = await evict('both-0');
    // Upstream's create handler answers 201 for any Status a REST returns; the Failure and its 500 are in the body.
    assert.equal(two.status, 201, two.text);
    assert.deepEqual(two.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });

    const wrongName = await server.request('POST', `${pods}/both-0/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.json.message, 'name in URL does not match name in Eviction object');
    const missing = await evict('nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'pods "nope" not found');
  });

  it('pods/ephemeralcontainers changes only spec.ephemeralContainers and never an existing one', async () => {
    await created(pods, pod('debug-me'));
    const path = `${pods}/debug-me/ephemeralcontainers`;
    const current = (await server.request('GET', path)).json;
    assert.equal(current.kind, 'Pod');
    const withDebugger = structuredClone(current);
    withDebugger.spec.ephemeralContainers = [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }];
    withDebugger.metadata.labels = { changed: 'ignored' };
    withDebugger.spec.containers[0].image = 'ignored:1';
    const res = await server.request('PUT', path, withDebugger);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spec.ephemeralContainers.map((c: { name: string }) => c.name), ['debugger']);
    assert.deepEqual(res.json.metadata.labels, current.metadata.labels);
    assert.equal(res.json.spec.containers[0].image, 'nginx:1.27');

    // Source: pkg/apis/core/validation ValidatePodEphemeralContainersUpdate.
    const removed = structuredClone(res.json);
    removed.spec.ephemeralContainers = [];
    const refused = await server.request('PUT', path, removed);
    assert.equal(refused.status, 422, refused.text);
    assert.deepEqual(refused.json.details.causes, [{ reason: 'FieldValueForbidden', message: 'Forbidden: existing ephemeral containers "debugger" may not be removed\n', field: 'spec.ephemeralContainers' }]);
    const changed = structuredClone(res.json);
    changed.spec.ephemeralContainers[0].image = 'alpine';
    const refusedChange = await server.request('PUT', path, changed);
    assert.equal(refusedChange.status, 422, refusedChange.text);
    // Both refusals are reported at the list itself (specPath), the change followed by a diff upstream.
    assert.equal(refusedChange.json.details.causes[0].field, 'spec.ephemeralContainers');
    // kubectl debug adds one through a strategic merge patch of the subresource.
    await ok(['debug', 'debug-me', '--image=busybox', '-c', 'second', '--target=app']);
    const debugged = (await server.request('GET', `${pods}/debug-me`)).json;
    assert.deepEqual(debugged.spec.ephemeralContainers.map((c: { name: string; targetContainerName?: string }) => [c.name, c.targetContainerName]), [['debugger', 'app'], ['second', 'app']]);
  });

  it('kubectl logs and exec answer upstream errors without a node, a node address or a kubelet', async () => {
    await created(pods, pod('pending-0'));
    // A pod not yet scheduled has an empty log (LogLocation gives no location), and no host for exec.
    const logs = await kubectl.run(['logs', 'pending-0']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, '');
    const exec = await kubectl.run(['exec', 'pending-0', '--', 'ls']);
    assert.notEqual(exec.code, 0);
    assert.match(exec.stderr, /pod pending-0 does not have a host assigned/);
    const noLog = await server.request('GET', `${pods}/pending-0/log`);
    assert.equal(noLog.status, 204);
    assert.equal(noLog.text, '');
    const attach = await server.request('POST', `${pods}/pending-0/attach?stdout=true`);
    assert.equal(attach.status, 400);
    assert.equal(attach.json.message, 'pod pending-0 does not have a host assigned');

    await created(pods, pod('two', {}, [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }]));
    const which = await server.request('GET', `${pods}/two/log`);
    assert.equal(which.status, 400);
    assert.equal(which.json.message, 'a container name must be specified for pod two, choose one of: [a b]');
    const notThere = await server.request('GET', `${pods}/two/log?container=c`);
    assert.equal(notThere.json.message, 'container c is not valid for pod two');
    const tail = await server.request('GET', `${pods}/two/log?container=a&tailLines=-1`);
    assert.equal(tail.status, 422);
    assert.equal(tail.json.message, 'PodLogOptions "two" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');

    // Bound to a node that does not exist, then to one without addresses, then to one whose kubelet is not there.
    await created(pods, pod('placed'));
    const bind = (node: string) => server.request('POST', `${pods}/placed/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'placed' }, target: { name: node } });
    assert.equal((await bind('ghost')).status, 201);
    const noNode = await kubectl.run(['logs', 'placed']);
    assert.equal(noNode.stderr.trim(), 'Error from server (NotFound): nodes "ghost" not found');
    await created('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
    const noAddress = await kubectl.run(['logs', 'placed']);
    assert.equal(noAddress.stderr.trim(), 'Error from server: no preferred addresses found; known addresses: []');
    const port = 1; // nothing listens on 127.0.0.1:1
    const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } };
    assert.equal((await server.request('PATCH', '/api/v1/nodes/ghost/status', { status }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    const refused = await kubectl.run(['logs', 'placed', '--tail=5']);
    assert.equal(refused.stderr.trim(), `Error from server: Get "https://127.0.0.1:${port}/containerLogs/default/placed/app?tailLines=5": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const execRefused = await server.request('POST', `${pods}/placed/exec?command=ls&stdout=true`);
    assert.equal(execRefused.status, 500);
    assert.equal(execRefused.json.message, `error dialing backend: dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const nodeProxy = await server.request('GET', '/api/v1/nodes/ghost/proxy/healthz');
    assert.equal(nodeProxy.status, 503);
    assert.equal(nodeProxy.json.message, `error trying to reach service: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it('services/proxy without endpoints, and pods/proxy without an address', async () => {
    await created(`/api/v1/namespaces/${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lonely' }, spec: { ports: [{ port: 80 }] } });
    await created(`/api/v1/namespaces/${ns}/endpoints`, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'lonely' } });
    const svc = await server.request('GET', `/api/v1/namespaces/${ns}/services/lonely/proxy/`);
    assert.equal(svc.status, 503, svc.text);
    assert.equal(svc.json.message, 'no endpoints available for service "lonely"');
    await created(pods, pod('no-ip'));
    const p = await server.request('GET', `${pods}/no-ip/proxy/`);
    assert.equal(p.status, 400);
    assert.equal(p.json.message, 'address not allowed');
  });

  it('kubectl get componentstatuses probes the control plane, with the deprecation warning', async () => {
    const r = await kubectl.run(['get', 'cs']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), 'Warning: v1 ComponentStatus is deprecated in v1.19+');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^NAME\s+STATUS\s+MESSAGE\s+ERROR$/);
    assert.match(lines.find((l) => l.startsWith('etcd-0'))!, /^etcd-0\s+Healthy\s+ok\s*$/);
    const scheduler = lines.find((l) => l.startsWith('scheduler'))!;
    assert.match(scheduler, /^scheduler\s+Unhealthy\s+Get "https:\/\/127\.0\.0\.1:10259\/healthz": dial tcp 127\.0\.0\.1:10259: connect: connection refused/);
    const one = await server.request('GET', '/api/v1/componentstatuses/etcd-0');
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'etcd-0', creationTimestamp: null }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] });
    assert.deepEqual(one.headers.warning, '299 - "v1 ComponentStatus is deprecated in v1.19+"');
    const unknown = await server.request('GET', '/api/v1/componentstatuses/nope');
    assert.equal(unknown.status, 500);
    assert.equal(unknown.json.message, 'Component not found: nope');
  });

  it('connect subresources are admitted as CONNECT of their options, as upstream (a policy can refuse exec)', async () => {
    await created('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-exec' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CONNECT'], resources: ['pods/exec'] }] },
        validations: [{ expression: "object.kind != 'PodExecOptions' || !object.command.exists(c, c == 'rm')", message: 'no rm through exec' }],
      },
    });
    await created('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'no-exec' },
      spec: { policyName: 'no-exec', validationActions: ['Deny'] },
    });
    await created(pods, pod('guarded'));
    let denied: Awaited<ReturnType<TestServer['request']>> | undefined;
    await eventually(async () => {
      denied = await server.request('POST', `${pods}/guarded/exec?command=rm&command=-rf&stdout=true`);
      return denied.status === 422;
    }, 'the policy to refuse exec');
    assert.match(denied!.json.message, /denied request: no rm through exec$/);
    // Other commands pass admission and meet the missing node.
    const ls = await server.request('POST', `${pods}/guarded/exec?command=ls&stdout=true`);
    assert.equal(ls.status, 400, ls.text);
    assert.equal(ls.json.message, 'pod guarded does not have a host assigned');
  });

  it('kubectl get nodes and quota print upstream columns', async () => {
    await created('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true } });
    const status = {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.7' }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    };
    assert.equal((await server.request('PATCH', '/api/v1/nodes/cp-1/status', { status }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    // Source: pkg/printers/internalversion printNode (status, roles, wide addresses and <unknown> defaults).
    const nodes = await ok(['get', 'nodes', 'cp-1']);
    assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\ncp-1\s+Ready,SchedulingDisabled\s+control-plane\s+\d+s\s+v1\.32\.4\n$/);
    const wide = await ok(['get', 'nodes', 'cp-1', '-o', 'wide', '--no-headers']);
    assert.match(wide, /^cp-1\s+Ready,SchedulingDisabled\s+control-plane\s+\d+s\s+v1\.32\.4\s+10\.0\.0\.7\s+<none>\s+Debian GNU\/Linux 12\s+6\.1\.0\s+containerd:\/\/1\.7\.0\n$/);

    await created(`/api/v1/namespaces/${ns}/resourcequotas`, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'small' }, spec: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi', pods: '4' } } });
    const quota = { status: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi', pods: '4' }, used: { 'requests.cpu': '0', 'limits.memory': '0', pods: '2' } } };
    assert.equal((await server.request('PATCH', `/api/v1/namespaces/${ns}/resourcequotas/small/status`, quota, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    // Source: pkg/printers/internalversion printResourceQuota (sorted names, limits.* in LIMIT).
    assert.match(await ok(['get', 'quota', 'small']), /^NAME\s+AGE\s+REQUEST\s+LIMIT\nsmall\s+\d+s\s+pods: \d+\/4, requests\.cpu: 0\/1\s+limits\.memory: 0\/1Gi\n$/);
  });
});
