// Group versions beside the generated ones, for endpoint tests: apps/v1 Deployment (status and scale subresources,
// category `all`) and a custom resource group with two versions (no protobuf, restricted verbs, printer columns).
import type { GroupVersionRegistration, KindRegistration } from '../../runtime/machinery/registration.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { groupVersions, sharedDefinitions } from '../../generated/index.ts';
import { ConfigMap } from '../../generated/core/v1/register.ts';

const objectMetaRef = { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: 'Standard object metadata.' };

export const Deployment: KindRegistration = {
  ...ConfigMap,
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  resource: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  printColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas', description: 'Ready replicas.', priority: 0 },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', description: 'Wanted replicas.', priority: 0 },
    { name: 'Images', type: 'string', jsonPath: '.spec.template.spec.containers[0].image', description: 'First image.', priority: 1 },
  ],
  openapiName: 'io.k8s.api.apps.v1.Deployment',
  protobuf: true,
};

export const appsV1: GroupVersionRegistration = {
  group: 'apps',
  version: 'v1',
  storageVersion: 'v1',
  versionPriority: ['v1'],
  deprecated: false,
  kinds: [Deployment],
  openapiV3: {
    'io.k8s.api.apps.v1.Deployment': {
      description: 'A set of identical pods, rolled out gradually.',
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: objectMetaRef,
        spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } },
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    } as never,
  },
};

function widget(version: string): KindRegistration {
  return {
    ...ConfigMap,
    group: 'example.com',
    version,
    kind: 'Widget',
    listKind: 'WidgetList',
    resource: 'widgets',
    singular: 'widget',
    scope: 'Cluster',
    shortNames: [],
    categories: ['all', 'gadgets'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    subresources: { status: true },
    printColumns: [
      { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'The colour.', priority: 0 },
      { name: 'Parts', type: 'integer', jsonPath: '.spec.parts', description: 'Parts by name.', priority: 0 },
      { name: 'Label', type: 'string', jsonPath: ".metadata.labels['example.com/tier']", description: 'Tier label.', priority: 1 },
      { name: 'Built', type: 'date', jsonPath: '.status.builtAt', description: 'When it was built.', priority: 0 },
    ],
    openapiName: `com.example.${version}.Widget`,
    protobuf: false,
    builtIn: false,
  };
}

export const WidgetV1 = widget('v1');
export const WidgetV1beta1 = widget('v1beta1');

function widgetGV(kind: KindRegistration): GroupVersionRegistration {
  return {
    group: 'example.com',
    version: kind.version,
    storageVersion: 'v1',
    versionPriority: ['v1', 'v1beta1'],
    deprecated: false,
    kinds: [kind],
    openapiV3: {
      [kind.openapiName]: {
        type: 'object',
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: objectMetaRef, spec: { type: 'object' } },
        'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'Widget', version: kind.version }],
      } as never,
    },
  };
}

export const exampleV1 = widgetGV(WidgetV1);
export const exampleV1beta1 = widgetGV(WidgetV1beta1);


/** The generated core group plus the fixtures above (a small, fixed set of groups the assertions can name). */
export function testScheme(): Scheme {
  const scheme = new Scheme();
  scheme.addSharedDefinitions(sharedDefinitions);
  for (const gv of groupVersions.filter((g) => g.group === '')) scheme.addGroupVersion(gv);
  // Added out of priority order on purpose: the scheme, not insertion, decides the order clients see.
  scheme.addGroupVersion(exampleV1beta1);
  scheme.addGroupVersion(appsV1);
  scheme.addGroupVersion(exampleV1);
  return scheme;
}
