import type { int32, LabelSelector, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * MutatingWebhookConfiguration lists admission webhooks that may change objects before they are stored.
 * @resource mutatingwebhookconfigurations
 * @generation tracked
 * @scope Cluster
 * @categories api-extensions
 * @printColumn Webhooks integer webhooks() How many webhooks the configuration calls.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface MutatingWebhookConfiguration {
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
   * The webhooks, called in order.
   * @protobuf 2
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  webhooks?: MutatingWebhook[];
}

/**
 * ValidatingWebhookConfiguration lists admission webhooks that may refuse objects, without changing them.
 * @resource validatingwebhookconfigurations
 * @generation tracked
 * @scope Cluster
 * @categories api-extensions
 * @printColumn Webhooks integer webhooks() How many webhooks the configuration calls.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface ValidatingWebhookConfiguration {
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
   * The webhooks, called in parallel.
   * @protobuf 2
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  webhooks?: ValidatingWebhook[];
}

/** A webhook called for matching requests, which may change the object with a JSON patch. */
export interface MutatingWebhook {
  /**
   * The webhook's name, qualified like a domain name (`label.example.com`); unique within its configuration.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * How to reach the webhook.
   * @protobuf 2
   * @alwaysWritten
   */
  clientConfig: WebhookClientConfig;
  /**
   * Which operations on which resources are sent; any matching rule sends the request.
   * @protobuf 3
   * @listType atomic
   */
  rules?: RuleWithOperations[];
  /**
   * What happens when the call fails: Ignore lets the request through, Fail refuses it.
   * @protobuf 4
   * @default "Fail"
   * @pointer
   */
  failurePolicy?: 'Ignore' | 'Fail';
  /**
   * Exact sends only requests that match a rule as written; Equivalent also those for the same resource through
   * another group or version, converted to the version a rule names.
   * @protobuf 9
   * @default "Equivalent"
   * @pointer
   */
  matchPolicy?: 'Exact' | 'Equivalent';
  /**
   * Sends only requests on objects in namespaces whose labels match (a Namespace itself is matched by its own
   * labels). Empty matches all.
   * @protobuf 5
   * @default {}
   */
  namespaceSelector?: LabelSelector;
  /**
   * Sends only requests whose object (new or old) has matching labels. Empty matches all.
   * @protobuf 11
   * @default {}
   */
  objectSelector?: LabelSelector;
  /**
   * Whether calling the webhook changes anything outside the object: None and NoneOnDryRun allow dry-run requests.
   * @protobuf 6
   * @alwaysWritten
   * @pointer
   */
  sideEffects: 'Unknown' | 'None' | 'Some' | 'NoneOnDryRun';
  /**
   * Seconds to wait for an answer, from 1 to 30; a timeout is handled by the failure policy.
   * @protobuf 7
   * @default 10
   * @pointer
   */
  timeoutSeconds?: int32;
  /**
   * AdmissionReview versions the webhook understands, in preference order; the server uses the first it knows.
   * @protobuf 8
   * @listType atomic
   * @alwaysWritten
   */
  admissionReviewVersions: string[];
  /**
   * IfNeeded calls the webhook once more when a later webhook changed the object; Never calls it once.
   * @protobuf 10
   * @default "Never"
   * @pointer
   */
  reinvocationPolicy?: 'Never' | 'IfNeeded';
  /**
   * CEL conditions that must all hold for the request to be sent; at most 64.
   * @protobuf 12
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  matchConditions?: MatchCondition[];
}

/** A webhook called for matching requests, which may refuse them. */
export interface ValidatingWebhook {
  /**
   * The webhook's name, qualified like a domain name (`policy.example.com`); unique within its configuration.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * How to reach the webhook.
   * @protobuf 2
   * @alwaysWritten
   */
  clientConfig: WebhookClientConfig;
  /**
   * Which operations on which resources are sent; any matching rule sends the request.
   * @protobuf 3
   * @listType atomic
   */
  rules?: RuleWithOperations[];
  /**
   * What happens when the call fails: Ignore lets the request through, Fail refuses it.
   * @protobuf 4
   * @default "Fail"
   * @pointer
   */
  failurePolicy?: 'Ignore' | 'Fail';
  /**
   * Exact sends only requests that match a rule as written; Equivalent also those for the same resource through
   * another group or version, converted to the version a rule names.
   * @protobuf 9
   * @default "Equivalent"
   * @pointer
   */
  matchPolicy?: 'Exact' | 'Equivalent';
  /**
   * Sends only requests on objects in namespaces whose labels match. Empty matches all.
   * @protobuf 5
   * @default {}
   */
  namespaceSelector?: LabelSelector;
  /**
   * Sends only requests whose object (new or old) has matching labels. Empty matches all.
   * @protobuf 10
   * @default {}
   */
  objectSelector?: LabelSelector;
  /**
   * Whether calling the webhook changes anything outside the object: None and NoneOnDryRun allow dry-run requests.
   * @protobuf 6
   * @alwaysWritten
   * @pointer
   */
  sideEffects: 'Unknown' | 'None' | 'Some' | 'NoneOnDryRun';
  /**
   * Seconds to wait for an answer, from 1 to 30; a timeout is handled by the failure policy.
   * @protobuf 7
   * @default 10
   * @pointer
   */
  timeoutSeconds?: int32;
  /**
   * AdmissionReview versions the webhook understands, in preference order; the server uses the first it knows.
   * @protobuf 8
   * @listType atomic
   * @alwaysWritten
   */
  admissionReviewVersions: string[];
  /**
   * CEL conditions that must all hold for the request to be sent; at most 64.
   * @protobuf 11
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  matchConditions?: MatchCondition[];
}

/** Where a webhook listens: a URL, or a Service in the cluster. Exactly one must be given. */
export interface WebhookClientConfig {
  /**
   * `https://host[:port]/path`, without user, query or fragment.
   * @protobuf 3
   * @pointer
   */
  url?: string;
  /**
   * A Service in front of the webhook, reached over HTTPS.
   * @protobuf 1
   */
  service?: ServiceReference;
  /**
   * PEM CA bundle the webhook's serving certificate is checked against; absent means the system's roots.
   * @protobuf 2
   * @format byte
   */
  caBundle?: string;
}

/** A Service that fronts a webhook. */
export interface ServiceReference {
  /**
   * Namespace of the Service.
   * @protobuf 1
   * @alwaysWritten
   */
  namespace: string;
  /**
   * Name of the Service.
   * @protobuf 2
   * @alwaysWritten
   */
  name: string;
  /**
   * URL path requests are sent to.
   * @protobuf 3
   * @pointer
   */
  path?: string;
  /**
   * Port of the Service, 1 to 65535.
   * @protobuf 4
   * @default 443
   * @pointer
   */
  port?: int32;
}

/** Resources and versions a rule applies to. */
export interface Rule {
  /**
   * API groups; `*` means all, `""` the core group.
   * @protobuf 1
   * @listType atomic
   */
  apiGroups?: string[];
  /**
   * API versions; `*` means all.
   * @protobuf 2
   * @listType atomic
   */
  apiVersions?: string[];
  /**
   * Resources or `resource/subresource`; `*` alone is every resource without subresources, and `*` may also
   * stand for the resource or the subresource part of a pair.
   * @protobuf 3
   * @listType atomic
   */
  resources?: string[];
  /**
   * Cluster, Namespaced, or `*` for both.
   * @protobuf 4
   * @default "*"
   * @pointer
   */
  scope?: '*' | 'Cluster' | 'Namespaced';
}

/**
 * A rule with the operations it applies to.
 * @protobufEmbed Rule 2
 */
export interface RuleWithOperations extends Rule {
  /**
   * CREATE, UPDATE, DELETE, CONNECT, or `*` for all.
   * @protobuf 1
   * @listType atomic
   */
  operations?: Array<'*' | 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT'>;
}

/** A CEL expression that decides whether a request is sent to a webhook or evaluated by a policy. */
export interface MatchCondition {
  /**
   * Identifies the condition in errors and logs; a qualified name.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * A CEL expression returning a boolean, over object, oldObject, request and authorizer.
   * @protobuf 2
   * @alwaysWritten
   */
  expression: string;
}
