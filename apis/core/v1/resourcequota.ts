import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { ResourceList } from './pod.ts';

/**
 * ResourceQuota caps the total resources and object counts a namespace may use.
 * @resource resourcequotas
 * @metadataOnUpdate update
 * @generation none
 * @shortNames quota
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Request string request() Each quota resource other than limits: what is used against the hard cap.
 * @printColumn Limit string limit() Each limits.* quota resource: what is used against the hard cap.
 */
export interface ResourceQuota {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * The quota wanted.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ResourceQuotaSpec;
  /**
   * The quota enforced and the current usage.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ResourceQuotaStatus;
}

/**
 * The quota wanted.
 */
export interface ResourceQuotaSpec {
  /**
   * Caps per resource, e.g. requests.cpu, pods, count/deployments.apps.
   * @protobuf 1
   */
  hard?: ResourceList;
  /**
   * Scopes objects must match to be counted: Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass,
   * CrossNamespacePodAffinity, VolumeAttributesClass.
   * @protobuf 2
   * @listType atomic
   * @openEnum
   */
  scopes?: ('Terminating' | 'NotTerminating' | 'BestEffort' | 'NotBestEffort' | 'PriorityClass' | 'CrossNamespacePodAffinity' | 'VolumeAttributesClass')[];
  /**
   * Scope requirements objects must match to be counted, ANDed with scopes.
   * @protobuf 3
   */
  scopeSelector?: ScopeSelector;
}

/**
 * Scope requirements, ANDed.
 * @structType atomic
 */
export interface ScopeSelector {
  /**
   * The requirements.
   * @protobuf 1
   * @listType atomic
   */
  matchExpressions?: ScopedResourceSelectorRequirement[];
}

/**
 * A requirement on a quota scope.
 */
export interface ScopedResourceSelectorRequirement {
  /**
   * The scope.
   * @protobuf 1
   * @alwaysWritten
   * @openEnum
   */
  scopeName: 'Terminating' | 'NotTerminating' | 'BestEffort' | 'NotBestEffort' | 'PriorityClass' | 'CrossNamespacePodAffinity' | 'VolumeAttributesClass';
  /**
   * In, NotIn, Exists or DoesNotExist.
   * @protobuf 2
   * @alwaysWritten
   * @openEnum
   */
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /**
   * Values (for In and NotIn), e.g. priority class names.
   * @protobuf 3
   * @listType atomic
   */
  values?: string[];
}

/**
 * Quota enforced and usage observed.
 */
export interface ResourceQuotaStatus {
  /**
   * Caps enforced.
   * @protobuf 1
   */
  hard?: ResourceList;
  /**
   * Current usage.
   * @protobuf 2
   */
  used?: ResourceList;
}
