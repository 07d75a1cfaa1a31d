import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * ConfigMap holds non-confidential configuration as key/value pairs that pods consume as environment
 * variables, command-line arguments or files.
 * @resource configmaps
 * @shortNames cm
 * @printColumn Data string data() How many entries the data and binaryData maps hold together.
 */
export interface ConfigMap {
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
   * Configuration as UTF-8 strings. Keys consist of alphanumerics, '-', '_' or '.'.
   * @protobuf 2
   */
  data?: Record<string, string>;
  /**
   * Configuration as binary values, base64-encoded on the wire. Keys may not repeat those of data.
   * @protobuf 3
   * @format byte
   */
  binaryData?: Record<string, string>;
  /**
   * When true, data and binaryData can no longer be changed; only metadata may be updated.
   * @protobuf 4
   * @pointer
   */
  immutable?: boolean;
}
