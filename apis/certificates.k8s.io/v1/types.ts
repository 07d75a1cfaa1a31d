import type { int32, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * CertificateSigningRequest asks a signer for an x509 certificate: the requester submits a PKCS#10 request, an
 * approver approves or denies it through the /approval subresource, and the signer named in the request issues the
 * certificate into status.certificate through /status.
 *
 * Kubelets use it for client certificates (signer "kubernetes.io/kube-apiserver-client-kubelet") and serving
 * certificates (signer "kubernetes.io/kubelet-serving"); anyone may use it for client certificates that
 * authenticate to the API server ("kubernetes.io/kube-apiserver-client") or for certificates of custom signers.
 * @resource certificatesigningrequests
 * @selectableField .spec.signerName
 * @scope Cluster
 * @shortNames csr
 * @nameFormat path-segment
 * @subresource status
 * @subresource approval certificates.k8s.io/v1 CertificateSigningRequest get,patch,update
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn SignerName string signerName() The signer the request is addressed to.
 * @printColumn Requestor string .spec.username
 * @printColumn RequestedDuration string requestedDuration() The certificate lifetime the requester asked for, if any.
 * @printColumn Condition string condition() The request's conditions (Approved, Denied, Failed), and Issued once a
 *   certificate is set.
 */
export interface CertificateSigningRequest {
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
   * The certificate request; immutable after creation. Only request, signerName, expirationSeconds and usages
   * can be set on creation; the other fields are filled in by the API server from the requesting user.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: CertificateSigningRequestSpec;
  /**
   * Whether the request is approved or denied, and the certificate the signer issued (or why it failed).
   * @protobuf 3
   * @alwaysWritten
   */
  status?: CertificateSigningRequestStatus;
}

/** The certificate request and who made it. */
export interface CertificateSigningRequestSpec {
  /**
   * An x509 certificate signing request in a "CERTIFICATE REQUEST" PEM block (base64-encoded again in JSON and
   * YAML).
   * @protobuf 1
   * @format byte
   * @listType atomic
   * @alwaysWritten
   */
  request: string;
  /**
   * The signer asked to issue the certificate, a qualified name such as "example.com/my-signer". List and watch
   * requests can filter on it with the field selector "spec.signerName=NAME".
   *
   * The signers built into Kubernetes are "kubernetes.io/kube-apiserver-client" (client certificates for the API
   * server, never auto-approved), "kubernetes.io/kube-apiserver-client-kubelet" (kubelet client certificates, which
   * the csrapproving controller may approve) and "kubernetes.io/kubelet-serving" (kubelet serving certificates). A
   * custom signer defines how trust is distributed, which subjects, extensions and usages it allows, and how long
   * its certificates live.
   * @protobuf 7
   * @alwaysWritten
   */
  signerName: string;
  /**
   * The requested validity of the issued certificate, in seconds. The signer may choose another duration (the
   * built-in signers honour it up to the controller manager's --cluster-signing-duration); clients should read
   * notBefore and notAfter of the certificate. The minimum is 600 (10 minutes).
   * @protobuf 8
   * @pointer
   */
  expirationSeconds?: int32;
  /**
   * The key usages requested in the certificate. TLS clients typically ask for "digital signature",
   * "key encipherment" and "client auth"; TLS servers for "key encipherment", "digital signature" and
   * "server auth".
   *
   * Valid values: "signing", "digital signature", "content commitment", "key encipherment", "key agreement",
   * "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth",
   * "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel",
   * "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc".
   * @protobuf 5
   * @listType atomic
   * @openEnum
   */
  usages?: ('signing' | 'digital signature' | 'content commitment' | 'key encipherment' | 'key agreement' | 'data encipherment' | 'cert sign' | 'crl sign' | 'encipher only' | 'decipher only' | 'any' | 'server auth' | 'client auth' | 'code signing' | 'email protection' | 's/mime' | 'ipsec end system' | 'ipsec tunnel' | 'ipsec user' | 'timestamping' | 'ocsp signing' | 'microsoft sgc' | 'netscape sgc')[];
  /**
   * The name of the user that created the request; set by the API server on creation and immutable.
   * @protobuf 2
   */
  username?: string;
  /**
   * The uid of the user that created the request; set by the API server on creation and immutable.
   * @protobuf 3
   */
  uid?: string;
  /**
   * The groups of the user that created the request; set by the API server on creation and immutable.
   * @protobuf 4
   * @listType atomic
   */
  groups?: string[];
  /**
   * Extra attributes of the user that created the request; set by the API server on creation and immutable.
   * @protobuf 6
   */
  extra?: Record<string, string[]>;
}

/** Whether the request was approved, denied or failed, and the issued certificate. */
export interface CertificateSigningRequestStatus {
  /**
   * Conditions of the request: "Approved", "Denied" and "Failed" are the known ones.
   * @protobuf 1
   * @listType map
   * @listMapKey type
   */
  conditions?: CertificateSigningRequestCondition[];
  /**
   * The certificate the signer issued once the request was approved, as one or more "CERTIFICATE" PEM blocks
   * (base64-encoded again in JSON and YAML): the first is the issued certificate, the others intermediates. Set
   * through the /status subresource; immutable once set. Stays empty when the request is denied or signing fails.
   * @protobuf 2
   * @format byte
   * @listType atomic
   */
  certificate?: string;
}

/** One condition of a CertificateSigningRequest. */
export interface CertificateSigningRequestCondition {
  /**
   * The condition's type. "Approved" and "Denied" are added through /approval and exclude each other; "Failed"
   * is added through /status when the signer cannot issue the certificate. None of the three can be removed once
   * added, and each type appears at most once.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * True, False or Unknown; Approved, Denied and Failed conditions may only be True.
   * @protobuf 6
   * @alwaysWritten
   */
  status: string;
  /**
   * A brief reason for the request's state.
   * @protobuf 2
   */
  reason?: string;
  /**
   * A human-readable message about the request's state.
   * @protobuf 3
   */
  message?: string;
  /**
   * When the condition was last updated.
   * @protobuf 4
   * @alwaysWritten
   */
  lastUpdateTime?: Time;
  /**
   * When the condition last changed from one status to another; set by the server when absent.
   * @protobuf 5
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
}
