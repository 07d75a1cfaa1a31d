/**
 * Upstream's "in use" rule of DropDisabled*Fields: a field of a gate that is off stays when the stored object
 * already uses it (an object written while the gate was on, or by an older server that kept it). Through the API
 * that stored object cannot be made (create drops the field), so the droppers are called as the strategies call
 * them, with the stored object as `old`; likewise the validation that allows a 0-second sleep only when the stored
 * spec has one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropDisabledPodSpecFields, dropDisabledPodStatusFields } from '../../runtime/registry/strategies/core/pod-disabled-fields.ts';
import { dropDisabledFields } from '../../runtime/registry/disabled-fields.ts';
import '../../runtime/registry/strategies/index.ts';
import type { KindRegistration } from '../../runtime/machinery/registration.ts';
import { validate_PodSpec } from '../../apis/core/v1/podspec-validation.ts';
import { defaultValidationOptions } from '../../runtime/machinery/validation-options.ts';

const kind = (group: string, name: string) => ({ group, kind: name }) as KindRegistration;

const gatedSpec = () => ({
  hostUsers: false,
  resources: { limits: { cpu: '1' } },
  securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'Recursive' },
  resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu-claim' }],
  volumes: [{ name: 'tools', image: { reference: 'busybox' } }],
  containers: [
    {
      name: 'web',
      image: 'nginx',
      resources: { claims: [{ name: 'gpu' }] },
      resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
      securityContext: { procMount: 'Unmasked' },
      volumeMounts: [{ name: 'tools', mountPath: '/tools' }],
    },
  ],
});

describe('fields of disabled gates', () => {
  it('a pod spec loses them when nothing stored uses them', () => {
    const spec: any = gatedSpec();
    dropDisabledPodSpecFields(spec, undefined);
    assert.deepEqual(spec, { securityContext: {}, containers: [{ name: 'web', image: 'nginx', resources: {}, securityContext: { procMount: 'Default' } }] });
  });

  it('an update keeps each one the stored spec already uses', () => {
    const spec: any = gatedSpec();
    dropDisabledPodSpecFields(spec, gatedSpec());
    assert.deepEqual(spec, gatedSpec());
  });

  it('the stored spec keeps only what it uses: another gated field still goes', () => {
    const spec: any = gatedSpec();
    dropDisabledPodSpecFields(spec, { hostUsers: true, containers: [{ name: 'web', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }] });
    assert.equal(spec.hostUsers, false);
    assert.deepEqual(spec.containers[0].resizePolicy, [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }]);
    assert.equal(spec.resources, undefined);
    assert.equal(spec.resourceClaims, undefined);
    assert.equal(spec.volumes, undefined);
  });

  it('a status keeps resize and container resources when the stored spec has a resize policy; allocations always go', () => {
    const status: any = { resize: 'InProgress', containerStatuses: [{ name: 'web', resources: { requests: { cpu: '1' } }, allocatedResources: { cpu: '1' }, user: { linux: { uid: 0, gid: 0 } } }] };
    dropDisabledPodStatusFields(status, { containers: [{ name: 'web', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }] });
    assert.deepEqual(status, { resize: 'InProgress', containerStatuses: [{ name: 'web', resources: { requests: { cpu: '1' } } }] });
  });

  it('template kinds, StatefulSets and volumes keep what the stored object uses', () => {
    const set = (maxUnavailable?: number) => ({ spec: { updateStrategy: { rollingUpdate: { partition: 0, ...(maxUnavailable ? { maxUnavailable } : {}) } }, template: { spec: { hostUsers: false } } } });
    const updated: any = set(2);
    dropDisabledFields(kind('apps', 'StatefulSet'), updated, set(1));
    assert.equal(updated.spec.updateStrategy.rollingUpdate.maxUnavailable, 2);
    assert.equal(updated.spec.template.spec.hostUsers, false);
    const created: any = set(2);
    dropDisabledFields(kind('apps', 'StatefulSet'), created, undefined);
    assert.deepEqual(created.spec, { updateStrategy: { rollingUpdate: { partition: 0 } }, template: { spec: {} } });
    const cron: any = { spec: { jobTemplate: { spec: { template: { spec: { hostUsers: false } } } } } };
    dropDisabledFields(kind('batch', 'CronJob'), cron, undefined);
    assert.deepEqual(cron.spec.jobTemplate.spec.template.spec, {});
    const pv: any = { spec: { volumeAttributesClassName: 'gold' } };
    dropDisabledFields(kind('', 'PersistentVolume'), pv, { spec: { volumeAttributesClassName: 'silver' } });
    assert.equal(pv.spec.volumeAttributesClassName, 'gold');
  });
});

describe('a lifecycle sleep of 0 seconds (PodLifecycleSleepActionAllowZero off)', () => {
  const spec = (seconds: number) => ({ terminationGracePeriodSeconds: 30, containers: [{ name: 'web', image: 'nginx', lifecycle: { preStop: { sleep: { seconds } } } }] });
  it('is refused unless the stored spec already sleeps 0 seconds somewhere', () => {
    assert.deepEqual(
      validate_PodSpec(spec(0) as any, undefined, 'spec', defaultValidationOptions).map((e) => e.field),
      ['spec.containers[0].lifecycle.preStop.sleep'],
    );
    assert.deepEqual(validate_PodSpec(spec(0) as any, spec(0) as any, 'spec', defaultValidationOptions), []);
    const over = validate_PodSpec(spec(31) as any, spec(0) as any, 'spec', defaultValidationOptions);
    assert.equal(over[0]?.detail, 'must be non-negative and less than terminationGracePeriodSeconds (30)');
  });
});
