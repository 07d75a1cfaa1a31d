/**
 * CustomResourceDefinitions for tests: the manifest most tests need (one version `v1`, served and stored, with the
 * schema the test is about), and the wait until the server serves what it defines. A test writes only its schema.
 */
import assert from 'node:assert/strict';
import { eventually } from './kubectl.ts';
import type { TestServer } from './server.ts';

export const crdsPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export interface CRDNames {
  plural: string;
  kind: string;
  singular?: string;
  listKind?: string;
}

export interface CRDOptions {
  group: string;
  names: CRDNames;
  scope?: 'Namespaced' | 'Cluster';
  /** The openAPIV3Schema of the one version `v1` (served, storage). */
  schema?: object;
  /** More fields of that version (additionalPrinterColumns, subresources). */
  version?: Record<string, unknown>;
  /** The versions themselves, in place of the one `v1`. */
  versions?: object[];
  labels?: Record<string, string>;
}

/** The manifest: `metadata.name` is `<plural>.<group>`; the scope is Namespaced unless given. */
export function crdManifest(o: CRDOptions) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${o.names.plural}.${o.group}`, ...(o.labels && { labels: o.labels }) },
    spec: {
      group: o.group,
      scope: o.scope ?? 'Namespaced',
      names: { ...o.names },
      versions: o.versions ?? [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: o.schema }, ...o.version }],
    },
  };
}

/** Waits until the CRD named `name` is Established (bounded), as `kubectl wait --for=condition=Established` does. */
export async function waitEstablished(server: TestServer, name: string): Promise<void> {
  const established = (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True';
  await eventually(async () => ((await server.request('GET', `${crdsPath}/${name}`)).json?.status?.conditions ?? []).some(established), `CRD ${name} to be established`);
}

/** Creates the CRD (201) and waits until it is Established. */
export async function createEstablishedCRD(server: TestServer, crd: { metadata: { name: string } }): Promise<void> {
  const created = await server.request('POST', crdsPath, crd);
  assert.equal(created.status, 201, created.text);
  await waitEstablished(server, crd.metadata.name);
}
