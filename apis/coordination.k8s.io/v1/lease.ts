import type { int32, MicroTime, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Lease is a time-limited claim, used for leader election and node heartbeats: its holder renews it
 * periodically, and others may take it over once it has not been renewed for its duration.
 * @resource leases
 * @metadataOnUpdate update
 * @printColumn Holder string .spec.holderIdentity
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface Lease {
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
   * Who holds the lease and for how long.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: LeaseSpec;
}

/** The state of a lease. */
export interface LeaseSpec {
  /**
   * Identity of the current holder.
   * @protobuf 1
   * @pointer
   */
  holderIdentity?: string;
  /**
   * How long, counted from renewTime, others must wait before they may take the lease.
   * @protobuf 2
   * @pointer
   */
  leaseDurationSeconds?: int32;
  /**
   * When the current holder acquired the lease.
   * @protobuf 3
   */
  acquireTime?: MicroTime;
  /**
   * When the current holder last renewed the lease.
   * @protobuf 4
   */
  renewTime?: MicroTime;
  /**
   * How many times the lease has changed holders.
   * @protobuf 5
   * @pointer
   */
  leaseTransitions?: int32;
  /**
   * For coordinated leader election: how the holder is chosen among candidates, e.g. OldestEmulationVersion.
   * @protobuf 6
   * @pointer
   */
  strategy?: string;
  /**
   * For coordinated leader election: the candidate the coordinator wants to hold the lease next; the current
   * holder should give it up.
   * @protobuf 7
   * @pointer
   */
  preferredHolder?: string;
}
