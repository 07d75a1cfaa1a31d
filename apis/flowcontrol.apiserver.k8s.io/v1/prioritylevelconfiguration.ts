import type { int32, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * PriorityLevelConfiguration is a priority level: a share of the server's concurrency, and what happens to
 * requests beyond it (queued fairly, or rejected). The level named `exempt` is not limited at all.
 * @resource prioritylevelconfigurations
 * @scope Cluster
 * @subresource status
 * @printColumn Type string .spec.type
 * @printColumn NominalConcurrencyShares string nominalConcurrencyShares() The share of the server's concurrency the
 *   level gets.
 * @printColumn Queues string queues() How many queues the level has.
 * @printColumn HandSize string handSize() How many queues each flow is dealt (shuffle sharding).
 * @printColumn QueueLengthLimit string queueLengthLimit() How many requests may wait in one queue.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface PriorityLevelConfiguration {
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
   * The level's limits.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PriorityLevelConfigurationSpec;
  /**
   * The current state of the level, written by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PriorityLevelConfigurationStatus;
}

/** Whether a level is limited, and how. */
export interface PriorityLevelConfigurationSpec {
  /**
   * Exempt (no limit; only the level named `exempt`) or Limited.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * The limits of a Limited level; required when type is Limited, forbidden otherwise.
   * @protobuf 2
   */
  limited?: LimitedPriorityLevelConfiguration;
  /**
   * Settings of an Exempt level (its shares count only for lending).
   * @protobuf 3
   */
  exempt?: ExemptPriorityLevelConfiguration;
}

/**
 * A limited level's concurrency limit is its nominal shares' fraction of the server's total concurrency limit
 * (--max-requests-inflight plus --max-mutating-requests-inflight), adjusted by lending and borrowing.
 */
export interface LimitedPriorityLevelConfiguration {
  /**
   * This level's shares of the server's concurrency; 30 when unset, 0 or more.
   * @protobuf 1
   * @alwaysWritten
   * @pointer
   */
  nominalConcurrencyShares?: int32;
  /**
   * What happens to requests that cannot run at once.
   * @protobuf 2
   * @alwaysWritten
   */
  limitResponse?: LimitResponse;
  /**
   * Percent of the nominal limit other levels may borrow; 0 to 100, 0 when unset.
   * @protobuf 3
   * @pointer
   */
  lendablePercent?: int32;
  /**
   * How much this level may borrow from others, as a percent of its nominal limit; unset: no bound.
   * @protobuf 4
   * @pointer
   */
  borrowingLimitPercent?: int32;
}

/** Settings of the exempt level. */
export interface ExemptPriorityLevelConfiguration {
  /**
   * Shares of the server's concurrency counted for this level; 0 when unset.
   * @protobuf 1
   * @pointer
   */
  nominalConcurrencyShares?: int32;
  /**
   * Percent of the nominal limit other levels may borrow; 0 to 100, 0 when unset.
   * @protobuf 2
   * @pointer
   */
  lendablePercent?: int32;
}

/** What a limited level does with requests beyond its limit. */
export interface LimitResponse {
  /**
   * Queue (wait in queues, up to the queue length limit) or Reject (429 at once).
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * The queues, when type is Queue.
   * @protobuf 2
   */
  queuing?: QueuingConfiguration;
}

/** Shuffle-sharded fair queuing: each flow is dealt handSize of the queues and joins the shortest. */
export interface QueuingConfiguration {
  /**
   * Number of queues; 64 when unset.
   * @protobuf 1
   * @alwaysWritten
   */
  queues?: int32;
  /**
   * Queues dealt to each flow; 8 when unset, at most `queues`.
   * @protobuf 2
   * @alwaysWritten
   */
  handSize?: int32;
  /**
   * Requests one queue may hold; more are rejected with 429. 50 when unset.
   * @protobuf 3
   * @alwaysWritten
   */
  queueLengthLimit?: int32;
}

/** What the server observed about a priority level. */
export interface PriorityLevelConfigurationStatus {
  /**
   * The level's conditions.
   * @protobuf 1
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: PriorityLevelConfigurationCondition[];
}

/** One aspect of a priority level's state. */
export interface PriorityLevelConfigurationCondition {
  /**
   * The aspect.
   * @protobuf 1
   */
  type?: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   */
  status?: string;
  /**
   * When status last changed.
   * @protobuf 3
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * CamelCase cause of the last transition.
   * @protobuf 4
   */
  reason?: string;
  /**
   * Human-readable details.
   * @protobuf 5
   */
  message?: string;
}
