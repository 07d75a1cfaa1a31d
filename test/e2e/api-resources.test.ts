/**
 * The non-core groups as kube-apiserver v1.32 serves them by default: `kubectl api-resources -o wide` rows, group
 * versions and preferred versions (`/apis`), subresources with their verbs and kinds (`/apis/<g>/<v>`), and each
 * kind's `kubectl get` columns (the Table's column definitions, `-o wide` ones at priority 1).
 * Expected values: `kubectl api-resources -o wide` and `kubectl get --raw` against a kind v1.32 cluster with
 * default flags, the REST storage of pkg/registry/<group>/*\/storage (short names, categories, subresources), and
 * the column definitions of pkg/printers/internalversion/printers.go (v1.32).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const all = 'create,delete,deletecollection,get,list,patch,update,watch';

// NAME SHORTNAMES APIVERSION NAMESPACED KIND VERBS CATEGORIES, upstream v1.32, core group left out.
const upstreamRows = `
mutatingwebhookconfigurations - admissionregistration.k8s.io/v1 false MutatingWebhookConfiguration ${all} api-extensions
validatingadmissionpolicies - admissionregistration.k8s.io/v1 false ValidatingAdmissionPolicy ${all} api-extensions
validatingadmissionpolicybindings - admissionregistration.k8s.io/v1 false ValidatingAdmissionPolicyBinding ${all} api-extensions
validatingwebhookconfigurations - admissionregistration.k8s.io/v1 false ValidatingWebhookConfiguration ${all} api-extensions
customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition ${all} api-extensions
apiservices - apiregistration.k8s.io/v1 false APIService ${all} api-extensions
controllerrevisions - apps/v1 true ControllerRevision ${all} -
daemonsets ds apps/v1 true DaemonSet ${all} all
deployments deploy apps/v1 true Deployment ${all} all
replicasets rs apps/v1 true ReplicaSet ${all} all
statefulsets sts apps/v1 true StatefulSet ${all} all
selfsubjectreviews - authentication.k8s.io/v1 false SelfSubjectReview create -
tokenreviews - authentication.k8s.io/v1 false TokenReview create -
localsubjectaccessreviews - authorization.k8s.io/v1 true LocalSubjectAccessReview create -
selfsubjectaccessreviews - authorization.k8s.io/v1 false SelfSubjectAccessReview create -
selfsubjectrulesreviews - authorization.k8s.io/v1 false SelfSubjectRulesReview create -
subjectaccessreviews - authorization.k8s.io/v1 false SubjectAccessReview create -
horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler ${all} all
cronjobs cj batch/v1 true CronJob ${all} all
jobs - batch/v1 true Job ${all} all
certificatesigningrequests csr certificates.k8s.io/v1 false CertificateSigningRequest ${all} -
leases - coordination.k8s.io/v1 true Lease ${all} -
endpointslices - discovery.k8s.io/v1 true EndpointSlice ${all} -
events ev events.k8s.io/v1 true Event ${all} -
flowschemas - flowcontrol.apiserver.k8s.io/v1 false FlowSchema ${all} -
prioritylevelconfigurations - flowcontrol.apiserver.k8s.io/v1 false PriorityLevelConfiguration ${all} -
ingressclasses - networking.k8s.io/v1 false IngressClass ${all} -
ingresses ing networking.k8s.io/v1 true Ingress ${all} -
networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy ${all} -
runtimeclasses - node.k8s.io/v1 false RuntimeClass ${all} -
poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget ${all} -
clusterrolebindings - rbac.authorization.k8s.io/v1 false ClusterRoleBinding ${all} -
clusterroles - rbac.authorization.k8s.io/v1 false ClusterRole ${all} -
rolebindings - rbac.authorization.k8s.io/v1 true RoleBinding ${all} -
roles - rbac.authorization.k8s.io/v1 true Role ${all} -
priorityclasses pc scheduling.k8s.io/v1 false PriorityClass ${all} -
csidrivers - storage.k8s.io/v1 false CSIDriver ${all} -
csinodes - storage.k8s.io/v1 false CSINode ${all} -
csistoragecapacities - storage.k8s.io/v1 true CSIStorageCapacity ${all} -
storageclasses sc storage.k8s.io/v1 false StorageClass ${all} -
volumeattachments - storage.k8s.io/v1 false VolumeAttachment ${all} -
`.trim().split('\n');

// Subresources of the non-core group versions: name, kind, group/version when the body is another group's.
const upstreamSubresources: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1': ['validatingadmissionpolicies/status ValidatingAdmissionPolicy'],
  'apiextensions.k8s.io/v1': ['customresourcedefinitions/status CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['apiservices/status APIService'],
  'apps/v1': ['daemonsets/status DaemonSet', 'deployments/scale Scale autoscaling/v1', 'deployments/status Deployment', 'replicasets/scale Scale autoscaling/v1', 'replicasets/status ReplicaSet', 'statefulsets/scale Scale autoscaling/v1', 'statefulsets/status StatefulSet'],
  'authentication.k8s.io/v1': [],
  'authorization.k8s.io/v1': [],
  'autoscaling/v1': ['horizontalpodautoscalers/status HorizontalPodAutoscaler'],
  'autoscaling/v2': ['horizontalpodautoscalers/status HorizontalPodAutoscaler'],
  'batch/v1': ['cronjobs/status CronJob', 'jobs/status Job'],
  'certificates.k8s.io/v1': ['certificatesigningrequests/approval CertificateSigningRequest', 'certificatesigningrequests/status CertificateSigningRequest'],
  'coordination.k8s.io/v1': [],
  'discovery.k8s.io/v1': [],
  'events.k8s.io/v1': [],
  'flowcontrol.apiserver.k8s.io/v1': ['flowschemas/status FlowSchema', 'prioritylevelconfigurations/status PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['ingresses/status Ingress'],
  'node.k8s.io/v1': [],
  'policy/v1': ['poddisruptionbudgets/status PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': [],
  'scheduling.k8s.io/v1': [],
  'storage.k8s.io/v1': ['volumeattachments/status VolumeAttachment'],
};

// Column definitions, pkg/printers/internalversion/printers.go v1.32 (kube-aggregator's for APIServices; kinds
// without a printer get the default Name and Created At): `name:type` where the type is not string, `(w)` for
// priority 1 (shown by -o wide). Go's printers declare ages as string columns, whatever the cells hold.
const wide = ['Containers(w)', 'Images(w)', 'Selector(w)'];
const upstreamColumns: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1/mutatingwebhookconfigurations': ['Name', 'Webhooks:integer', 'Age'],
  'admissionregistration.k8s.io/v1/validatingadmissionpolicies': ['Name', 'Validations:integer', 'ParamKind', 'Age'],
  'admissionregistration.k8s.io/v1/validatingadmissionpolicybindings': ['Name', 'PolicyName', 'ParamRef', 'Age'],
  'admissionregistration.k8s.io/v1/validatingwebhookconfigurations': ['Name', 'Webhooks:integer', 'Age'],
  'apiextensions.k8s.io/v1/customresourcedefinitions': ['Name', 'Created At:date'],
  'apiregistration.k8s.io/v1/apiservices': ['Name', 'Service', 'Available', 'Age'],
  'apps/v1/controllerrevisions': ['Name', 'Controller', 'Revision', 'Age'],
  'apps/v1/daemonsets': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Up-to-date:integer', 'Available:integer', 'Node Selector', 'Age', ...wide],
  'apps/v1/deployments': ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', ...wide],
  'apps/v1/replicasets': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age', ...wide],
  'apps/v1/statefulsets': ['Name', 'Ready', 'Age', 'Containers(w)', 'Images(w)'],
  'autoscaling/v1/horizontalpodautoscalers': ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  'autoscaling/v2/horizontalpodautoscalers': ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  'batch/v1/cronjobs': ['Name', 'Schedule', 'Timezone', 'Suspend:boolean', 'Active:integer', 'Last Schedule', 'Age', ...wide],
  'batch/v1/jobs': ['Name', 'Status', 'Completions', 'Duration', 'Age', ...wide],
  'certificates.k8s.io/v1/certificatesigningrequests': ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
  'coordination.k8s.io/v1/leases': ['Name', 'Holder', 'Age'],
  'discovery.k8s.io/v1/endpointslices': ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  'events.k8s.io/v1/events': ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject(w)', 'Source(w)', 'Message', 'First Seen(w)', 'Count(w)', 'Name(w)'],
  'flowcontrol.apiserver.k8s.io/v1/flowschemas': ['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL'],
  'flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations': ['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age'],
  'networking.k8s.io/v1/ingressclasses': ['Name', 'Controller', 'Parameters', 'Age'],
  'networking.k8s.io/v1/ingresses': ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  'networking.k8s.io/v1/networkpolicies': ['Name', 'Pod-Selector', 'Age'],
  'node.k8s.io/v1/runtimeclasses': ['Name', 'Handler', 'Age'],
  'policy/v1/poddisruptionbudgets': ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions:integer', 'Age'],
  'rbac.authorization.k8s.io/v1/clusterrolebindings': ['Name', 'Role', 'Age', 'Users(w)', 'Groups(w)', 'ServiceAccounts(w)'],
  'rbac.authorization.k8s.io/v1/clusterroles': ['Name', 'Created At:date'],
  'rbac.authorization.k8s.io/v1/rolebindings': ['Name', 'Role', 'Age', 'Users(w)', 'Groups(w)', 'ServiceAccounts(w)'],
  'rbac.authorization.k8s.io/v1/roles': ['Name', 'Created At:date'],
  'scheduling.k8s.io/v1/priorityclasses': ['Name', 'Value:integer', 'Global-Default:boolean', 'Age', 'PreemptionPolicy'],
  'storage.k8s.io/v1/csidrivers': ['Name', 'AttachRequired:boolean', 'PodInfoOnMount:boolean', 'StorageCapacity:boolean', 'TokenRequests', 'RequiresRepublish:boolean', 'Modes', 'Age'],
  'storage.k8s.io/v1/csinodes': ['Name', 'Drivers:integer', 'Age'],
  'storage.k8s.io/v1/csistoragecapacities': ['Name', 'StorageClassName', 'Capacity'],
  'storage.k8s.io/v1/storageclasses': ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
  'storage.k8s.io/v1/volumeattachments': ['Name', 'Attacher', 'PV', 'Node', 'Attached:boolean', 'Age'],
  'v1/componentstatuses': ['Name', 'Status', 'Message', 'Error'],
  'v1/configmaps': ['Name', 'Data', 'Age'],
  'v1/endpoints': ['Name', 'Endpoints', 'Age'],
  'v1/events': ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject(w)', 'Source(w)', 'Message', 'First Seen(w)', 'Count(w)', 'Name(w)'],
  'v1/limitranges': ['Name', 'Created At:date'],
  'v1/namespaces': ['Name', 'Status', 'Age'],
  'v1/nodes': ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP(w)', 'External-IP(w)', 'OS-Image(w)', 'Kernel-Version(w)', 'Container-Runtime(w)'],
  'v1/persistentvolumeclaims': ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode(w)'],
  'v1/persistentvolumes': ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode(w)'],
  'v1/pods': ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP(w)', 'Node(w)', 'Nominated Node(w)', 'Readiness Gates(w)'],
  'v1/podtemplates': ['Name', 'Containers', 'Images', 'Pod Labels'],
  'v1/replicationcontrollers': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age', ...wide],
  'v1/resourcequotas': ['Name', 'Age', 'Request', 'Limit'], // Age moved last only in v1.33 (kubernetes#129419)
  'v1/secrets': ['Name', 'Type', 'Data', 'Age'],
  'v1/serviceaccounts': ['Name', 'Secrets', 'Age'],
  'v1/services': ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector(w)'],
};

describe('non-core groups as kube-apiserver v1.32 serves them', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('kubectl api-resources -o wide lists upstream\'s rows', async () => {
    const res = await kubectl.run(['api-resources', '-o', 'wide']);
    assert.equal(res.code, 0, res.stderr);
    const [header, ...lines] = res.stdout.trimEnd().split('\n');
    const at = (name: string) => header.indexOf(name);
    const cols = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES'].map(at);
    const rows = lines
      .map((l) => cols.map((start, i) => l.slice(start, cols[i + 1] ?? undefined).trim() || '-').join(' '))
      .filter((r) => r.split(' ')[2].includes('/'));
    assert.deepEqual(rows, upstreamRows);
  });

  it('serves upstream\'s group versions, autoscaling/v2 preferred', async () => {
    const groups = (await server.request('GET', '/apis')).json.groups as Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }>;
    const seen = Object.fromEntries(groups.map((g) => [g.name, `${g.versions.map((v) => v.version).join(',')} preferred ${g.preferredVersion.version}`]));
    const expected = Object.fromEntries(Object.keys(upstreamSubresources).map((gv) => [gv.split('/')[0], gv.split('/')[0] === 'autoscaling' ? 'v2,v1 preferred v2' : 'v1 preferred v1']));
    assert.deepEqual(seen, expected);
  });

  it('lists upstream\'s subresources, with a group version only for another group\'s body', async () => {
    for (const [gv, subs] of Object.entries(upstreamSubresources)) {
      const list = (await server.request('GET', `/apis/${gv}`)).json.resources as Array<{ name: string; kind: string; group?: string; version?: string; verbs: string[]; singularName: string }>;
      const found = list.filter((r) => r.name.includes('/'));
      assert.deepEqual(found.map((r) => [r.name, r.kind, r.group ? `${r.group}/${r.version}` : ''].filter(Boolean).join(' ')), subs, gv);
      for (const r of found) {
        assert.deepEqual(r.verbs, ['get', 'patch', 'update'], `${gv} ${r.name}`);
        assert.equal(r.singularName, '', `${gv} ${r.name}`);
      }
      for (const r of list.filter((x) => !x.name.includes('/'))) assert.equal(r.singularName, r.kind.toLowerCase(), `${gv} ${r.name}`);
    }
  });

  it('prints upstream\'s kubectl get columns for every kind', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    for (const [path, columns] of Object.entries(upstreamColumns)) {
      const res = await server.request('GET', `${path.startsWith('v1/') ? '/api' : '/apis'}/${path}?limit=1`, undefined, { accept });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      const defs = res.json.columnDefinitions as Array<{ name: string; type: string; priority: number }>;
      assert.deepEqual(defs.map((d) => d.name + (d.type === 'string' ? '' : `:${d.type}`) + (d.priority ? '(w)' : '')), columns, path);
    }
  });

  it('computes the cells as upstream\'s printers do', async () => {
    const ns = 'default';
    const post = async (path: string, body: unknown) => {
      const res = await server.request('POST', path, body);
      assert.equal(res.status, 201, res.text);
    };
    await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, { metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' }] });
    const rb = await kubectl.run(['get', 'rolebinding', 'rb', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(rb.stdout, /^rb\s+ClusterRole\/view\s+\d+s\s+alice, bob\s+ci\/robot\n$/);

    await post(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, { metadata: { name: 'web' }, spec: { rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] } });
    const ing = await kubectl.run(['get', 'ingress', 'web', '-n', ns, '--no-headers']);
    assert.match(ing.stdout, /^web\s+<none>\s+a\.example\.com,b\.example\.com\s+80, 443\s+\d+s\n$/);

    await post(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, { metadata: { name: 'es' }, addressType: 'IPv4', ports: [{ port: 80 }, { name: 'https' }], endpoints: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((a) => ({ addresses: [a] })) });
    const es = await kubectl.run(['get', 'endpointslice', 'es', '-n', ns, '--no-headers']);
    assert.match(es.stdout, /^es\s+IPv4\s+80,https\s+10\.0\.0\.1,10\.0\.0\.2,10\.0\.0\.3 \+ 1 more\.\.\.\s+\d+s\n$/);

    await post(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, { metadata: { name: 'hpa' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 } });
    const hpa = await kubectl.run(['get', 'hpa', 'hpa', '-n', ns, '--no-headers']);
    assert.match(hpa.stdout, /^hpa\s+Deployment\/web\s+cpu: <unknown>\/80%\s+1\s+5\s+0\s+\d+s\n$/);

    await post(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, { metadata: { name: 'ev1' }, eventTime: new Date().toISOString().replace('Z', '000Z'), regarding: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{c}' }, reason: 'Pulled', action: 'Pull', type: 'Normal', note: 'pulled image ', reportingController: 'kubelet', reportingInstance: 'node-1' });
    const ev = await kubectl.run(['get', 'events.events.k8s.io', 'ev1', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(ev.stdout, /^\d+s\s+Normal\s+Pulled\s+pod\/web-1\s+spec\.containers\{c\}\s+kubelet, node-1\s+pulled image\s+\d+s\s+1\s+ev1\n$/);

    await post(`/apis/batch/v1/namespaces/${ns}/cronjobs`, { metadata: { name: 'cj' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } });
    const cj = await kubectl.run(['get', 'cronjob', 'cj', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(cj.stdout, /^cj\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\s+c\s+busybox\s+<none>\n$/);

    // A pod not yet scheduled: <none> for what it lacks; then restarts with the age of the latest one, and gates.
    await post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'p' }, spec: { readinessGates: [{ conditionType: 'example.com/ready' }], containers: [{ name: 'c', image: 'nginx' }] } });
    const pending = await kubectl.run(['get', 'pod', 'p', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(pending.stdout, /^p\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+0\/1\n$/);
    const finished = new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const status = await server.request('PATCH', `/api/v1/namespaces/${ns}/pods/p/status`, { status: { phase: 'Running', podIPs: [{ ip: '10.1.0.7' }], conditions: [{ type: 'example.com/ready', status: 'True' }], containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', ready: true, restartCount: 2, started: true, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: finished } } }] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
    const running = await kubectl.run(['get', 'pod', 'p', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(running.stdout, /^p\s+1\/1\s+Running\s+2 \(2m\d*s? ago\)\s+\d+s\s+10\.1\.0\.7\s+<none>\s+<none>\s+1\/1\n$/);

    // A finished pod's row carries upstream's Completed condition (printPod); kubectl v1.32 reads nothing from row
    // conditions (its --show-all filter is long gone), so it still lists the pod, as against kube-apiserver.
    await post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'done' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const succeeded = await server.request('PATCH', `/api/v1/namespaces/${ns}/pods/done/status`, { status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(succeeded.status, 200, succeeded.text);
    const table = await server.request('GET', `/api/v1/namespaces/${ns}/pods/done?includeObject=None`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(table.json.rows[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    const pods = await kubectl.run(['get', 'pods', '-n', ns, '--no-headers']);
    assert.match(pods.stdout, /^done\s+0\/1\s+Completed\s+0\s+\d+s$/m);

    // A budget prints N/A for the limit it does not set; a claim shows access modes only once bound.
    await post(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { metadata: { name: 'pdb' }, spec: { maxUnavailable: '50%' } });
    const pdb = await kubectl.run(['get', 'pdb', 'pdb', '-n', ns, '--no-headers']);
    assert.match(pdb.stdout, /^pdb\s+N\/A\s+50%\s+0\s+\d+s\n$/);
    await post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, { metadata: { name: 'claim' }, spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], resources: { requests: { storage: '1Gi' } } } });
    const claim = await kubectl.run(['get', 'pvc', 'claim', '-n', ns, '-o', 'wide', '--no-headers']);
    assert.match(claim.stdout, /^claim\s+Pending\s+<unset>\s+\d+s\s+Filesystem\n$/);
    await post('/api/v1/persistentvolumes', { metadata: { name: 'vol' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadOnlyMany', 'ReadWriteOnce'], hostPath: { path: '/data' }, claimRef: { namespace: ns, name: 'claim' } } });
    const vol = await kubectl.run(['get', 'pv', 'vol', '-o', 'wide', '--no-headers']);
    assert.match(vol.stdout, /^vol\s+5Gi\s+RWO,ROX\s+Retain\s+Pending\s+default\/claim\s+<unset>\s+\d+s\s+Filesystem\n$/);

    await post('/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/disk' });
    const sc = await kubectl.run(['get', 'storageclass', 'standard', '--no-headers']);
    assert.match(sc.stdout, /^standard \(default\)\s+example\.com\/disk\s+Delete\s+Immediate\s+false\s+\d+s\n$/);

    // A binding's parameter: `*/name` when no namespace is given, else the selector as Go's generated String() prints it.
    const binding = (name: string, paramRef: unknown) => ({ metadata: { name }, spec: { policyName: 'p', validationActions: ['Deny'], paramRef: { parameterNotFoundAction: 'Deny', ...(paramRef as object) } } });
    await post('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', binding('by-name', { name: 'limits' }));
    await post('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', binding('by-selector', { selector: { matchLabels: { tier: 'gold', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] } }));
    const bindings = await kubectl.run(['get', 'validatingadmissionpolicybindings', 'by-name', 'by-selector', '--no-headers']);
    assert.match(bindings.stdout, /^by-name\s+p\s+\*\/limits\s+\d+s\nby-selector\s+p\s+&LabelSelector\{MatchLabels:map\[string\]string\{app: web,tier: gold,\},MatchExpressions:\[\]LabelSelectorRequirement\{LabelSelectorRequirement\{Key:env,Operator:In,Values:\[a b\],\},\},\}\s+\d+s\n$/);

    // Flow schemas list in the order requests are matched: by precedence, then name.
    const schemas = (await kubectl.run(['get', 'flowschemas', '--no-headers'])).stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3));
    const byPrecedence = [...schemas].sort((a, b) => Number(a[2]) - Number(b[2]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    assert.deepEqual(schemas, byPrecedence);
    assert.deepEqual([schemas[0][0], schemas.at(-1)![0]], ['exempt', 'catch-all']);
  });
});
