import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Secret holds a small amount of confidential data, such as a password, token or key.
 * @resource secrets
 * @selectableField .type
 * @printColumn Type string .type
 * @printColumn Data string data() How many entries the data map holds.
 */
export interface Secret {
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
   * Secret values, base64-encoded. Keys consist of alphanumerics, '-', '_' or '.'.
   * @protobuf 2
   * @format byte
   */
  data?: Record<string, string>;
  /**
   * Write-only convenience: plain-text values merged into data on write and never returned.
   * @protobuf 4
   */
  stringData?: Record<string, string>;
  /**
   * How the data is to be used, e.g. Opaque or kubernetes.io/tls; some types require certain keys.
   * @protobuf 3
   * @default "Opaque"
   */
  type?: string;
  /**
   * When true, data can no longer be changed; only metadata may be updated.
   * @protobuf 5
   * @pointer
   */
  immutable?: boolean;
}
