/**
 * Bodies a built-in kind's Go types cannot take are 400 BadRequest with the words of kube-apiserver v1.32's decoder
 * (sigs.k8s.io/json, Go's encoding/json errors, handlers/rest.go's transformDecodeError), never 422, and store
 * nothing; DeleteOptions tagged with the resource's own group version (as client-go sends them, in protobuf) are
 * accepted; Nodes are selectable by spec.unschedulable. Against a real server process and the real kubectl.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const deployments = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...spec },
  };
}

/** A body and the message upstream answers it with (after the `<Kind> in version "v1" cannot be handled as a <Kind>: ` prefix). */
interface Case {
  name: string;
  path: string;
  body: string;
  contentType?: string;
  message: string;
}

const handled = (kind: string) => `${kind} in version "v1" cannot be handled as a ${kind}: `;

// Messages: Go's encoding/json UnmarshalTypeError ("json: cannot unmarshal <value> into Go struct field
// <Struct>.<path> of type <type>", path of field names from the root, the struct the field is in), base64's
// CorruptInputError, time.ParseError, resource.ErrFormatWrong; wrapped by transformDecodeError.
const cases: Case[] = [
  {
    name: 'a string where an int32 belongs',
    path: deployments,
    body: JSON.stringify(deployment('d1', { replicas: '3' })),
    message: handled('Deployment') + 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  {
    name: 'a fraction where an int32 belongs',
    path: deployments,
    body: JSON.stringify(deployment('d2')).replace('"spec":{', '"spec":{"replicas":1.0,'),
    message: handled('Deployment') + 'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  {
    name: 'an int32 overflow',
    path: deployments,
    body: JSON.stringify(deployment('d3', { replicas: 3000000000 })),
    message: handled('Deployment') + 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  {
    name: 'an object where a list of containers belongs',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: { name: 'c', image: 'nginx' } } }),
    message: handled('Pod') + 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
  },
  {
    name: 'a nested field in a list element names the element struct and the path without indexes',
    path: deployments,
    body: JSON.stringify(deployment('d4', { template: { metadata: { labels: { app: 'd4' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: '80' }] }] } } })),
    message: handled('Deployment') + 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
  },
  {
    name: 'a number in a map of strings',
    path: '/api/v1/namespaces/default/configmaps',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', labels: { a: 1 } } }),
    message: handled('ConfigMap') + 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  },
  {
    name: 'metadata that is not an object',
    path: '/api/v1/namespaces/default/configmaps',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: 'c2' }),
    message: handled('ConfigMap') + 'json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta',
  },
  {
    name: 'a number where a named string type belongs',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, protocol: 6 }] }] } }),
    message: handled('Pod') + 'json: cannot unmarshal number into Go struct field ContainerPort.spec.containers.ports.protocol of type v1.Protocol',
  },
  {
    name: 'a quantity that does not parse',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p3' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1 core' } } }] } }),
    message: handled('Pod') + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    name: "a quantity with a suffix that is not one",
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p4' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { memory: '512mi' } } }] } }),
    message: handled('Pod') + "unable to parse quantity's suffix",
  },
  {
    name: 'Secret data that is not base64',
    path: '/api/v1/namespaces/default/secrets',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { a: 'YWJj', b: 'not base64' } }),
    message: handled('Secret') + 'illegal base64 data at input byte 3',
  },
  {
    name: 'a time that does not parse',
    path: '/api/v1/namespaces/default/configmaps',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c3', creationTimestamp: '2024-13-01T00:00:00Z' } }),
    message: handled('ConfigMap') + 'parsing time "2024-13-01T00:00:00Z": month out of range',
  },
  {
    name: 'a time that is not RFC 3339',
    path: '/api/v1/namespaces/default/configmaps',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c4', creationTimestamp: 'yesterday' } }),
    message: handled('ConfigMap') + 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
  },
  {
    name: 'an int-or-string given a boolean',
    path: '/api/v1/namespaces/default/services',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1' }, spec: { ports: [{ port: 80, targetPort: true }] } }),
    message: handled('Service') + 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
  },
  {
    name: 'the first type error wins, a quantity error after it wins over it (it stops decoding)',
    path: '/api/v1/namespaces/default/pods',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p5' }, spec: { priority: 'high', containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 'lots' } } }] } }),
    message: handled('Pod') + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    name: 'YAML: a string where an int32 belongs',
    path: deployments,
    contentType: 'application/yaml',
    body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d5\nspec:\n  replicas: "3"\n',
    message: handled('Deployment') + 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
];

describe('bodies the Go types cannot take', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const c of cases) {
    test(c.name, async () => {
      const res = await server.request('POST', c.path, c.body, { 'Content-Type': c.contentType ?? 'application/json' });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.reason, 'BadRequest');
      assert.equal(res.json.message, c.message);
      const name = /name: (\S+)|"name":"([^"]+)"/.exec(c.body);
      if (name) assert.equal((await server.request('GET', `${c.path}/${name[1] ?? name[2]}`)).status, 404, 'nothing is stored');
    });
  }

  test('an update is refused the same way and changes nothing', async () => {
    assert.equal((await server.request('POST', deployments, deployment('u1'))).status, 201);
    const res = await server.request('PUT', `${deployments}/u1`, deployment('u1', { replicas: 'two' }));
    assert.equal(res.status, 400);
    assert.equal(res.json.message, handled('Deployment') + 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal((await server.request('GET', `${deployments}/u1`)).json.metadata.generation, 1);
  });

  test('apiVersion or kind that cannot be read: "the object provided is unrecognized"', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', '{"kind":5}');
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind":5})');
    const syntax = await server.request('POST', '/api/v1/namespaces/default/configmaps', 'xyz');
    assert.equal(syntax.status, 400);
    assert.equal(syntax.json.message, "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value (78797a)");
    // Go's decoder matches TypeMeta's members whatever their case, the Kelvin sign folding to k; other members are not read.
    for (const [body, what] of [['{"KIND":[1]}', 'array into Go struct field .kind'], ['{"ApiVersion":true}', 'bool into Go struct field .apiVersion'], ['{"\u212aind":{}}', 'object into Go struct field .kind']]) {
      const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', body);
      assert.equal(res.status, 400);
      assert.match(res.json.message, new RegExp(`^the object provided is unrecognized \\(must be of type ConfigMap\\): couldn't get version/kind; json parse error: json: cannot unmarshal ${what} of type string `));
    }
    const groupVersion = await server.request('POST', '/api/v1/namespaces/default/configmaps', '{"apiversion":"a/b/c","kinds":1,"data":1}');
    assert.equal(groupVersion.status, 400);
    assert.match(groupVersion.json.message, /: unexpected GroupVersion string: a\/b\/c /);
  });

  test('valid unusual values Go accepts still pass (a quantity as a number, base64 with a newline, a time with a fraction)', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok1' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: 1 } } }] } };
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/pods', pod)).status, 201);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ok2' }, data: { a: 'YWJj\nZGVm' } };
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/secrets', secret)).status, 201);
  });

  test('kubectl create -f prints upstream\'s error', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: k1\nspec:\n  replicas: "3"\n  selector:\n    matchLabels: {app: k1}\n  template:\n    metadata:\n      labels: {app: k1}\n    spec:\n      containers: [{name: c, image: nginx}]\n';
    const res = await kubectl.run(['create', '-f', '-'], manifest);
    assert.notEqual(res.code, 0);
    assert.equal(res.stderr.trim(), 'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });
});

/** Protobuf as client-go writes it: varint lengths, then the fields in number order. */
function field(n: number, bytes: Uint8Array): Buffer {
  const len: number[] = [];
  let l = bytes.length;
  do {
    len.push((l & 0x7f) | (l > 0x7f ? 0x80 : 0));
    l >>= 7;
  } while (l);
  return Buffer.concat([Buffer.from([(n << 3) | 2, ...len]), bytes]);
}
const str = (n: number, s: string) => field(n, Buffer.from(s));

/**
 * A DeleteOptions body as client-go sends it for a Deployment: the `k8s\0` envelope, runtime.Unknown{typeMeta:
 * {apiVersion: apps/v1, kind: DeleteOptions}, raw, contentEncoding: "", contentType: ""}, raw being
 * DeleteOptions{propagationPolicy (4): Foreground} (k8s.io/apimachinery meta/v1 generated.proto).
 */
function deleteOptionsProtobuf(apiVersion: string, propagationPolicy: string): Buffer {
  const raw = str(4, propagationPolicy);
  const typeMeta = Buffer.concat([str(1, apiVersion), str(2, 'DeleteOptions')]);
  return Buffer.concat([Buffer.from('k8s\0'), field(1, typeMeta), field(2, raw), str(3, ''), str(4, '')]);
}

describe('meta option kinds in every group version; Node field selectors', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('a Deployment deleted with protobuf DeleteOptions tagged apps/v1 (propagationPolicy Foreground) waits for its dependents', async () => {
    assert.equal((await server.request('POST', deployments, deployment('fg'))).status, 201);
    const res = await server.request('DELETE', `${deployments}/fg`, deleteOptionsProtobuf('apps/v1', 'Foreground'), {
      'Content-Type': 'application/vnd.kubernetes.protobuf',
      Accept: 'application/json',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Deployment');
    assert.deepEqual(res.json.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(res.json.metadata.deletionTimestamp);
  });

  test('JSON DeleteOptions tagged with the resource\'s group version are accepted too', async () => {
    assert.equal((await server.request('POST', '/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j1' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    })).status, 201);
    const res = await server.request('DELETE', '/apis/batch/v1/namespaces/default/jobs/j1', { apiVersion: 'batch/v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
  });

  test('DeleteOptions of the wrong types fail as the delete handler passes on the decoder\'s error (500, Go\'s words)', async () => {
    assert.equal((await server.request('POST', deployments, deployment('kept'))).status, 201);
    const grace = await server.request('DELETE', `${deployments}/kept`, { apiVersion: 'apps/v1', kind: 'DeleteOptions', gracePeriodSeconds: '5' });
    assert.equal(grace.status, 500, grace.text);
    assert.equal(grace.json.message, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    assert.equal(grace.json.reason, undefined);
    const uid = await server.request('DELETE', `${deployments}/kept`, { preconditions: { uid: 7 } });
    assert.equal(uid.status, 500, uid.text);
    assert.equal(uid.json.message, 'json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID');
    assert.equal((await server.request('GET', `${deployments}/kept`)).status, 200);
  });

  test('Nodes are selected by spec.unschedulable, an absent field being false (upstream NodeToSelectableFields)', async () => {
    for (const [name, spec] of [['n-sched', {}], ['n-cordoned', { unschedulable: true }]] as const) {
      assert.equal((await server.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec })).status, 201);
    }
    const names = async (selector: string) => {
      const res = await server.request('GET', `/api/v1/nodes?fieldSelector=${encodeURIComponent(selector)}`);
      assert.equal(res.status, 200, res.text);
      return res.json.items.map((n: { metadata: { name: string } }) => n.metadata.name).filter((n: string) => n.startsWith('n-'));
    };
    assert.deepEqual(await names('spec.unschedulable=false'), ['n-sched']);
    assert.deepEqual(await names('spec.unschedulable=true'), ['n-cordoned']);
    assert.deepEqual(await names('spec.unschedulable!=true,metadata.name=n-sched'), ['n-sched']);
    const bad = await server.request('GET', '/api/v1/nodes?fieldSelector=spec.nodeName%3Dx');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'field label not supported: spec.nodeName');
  });
});

describe('patched and applied objects the Go types cannot take', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    assert.equal((await server.request('POST', deployments, deployment('pd'))).status, 201);
  });
  after(async () => {
    await server?.stop();
  });

  // handlers/patch.go: a JSON or merge patch's result is decoded from JSON (Go's decoder's words), a strategic merge
  // patch's is converted from its map (runtime.DefaultUnstructuredConverter's words); both are 422 on field `patch`.
  test('a merge patch whose result cannot be decoded is 422 with the decoder\'s words and changes nothing', async () => {
    const res = await server.request('PATCH', `${deployments}/pd`, '{"spec":{"replicas":"3"}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.reason, 'Invalid');
    assert.match(res.json.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
    assert.deepEqual(res.json.details.causes.map((c: { field: string }) => c.field), ['patch']);
    assert.equal((await server.request('GET', `${deployments}/pd`)).json.spec.replicas, 1);
  });

  test('a strategic merge patch: the converter\'s words', async () => {
    const res = await server.request('PATCH', `${deployments}/pd`, '{"spec":{"replicas":"3"}}', { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.message, ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32');
    const quantity = await server.request('PATCH', `${deployments}/pd`, '{"spec":{"template":{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"x"}}}]}}}}', { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(quantity.status, 422, quantity.text);
    assert.match(quantity.json.message, /: quantities must match the regular expression '\^\(\[\+-\]\?\[0-9\.\]\+\)\(\[eEinumkKMGTP\]\*\[-\+\]\?\[0-9\]\*\)\$'$/);
  });

  test('server-side apply: what the typed configuration lets through but Go cannot convert is upstream\'s 500', async () => {
    const config = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pd\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        resources:\n          limits:\n            cpu: lots\n';
    const res = await server.request('PATCH', `${deployments}/pd?fieldManager=ci&force=true`, config, { 'Content-Type': 'application/apply-patch+yaml' });
    // A plain Go error, no APIStatus: 500 with no reason and the error's text alone (responsewriters ErrorToAPIStatus;
    // as kubernetes/kubernetes#122480 shows for the typed patch object's error of the same function).
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.reason, undefined);
    assert.equal(res.json.message, "failed to convert new object (/pd; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    const fraction = await server.request('PATCH', `${deployments}/pd?fieldManager=ci&force=true`, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pd\nspec:\n  replicas: 1.5\n', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(fraction.status, 500, fraction.text);
    assert.equal(fraction.json.message, 'failed to convert new object (/pd; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: cannot convert float64 to int32');
    assert.equal((await server.request('GET', `${deployments}/pd`)).json.spec.replicas, 1);
  });
});
