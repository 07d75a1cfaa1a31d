/**
 * The workload kinds' strategies through the server, as upstream's pkg/registry/<group>/<kind>/strategy.go:
 * generation (1 on create, bumped by spec changes, by annotation changes for Deployments, none for Pods, Leases
 * and HPAs), status reset on create and ignored by updates, Pod QoS and phase, DaemonSet template generation,
 * Job's generated selector and labels, StatefulSet claim templates, and the update rules' errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const ns = '/namespaces/default';
const apps = `/apis/apps/v1${ns}`;
const labels = { app: 'web' };
const podSpec = { containers: [{ name: 'web', image: 'nginx:1.27' }] };
const template = { metadata: { labels }, spec: podSpec };
const deployment = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { selector: { matchLabels: labels }, template, ...extra }, status: { replicas: 7 } });

function causes(r: { json: { details?: { causes?: Array<{ field: string; reason: string; message: string }> } } }) {
  return (r.json.details?.causes ?? []).map((c) => `${c.field} ${c.reason}: ${c.message}`);
}

describe('workload strategies', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('Deployment: generation 1 and empty status on create; bumped by spec and annotation changes, not labels; status ignored', async () => {
    const c = await server.request('POST', `${apps}/deployments`, deployment('gen'));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.generation, 1);
    assert.equal(c.json.status?.replicas ?? 0, 0);
    const put = async (mutate: (o: any) => void) => {
      const cur = (await server.request('GET', `${apps}/deployments/gen`)).json;
      mutate(cur);
      const r = await server.request('PUT', `${apps}/deployments/gen`, cur);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    assert.equal((await put((o) => (o.metadata.labels = { x: 'y' }))).metadata.generation, 1);
    assert.equal((await put((o) => (o.metadata.annotations = { note: 'a' }))).metadata.generation, 2);
    assert.equal((await put((o) => (o.spec.replicas = 3))).metadata.generation, 3);
    const s = await put((o) => {
      o.status = { replicas: 9 };
      o.metadata.generation = 42;
    });
    assert.equal(s.metadata.generation, 3);
    assert.equal(s.status?.replicas ?? 0, 0);
  });

  it('Deployment: selector immutable in apps/v1, with upstream message', async () => {
    const cur = (await server.request('GET', `${apps}/deployments/gen`)).json;
    cur.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
    cur.spec.template.metadata.labels = { app: 'web', tier: 'x' };
    const r = await server.request('PUT', `${apps}/deployments/gen`, cur);
    assert.equal(r.status, 422);
    assert.deepEqual(causes(r), [
      'spec.selector FieldValueInvalid: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('Deployment: selector must match template labels, restartPolicy Always, valid pod template', async () => {
    const mismatch = await server.request('POST', `${apps}/deployments`, { metadata: { name: 'bad1' }, spec: { selector: { matchLabels: { app: 'other' } }, template } });
    assert.equal(mismatch.status, 422);
    assert.deepEqual(causes(mismatch), ['spec.template.metadata.labels FieldValueInvalid: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']);
    assert.equal(mismatch.json.message, 'Deployment.apps "bad1" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');

    const never = await server.request('POST', `${apps}/deployments`, deployment('bad2', { template: { ...template, spec: { ...podSpec, restartPolicy: 'Never' } } }));
    assert.deepEqual(causes(never), ['spec.template.spec.restartPolicy FieldValueNotSupported: Unsupported value: "Never": supported values: "Always"']);

    const badContainer = await server.request('POST', `${apps}/deployments`, deployment('bad3', { template: { ...template, spec: { containers: [{ name: 'Web_1', image: 'nginx', env: [{ name: 'A=B', value: 'x' }], ports: [{ containerPort: 70000 }] }] } } }));
    assert.equal(badContainer.status, 422);
    assert.deepEqual(causes(badContainer).sort(), [
      `spec.template.spec.containers[0].env[0].name FieldValueInvalid: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      `spec.template.spec.containers[0].name FieldValueInvalid: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'spec.template.spec.containers[0].ports[0].containerPort FieldValueInvalid: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);

    const resources = await server.request('POST', `${apps}/deployments`, deployment('bad4', { template: { ...template, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] } } }));
    assert.deepEqual(causes(resources), ['spec.template.spec.containers[0].resources.requests FieldValueInvalid: Invalid value: "2": must be less than or equal to cpu limit of 1']);
  });

  it('Deployment and ReplicaSet: a name that is not a DNS label gets upstream\'s warning', async () => {
    const r = await server.request('POST', `${apps}/replicasets`, deployment('web.v1'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.warning, '299 - "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"');
  });

  it('Pod: Pending with its QoS class, no generation; status and generation ignored by updates', async () => {
    const best = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'qos-best' }, spec: podSpec, status: { phase: 'Running' } });
    assert.equal(best.status, 201, best.text);
    assert.equal(best.json.status.phase, 'Pending');
    assert.equal(best.json.status.qosClass, 'BestEffort');
    assert.equal(best.json.metadata.generation, undefined);
    const guaranteed = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'qos-g' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] } });
    assert.equal(guaranteed.json.status.qosClass, 'Guaranteed');
    assert.deepEqual(guaranteed.json.spec.containers[0].resources.requests, { cpu: '500m', memory: '64Mi' });
    const burstable = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'qos-b' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } });
    assert.equal(burstable.json.status.qosClass, 'Burstable');

    const cur = best.json;
    cur.status = { phase: 'Succeeded' };
    cur.metadata.generation = 5;
    cur.spec.containers[0].image = 'nginx:1.28';
    const u = await server.request('PUT', `/api/v1${ns}/pods/qos-best`, cur);
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.status.phase, 'Pending');
    assert.equal(u.json.metadata.generation, undefined);
  });

  it('Pod: scheduling gates add the PodScheduled=False SchedulingGated condition', async () => {
    const r = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'gated' }, spec: { ...podSpec, schedulingGates: [{ name: 'example.com/wait' }] } });
    assert.equal(r.status, 201, r.text);
    const cond = r.json.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'SchedulingGated');
    assert.equal(cond.message, 'Scheduling is blocked due to non-empty scheduling gates');
  });

  it('Pod: updates may change images only, with upstream message; image is required', async () => {
    const cur = (await server.request('GET', `/api/v1${ns}/pods/qos-b`)).json;
    cur.spec.containers[0].name = 'renamed';
    const r = await server.request('PUT', `/api/v1${ns}/pods/qos-b`, cur);
    assert.equal(r.status, 422);
    assert.ok(causes(r).some((c) => c.startsWith('spec FieldValueForbidden: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')), causes(r).join('\n'));
    const noImage = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'noimage' }, spec: { containers: [{ name: 'c' }] } });
    assert.deepEqual(causes(noImage), ['spec.containers[0].image FieldValueRequired: Required value']);
  });

  it('DaemonSet: template generation annotation 1 on create, bumped by template changes only', async () => {
    const c = await server.request('POST', `${apps}/daemonsets`, { metadata: { name: 'ds', annotations: { 'deprecated.daemonset.template.generation': '0' } }, spec: { selector: { matchLabels: labels }, template } });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    assert.equal(c.json.metadata.generation, 1);
    const cur = c.json;
    cur.spec.minReadySeconds = 5;
    cur.metadata.annotations['deprecated.daemonset.template.generation'] = '9';
    const u1 = (await server.request('PUT', `${apps}/daemonsets/ds`, cur)).json;
    assert.equal(u1.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    assert.equal(u1.metadata.generation, 2);
    u1.spec.template.spec.containers[0].image = 'nginx:1.28';
    delete u1.metadata.annotations;
    const u2 = (await server.request('PUT', `${apps}/daemonsets/ds`, u1)).json;
    assert.equal(u2.metadata.annotations['deprecated.daemonset.template.generation'], '2');
    assert.equal(u2.metadata.generation, 3);
  });

  it('StatefulSet: claim templates carry apiVersion and kind; only some spec fields may change', async () => {
    // Pods mount the claim templates' volumes, which the pod spec alone does not declare: upstream checks only
    // the template's labels for StatefulSets.
    const stsTemplate = { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] } };
    const sts = { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: labels }, template: stsTemplate, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } };
    const c = await server.request('POST', `${apps}/statefulsets`, sts);
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.spec.volumeClaimTemplates[0].apiVersion, 'v1');
    assert.equal(c.json.spec.volumeClaimTemplates[0].kind, 'PersistentVolumeClaim');
    assert.equal(c.json.metadata.generation, 1);
    const cur = c.json;
    cur.spec.serviceName = 'other';
    const r = await server.request('PUT', `${apps}/statefulsets/db`, cur);
    assert.equal(r.status, 422);
    assert.deepEqual(causes(r), [
      "spec FieldValueForbidden: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('Job: generated selector and labels unless manualSelector; refused when they conflict', async () => {
    const job = { metadata: { name: 'pi' }, spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } };
    const c = await server.request('POST', `/apis/batch/v1${ns}/jobs`, job);
    assert.equal(c.status, 201, c.text);
    const uid = c.json.metadata.uid;
    const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    assert.deepEqual(c.json.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual(c.json.spec.template.metadata.labels, generated);
    assert.deepEqual(c.json.metadata.labels, generated);
    assert.equal(c.json.spec.manualSelector, false);
    assert.equal(c.json.metadata.generation, 1);

    const conflict = await server.request('POST', `/apis/batch/v1${ns}/jobs`, { metadata: { name: 'pi2' }, spec: { template: { metadata: { labels: { 'job-name': 'x' } }, spec: { ...podSpec, restartPolicy: 'Never' } } } });
    assert.equal(conflict.status, 422);
    assert.deepEqual(causes(conflict), [`spec.template.metadata.labels[job-name] FieldValueInvalid: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${conflict.json.details?.causes?.[0]?.message.match(/controller-uid":"([^"]+)"/)?.[1]}", "batch.kubernetes.io/job-name":"pi2", "controller-uid":"${conflict.json.details?.causes?.[0]?.message.match(/controller-uid":"([^"]+)"/)?.[1]}", "job-name":"x"}: must be 'pi2'`]);

    const manual = await server.request('POST', `/apis/batch/v1${ns}/jobs`, { metadata: { name: 'manual' }, spec: { manualSelector: true, selector: { matchLabels: { run: 'm' } }, template: { metadata: { labels: { run: 'm' } }, spec: { ...podSpec, restartPolicy: 'OnFailure' } } } });
    assert.equal(manual.status, 201, manual.text);
    assert.deepEqual(manual.json.spec.template.metadata.labels, { run: 'm' });

    const always = await server.request('POST', `/apis/batch/v1${ns}/jobs`, { metadata: { name: 'always' }, spec: { template: { spec: podSpec } } });
    assert.deepEqual(causes(always), ['spec.template.spec.restartPolicy FieldValueRequired: Required value: valid values: "OnFailure", "Never"']);
  });

  it('Job: the template is immutable unless the job is suspended and never started', async () => {
    const cur = (await server.request('GET', `/apis/batch/v1${ns}/jobs/pi`)).json;
    cur.spec.template.spec.nodeSelector = { disk: 'ssd' };
    const r = await server.request('PUT', `/apis/batch/v1${ns}/jobs/pi`, cur);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.causes.map((c: { field: string }) => c.field), ['spec.template']);
    const s = await server.request('POST', `/apis/batch/v1${ns}/jobs`, { metadata: { name: 'held' }, spec: { suspend: true, template: { spec: { ...podSpec, restartPolicy: 'Never' } } } });
    s.json.spec.template.spec.nodeSelector = { disk: 'ssd' };
    const ok = await server.request('PUT', `/apis/batch/v1${ns}/jobs/held`, s.json);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.metadata.generation, 2);
  });

  it('Lease and HPA keep no generation; CronJob, PDB, Ingress, NetworkPolicy start at 1', async () => {
    const lease = await server.request('POST', `/apis/coordination.k8s.io/v1${ns}/leases`, { metadata: { name: 'l' }, spec: { holderIdentity: 'a' } });
    assert.equal(lease.status, 201, lease.text);
    assert.equal(lease.json.metadata.generation, undefined);
    lease.json.spec.holderIdentity = 'b';
    assert.equal((await server.request('PUT', `/apis/coordination.k8s.io/v1${ns}/leases/l`, lease.json)).json.metadata.generation, undefined);
    const hpa = await server.request('POST', `/apis/autoscaling/v2${ns}/horizontalpodautoscalers`, { metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gen' }, maxReplicas: 3 } });
    assert.equal(hpa.status, 201, hpa.text);
    assert.equal(hpa.json.metadata.generation, undefined);
    const pdb = await server.request('POST', `/apis/policy/v1${ns}/poddisruptionbudgets`, { metadata: { name: 'p' }, spec: { minAvailable: 1, selector: { matchLabels: labels } }, status: { currentHealthy: 3 } });
    assert.equal(pdb.status, 201, pdb.text);
    assert.equal(pdb.json.metadata.generation, 1);
    assert.equal(pdb.json.status?.currentHealthy ?? 0, 0);
    const np = await server.request('POST', `/apis/networking.k8s.io/v1${ns}/networkpolicies`, { metadata: { name: 'n' }, spec: { podSelector: {} } });
    assert.equal(np.json.metadata.generation, 1);
  });

  it('pod templates and pods get upstream\'s warnings (deprecated node labels, hidden env, duplicate ports)', async () => {
    const spec = {
      nodeSelector: { 'beta.kubernetes.io/os': 'linux' },
      containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 80 }] }],
    };
    const d = await server.request('POST', `${apps}/deployments`, { metadata: { name: 'warned' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } });
    assert.equal(d.status, 201, d.text);
    const warnings = String(d.headers.warning).split(/, (?=299 )/);
    assert.deepEqual(warnings.sort(), [
      '299 - "spec.template.spec.containers[0].env[1]: hides previous definition of \\"A\\", which may be dropped when using apply"',
      '299 - "spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]"',
      '299 - "spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \\"kubernetes.io/os\\" instead"',
    ]);
    const p = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'warned' }, spec });
    assert.equal(p.status, 201, p.text);
    assert.match(String(p.headers.warning), /299 - "spec\.nodeSelector\[beta\.kubernetes\.io\/os\]: deprecated since v1\.14/);
    const cj = await server.request('POST', `/apis/batch/v1${ns}/cronjobs`, { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'OnFailure' } } } } } });
    assert.equal(cj.status, 201, cj.text);
    assert.match(String(cj.headers.warning), /299 - "spec\.jobTemplate\.spec\.template\.spec\.nodeSelector\[beta\.kubernetes\.io\/os\]/);
  });

  it('claims, StatefulSet claim templates and ephemeral volumes warn of fractional storage bytes as upstream', async () => {
    const fractional = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1.5' }, limits: { storage: '2.5' } } };
    const c = await server.request('POST', `/api/v1${ns}/persistentvolumeclaims`, { metadata: { name: 'part-byte', annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' } }, spec: fractional });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(String(c.headers.warning).split(/, (?=299 )/), [
      '299 - "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use \\"storageClassName\\" attribute instead"',
      '299 - "spec.resources.requests[storage]: fractional byte value \\"1500m\\" is invalid, must be an integer"',
      '299 - "spec.resources.limits[storage]: fractional byte value \\"2500m\\" is invalid, must be an integer"',
    ]);
    const sts = { metadata: { name: 'part-byte' }, spec: { serviceName: 'db', selector: { matchLabels: labels }, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: fractional }] } };
    const created = await server.request('POST', `${apps}/statefulsets`, sts);
    assert.equal(created.status, 201, created.text);
    assert.match(String(created.headers.warning), /299 - "spec\.volumeClaimTemplates\[0\]\.resources\.requests\[storage\]: fractional byte value \\"1500m\\" is invalid/);
    // Upstream's update path names the template's spec `Spec`.
    const updated = await server.request('PUT', `${apps}/statefulsets/part-byte`, { ...created.json, spec: { ...created.json.spec, replicas: 2 } });
    assert.equal(updated.status, 200, updated.text);
    assert.match(String(updated.headers.warning), /299 - "spec\.volumeClaimTemplates\[0\]\.Spec\.resources\.limits\[storage\]: fractional byte value \\"2500m\\" is invalid/);
    const volumes = [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: fractional } } }];
    const p = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'part-byte' }, spec: { ...podSpec, volumes } });
    assert.equal(p.status, 201, p.text);
    assert.match(String(p.headers.warning), /299 - "spec\.volumes\[0\]\.ephemeral\.volumeClaimTemplate\.spec\.resources\.requests\[storage\]: fractional byte value/);
  });

  it('CronJob names fit a job name with its timestamp; indexed Job pods need DNS-label hostnames', async () => {
    const name = 'c'.repeat(53);
    const cj = await server.request('POST', `/apis/batch/v1${ns}/cronjobs`, { metadata: { name }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } } } });
    assert.equal(cj.status, 422);
    assert.deepEqual(causes(cj), [`metadata.name FieldValueInvalid: Invalid value: "${name}": must be no more than 52 characters`]);
    const job = await server.request('POST', `/apis/batch/v1${ns}/jobs`, { metadata: { name: 'j'.repeat(62) }, spec: { completionMode: 'Indexed', completions: 10, template: { spec: { ...podSpec, restartPolicy: 'Never' } } } });
    assert.equal(job.status, 422);
    assert.deepEqual(causes(job), [`metadata.name FieldValueInvalid: Invalid value: "${'j'.repeat(62)}": will not able to create pod with invalid DNS label: ${'j'.repeat(62)}-9`]);
  });

  it('Pod: resource names and env valueFrom sources are validated as upstream', async () => {
    const pod = (name: string, container: object) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'x', ...container }] } });
    const res = await server.request('POST', `/api/v1${ns}/pods`, pod('res', { resources: { requests: { foo: '1' } } }));
    assert.deepEqual(causes(res), [
      'spec.containers[0].resources.requests[foo] FieldValueInvalid: Invalid value: "foo": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[foo] FieldValueInvalid: Invalid value: "foo": must be a standard resource for containers',
    ]);
    const empty = await server.request('POST', `/api/v1${ns}/pods`, pod('env', { env: [{ name: 'X', valueFrom: {} }] }));
    assert.deepEqual(causes(empty), ['spec.containers[0].env[0].valueFrom FieldValueInvalid: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`']);
    // A path the downward API cannot convert at all, and one it knows that env vars may not use.
    const unknown = await server.request('POST', `/api/v1${ns}/pods`, pod('unknown', { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } }] }));
    assert.deepEqual(causes(unknown), ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath FieldValueInvalid: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo']);
    const field = await server.request('POST', `/api/v1${ns}/pods`, pod('field', { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.schedulerName' } } }] }));
    assert.deepEqual(causes(field), [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath FieldValueNotSupported: Unsupported value: "spec.schedulerName": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ]);
    const good = await server.request('POST', `/api/v1${ns}/pods`, pod('good', { env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }], resources: { limits: { 'nvidia.com/gpu': '1' } } }));
    assert.equal(good.status, 201, good.text);
  });

  it('Pod updates: the grace period only from negative to 1, activeDeadlineSeconds only down; a negative grace period warns', async () => {
    const c = await server.request('POST', `/api/v1${ns}/pods`, { metadata: { name: 'grace' }, spec: { ...podSpec, terminationGracePeriodSeconds: -5, activeDeadlineSeconds: 100 } });
    assert.equal(c.status, 201, c.text);
    assert.match(String(c.headers.warning), /spec\.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1/);
    const put = (mutate: (o: any) => void) => {
      const o = structuredClone(c.json);
      mutate(o);
      delete o.metadata.resourceVersion;
      return server.request('PUT', `/api/v1${ns}/pods/grace`, o);
    };
    assert.equal((await put((o) => (o.spec.terminationGracePeriodSeconds = 1))).status, 200);
    const cur = (await server.request('GET', `/api/v1${ns}/pods/grace`)).json;
    cur.spec.terminationGracePeriodSeconds = 30;
    const r = await server.request('PUT', `/api/v1${ns}/pods/grace`, cur);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.causes.map((x: { field: string }) => x.field), ['spec']);
    const up = await server.request('PUT', `/api/v1${ns}/pods/grace`, { ...cur, spec: { ...cur.spec, terminationGracePeriodSeconds: 1, activeDeadlineSeconds: 200 } });
    assert.deepEqual(causes(up), ['spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: 200: must be less than or equal to previous value']);
    const { activeDeadlineSeconds: _a, ...noDeadline } = cur.spec;
    const gone = await server.request('PUT', `/api/v1${ns}/pods/grace`, { ...cur, spec: { ...noDeadline, terminationGracePeriodSeconds: 1 } });
    assert.deepEqual(causes(gone), ['spec.activeDeadlineSeconds FieldValueInvalid: Invalid value: "null": must not update from a positive integer to nil value']);
  });

  it('Job status: written through /status only, with non-negative counts', async () => {
    const cur = (await server.request('GET', `/apis/batch/v1${ns}/jobs/pi`)).json;
    const ignored = await server.request('PUT', `/apis/batch/v1${ns}/jobs/pi`, { ...cur, status: { active: 1 } });
    assert.equal(ignored.status, 200, ignored.text);
    assert.equal(ignored.json.status?.active, undefined);
    const written = await server.request('PUT', `/apis/batch/v1${ns}/jobs/pi/status`, { ...ignored.json, status: { active: 1 } });
    assert.equal(written.status, 200, written.text);
    assert.equal(written.json.status.active, 1);
    assert.equal(written.json.metadata.generation, ignored.json.metadata.generation);
    const negative = await server.request('PUT', `/apis/batch/v1${ns}/jobs/pi/status`, { ...written.json, status: { active: -1 } });
    assert.deepEqual(causes(negative), ['status.active FieldValueInvalid: Invalid value: -1: must be greater than or equal to 0']);
  });
});
