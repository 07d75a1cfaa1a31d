/**
 * Objects stored before a rule existed stay updatable where upstream's strategies ratchet, and the rule holds for
 * new objects. Through the API such an object cannot be made, so the test stores a valid one, stops the server,
 * rewrites the stored bytes and starts it again.
 *
 * A pod template stored with an annotation that is invalid now (a deletion cost that is no 32-bit integer, which
 * servers before v1.21 stored freely) must not block updates of its owner: upstream's strategies pass the stored
 * template to ValidatePodTemplateSpec (pod.GetValidationOptionsFromPodTemplate sets AllowInvalidPodDeletionCost),
 * for every kind that embeds one. A stored pod affinity selector value that is no label value may stay, in the
 * template and in a Job's or DaemonSet's selector (pod.GetValidationOptionsFromPodTemplate's
 * AllowInvalidLabelValueInSelector). A PodDisruptionBudget's selector may keep label values that are invalid when the
 * stored one had such a value (the strategy's hasInvalidLabelValueInLabelSelector).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { restartWithStoredBytes } from '../support/stored-bytes.ts';

const validCost = '31337';
const invalidCost = '3.337';
const podTemplate = (app: string, restartPolicy: string) => ({
  metadata: { labels: { app }, annotations: { 'controller.kubernetes.io/pod-deletion-cost': validCost } },
  spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] },
});

const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const validValue = 'zone-b7x';
const invalidValue = 'zone/b7x';
const budget = (name: string, value: string) => ({ metadata: { name }, spec: { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: [value] }] } } });

/** A template whose pods avoid each other by a zone value, which the test then makes no label value. */
const avoidingTemplate = (app: string, restartPolicy: string) => ({
  metadata: { labels: { app } },
  spec: {
    restartPolicy,
    containers: [{ name: 'c', image: 'busybox' }],
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchExpressions: [{ key: 'zone', operator: 'In', values: [validValue] }] } }] } },
  },
});
/** Kinds whose stored template has a pod affinity selector value that is no label value, with its path. */
const affinityKinds = [
  {
    name: 'Deployment',
    path: '/apis/apps/v1/namespaces/default/deployments',
    key: '/registry/deployments/default/avoid',
    body: { metadata: { name: 'avoid' }, spec: { selector: { matchLabels: { app: 'avoid' } }, template: avoidingTemplate('avoid', 'Always') } },
  },
  {
    // The job's own selector names the value too: it may stay as the template's does.
    name: 'Job with a manual selector',
    path: '/apis/batch/v1/namespaces/default/jobs',
    key: '/registry/jobs/default/avoid',
    body: {
      metadata: { name: 'avoid' },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { app: 'avoid' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [validValue] }] },
        template: avoidingTemplate('avoid', 'Never'),
      },
    },
  },
  {
    name: 'DaemonSet',
    path: '/apis/apps/v1/namespaces/default/daemonsets',
    key: '/registry/daemonsets/default/avoid',
    body: {
      metadata: { name: 'avoid' },
      spec: { selector: { matchLabels: { app: 'avoid' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [validValue] }] }, template: avoidingTemplate('avoid', 'Always') },
    },
  },
];

/** Each kind: where it lives, the object, and its storage key. */
const kinds = [
  {
    name: 'ReplicationController',
    path: '/api/v1/namespaces/default/replicationcontrollers',
    key: '/registry/controllers/default/rc',
    body: { metadata: { name: 'rc' }, spec: { selector: { app: 'rc' }, template: podTemplate('rc', 'Always') } },
  },
  {
    name: 'Job',
    path: '/apis/batch/v1/namespaces/default/jobs',
    key: '/registry/jobs/default/job',
    body: { metadata: { name: 'job' }, spec: { suspend: true, template: podTemplate('job', 'Never') } },
  },
  {
    name: 'CronJob',
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    key: '/registry/cronjobs/default/cron',
    body: { metadata: { name: 'cron' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: podTemplate('cron', 'Never') } } } },
  },
  {
    name: 'Deployment',
    path: '/apis/apps/v1/namespaces/default/deployments',
    key: '/registry/deployments/default/deploy',
    body: { metadata: { name: 'deploy' }, spec: { selector: { matchLabels: { app: 'deploy' } }, template: podTemplate('deploy', 'Always') } },
  },
  {
    name: 'StatefulSet',
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    key: '/registry/statefulsets/default/sts',
    body: { metadata: { name: 'sts' }, spec: { selector: { matchLabels: { app: 'sts' } }, template: podTemplate('sts', 'Always') } },
  },
];

describe('objects stored before a rule existed', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-stored-cost-'));
    server = await startServer({ dataDir });
    for (const k of kinds) {
      const r = await server.request('POST', k.path, k.body);
      assert.equal(r.status, 201, r.text);
    }
    const pdb = await server.request('POST', pdbs, budget('pdb', validValue));
    assert.equal(pdb.status, 201, pdb.text);
    for (const k of affinityKinds) {
      const r = await server.request('POST', k.path, k.body);
      assert.equal(r.status, 201, r.text);
    }
    server = await restartWithStoredBytes(server, [
      ...kinds.map((k) => [k.key, validCost, invalidCost] as const),
      ['/registry/poddisruptionbudgets/default/pdb', validValue, invalidValue],
      ...affinityKinds.map((k) => [k.key, validValue, invalidValue] as const),
    ]);
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const k of kinds) {
    it(`a template's invalid deletion cost does not block an update of its ${k.name}`, async () => {
      const r = await server.request('PATCH', `${k.path}/${k.body.metadata.name}`, { metadata: { labels: { touched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.metadata.labels.touched, 'yes');
    });
  }

  it("a template's invalid deletion cost is still refused in a new object", async () => {
    const template = podTemplate('rc', 'Always');
    template.metadata.annotations['controller.kubernetes.io/pod-deletion-cost'] = invalidCost;
    const body = { metadata: { name: 'fresh' }, spec: { selector: { app: 'rc' }, template } };
    const r = await server.request('POST', kinds[0].path, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(
      r.json.message,
      'ReplicationController "fresh" is invalid: spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "3.337": must be a 32bit integer',
    );
  });

  it("a PodDisruptionBudget's stored invalid selector value does not block updates, even of the selector", async () => {
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const label = await server.request('PATCH', `${pdbs}/pdb`, { metadata: { labels: { touched: 'yes' } } }, merge);
    assert.equal(label.status, 200, label.text);
    assert.deepEqual(label.json.spec.selector.matchExpressions[0].values, [invalidValue]);
    const other = await server.request('PATCH', `${pdbs}/pdb`, { spec: { selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['zone/c'] }] } } }, merge);
    assert.equal(other.status, 200, other.text);
  });

  it("a PodDisruptionBudget's invalid selector value is still refused in a new budget", async () => {
    const r = await server.request('POST', pdbs, budget('fresh', invalidValue));
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(
      r.json.details.causes.map((c: { field: string }) => c.field),
      ['spec.selector.matchExpressions[0].values[0]'],
    );
  });

  for (const k of affinityKinds) {
    it(`a stored pod affinity selector value that is no label value does not block an update of its ${k.name}`, async () => {
      const r = await server.request('PATCH', `${k.path}/${k.body.metadata.name}`, { metadata: { labels: { touched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(r.status, 200, r.text);
    });
  }

  it('a pod affinity selector value that is no label value is still refused in a new object', async () => {
    const body = structuredClone(affinityKinds[0].body);
    body.metadata.name = 'fresh-avoid';
    body.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values = [invalidValue];
    const r = await server.request('POST', affinityKinds[0].path, body);
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(
      r.json.details.causes.map((c: { field: string }) => c.field),
      ['spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values[0]'],
    );
  });
});
