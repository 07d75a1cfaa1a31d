/**
 * The parts of an `apiextensions.k8s.io/v1` CustomResourceDefinition that serving reads, in their wire shape, and
 * small helpers over them (conditions, served and stored versions, per-version schema and subresources). Serving
 * works on the JSON objects the CRD store holds, so it does not depend on how the CRD kind itself is declared.
 */
import type { StoredObject } from '../../storage/store.ts';
import { findCondition, isConditionTrue, setCondition } from '../controllers/conditions.ts';

export const crdGroup = 'apiextensions.k8s.io';
export const crdResource = 'customresourcedefinitions';

/** Upstream's finalizer: a CRD keeps it until every object of its kind is gone. */
export const customResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type CRDConditionType = 'Established' | 'NamesAccepted' | 'NonStructuralSchema' | 'Terminating' | 'KubernetesAPIApprovalPolicyConformant';

export interface CRDCondition {
  type: CRDConditionType | string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CRDNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

export type JSONSchemaProps = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CRDScale {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface CRDSubresources {
  status?: Record<string, never>;
  scale?: CRDScale;
}

export interface CRDColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CRDSubresources;
  additionalPrinterColumns?: CRDColumn[];
  selectableFields?: { jsonPath: string }[];
}

export interface CRDConversion {
  strategy?: 'None' | 'Webhook' | string;
  webhook?: Record<string, unknown>;
}

export interface CustomResourceDefinition extends StoredObject {
  metadata: { name: string; uid?: string; resourceVersion?: string; deletionTimestamp?: string; finalizers?: string[]; generation?: number; [k: string]: unknown };
  spec: {
    group: string;
    names: CRDNames;
    scope: 'Namespaced' | 'Cluster';
    versions: CRDVersion[];
    conversion?: CRDConversion;
    preserveUnknownFields?: boolean;
  };
  status?: {
    conditions?: CRDCondition[];
    acceptedNames?: CRDNames;
    storedVersions?: string[];
  };
}

// The condition helpers (upstream's apihelpers) have one home, shared with the controllers.
export { findCondition, isConditionTrue, setCondition };

/** The names objects are served under: `status.acceptedNames`, which the naming controller fills from the spec. */
export function acceptedNames(crd: CustomResourceDefinition): CRDNames | undefined {
  const n = crd.status?.acceptedNames;
  return n?.plural && n.kind ? n : undefined;
}

export function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec.versions.find((v) => v.storage)?.name;
}

export function isTerminating(crd: CustomResourceDefinition): boolean {
  return Boolean(crd.metadata.deletionTimestamp) || isConditionTrue(crd, 'Terminating');
}

/** `openAPIV3Schema` of a version (the CRD-wide one of older objects is not in v1). */
export function schemaOf(version: CRDVersion): JSONSchemaProps | undefined {
  return version.schema?.openAPIV3Schema;
}

export function asCRD(obj: StoredObject): CustomResourceDefinition | undefined {
  const spec = obj?.spec;
  if (!spec || typeof spec.group !== 'string' || !spec.names || !Array.isArray(spec.versions)) return undefined;
  return obj as CustomResourceDefinition;
}
