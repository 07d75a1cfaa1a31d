import type { int32 } from '../../meta/v1/types.ts';

/*
 * The options of the subresources that reach a kubelet or a backend through the API server (`pods/exec`,
 * `pods/attach`, `pods/portforward`, `pods/proxy`, `nodes/proxy`, `services/proxy`). Clients send them as query
 * parameters; they are kinds so that discovery can name them, as upstream's do.
 */

/**
 * The options of `pods/<name>/exec`: which container runs which command, and which streams are attached.
 * @subresourceKind
 */
export interface PodExecOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Pass the caller's standard input to the command.
   * @protobuf 1
   */
  stdin?: boolean;
  /**
   * Return the command's standard output. Defaults to true.
   * @protobuf 2
   */
  stdout?: boolean;
  /**
   * Return the command's standard error. Defaults to true.
   * @protobuf 3
   */
  stderr?: boolean;
  /**
   * Allocate a terminal; standard error then comes on standard output.
   * @protobuf 4
   */
  tty?: boolean;
  /**
   * The container to run in; may be left out when the pod has one container.
   * @protobuf 5
   */
  container?: string;
  /**
   * The command and its arguments; not run in a shell.
   * @protobuf 6
   * @listType atomic
   * @alwaysWritten
   */
  command: string[];
}

/**
 * The options of `pods/<name>/attach`: which container's running process to attach to, with which streams.
 * @subresourceKind
 */
export interface PodAttachOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Pass the caller's standard input to the process.
   * @protobuf 1
   */
  stdin?: boolean;
  /**
   * Return the process's standard output. Defaults to true.
   * @protobuf 2
   */
  stdout?: boolean;
  /**
   * Return the process's standard error. Defaults to true.
   * @protobuf 3
   */
  stderr?: boolean;
  /**
   * The process has a terminal; standard error then comes on standard output.
   * @protobuf 4
   */
  tty?: boolean;
  /**
   * The container to attach to; may be left out when the pod has one container.
   * @protobuf 5
   */
  container?: string;
}

/**
 * The options of `pods/<name>/portforward`: the pod's ports to forward.
 * @subresourceKind
 */
export interface PodPortForwardOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Ports of the pod to forward (WebSocket clients must name them).
   * @protobuf 1
   * @listType atomic
   */
  ports?: int32[];
}

/**
 * The options of `pods/<name>/proxy`: the path on the pod to proxy to.
 * @subresourceKind
 */
export interface PodProxyOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * The URL path on the pod.
   * @protobuf 1
   */
  path?: string;
}

/**
 * The options of `nodes/<name>/proxy`: the path on the node's kubelet to proxy to.
 * @subresourceKind
 */
export interface NodeProxyOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * The URL path on the node.
   * @protobuf 1
   */
  path?: string;
}

/**
 * The options of `services/<name>/proxy`: the path on the service's backend to proxy to.
 * @subresourceKind
 */
export interface ServiceProxyOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * The URL path on the service's backend.
   * @protobuf 1
   */
  path?: string;
}
