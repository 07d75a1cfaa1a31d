import type { Condition, int64, LabelSelector, ObjectMeta } from '../../meta/v1/types.ts';
import type { MatchCondition, RuleWithOperations } from './webhooks.ts';

/**
 * ValidatingAdmissionPolicy validates requests with CEL expressions, in the server, without a webhook. It takes
 * effect through ValidatingAdmissionPolicyBindings.
 * @resource validatingadmissionpolicies
 * @scope Cluster
 * @categories api-extensions
 * @subresource status
 * @printColumn Validations integer validations() How many CEL validations the policy holds.
 * @printColumn ParamKind string paramKind() The API version and kind of the resources that parameterize the policy.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface ValidatingAdmissionPolicy {
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
   * What the policy checks and on which requests.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ValidatingAdmissionPolicySpec;
  /**
   * What the server found checking the policy's expressions.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ValidatingAdmissionPolicyStatus;
}

/** The checks of a policy. */
export interface ValidatingAdmissionPolicySpec {
  /**
   * The kind of the objects bindings give the policy as `params`; absent means the policy takes none.
   * @protobuf 1
   */
  paramKind?: ParamKind;
  /**
   * The requests the policy may apply to; a binding can only narrow them. resourceRules are required.
   * @protobuf 2
   */
  matchConstraints?: MatchResources;
  /**
   * CEL checks, all of which must hold.
   * @protobuf 3
   * @listType atomic
   */
  validations?: Validation[];
  /**
   * What happens when the policy cannot be evaluated (a compile error, a missing param, a runtime error):
   * Ignore lets the request through, Fail refuses it.
   * @protobuf 4
   * @default "Fail"
   * @pointer
   */
  failurePolicy?: 'Ignore' | 'Fail';
  /**
   * CEL expressions whose values are recorded as audit annotations.
   * @protobuf 5
   * @listType atomic
   */
  auditAnnotations?: AuditAnnotation[];
  /**
   * CEL conditions that must all hold for the policy to be evaluated; at most 64.
   * @protobuf 6
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  matchConditions?: MatchCondition[];
  /**
   * Named CEL expressions the others may use as `variables.<name>`, evaluated in order, lazily.
   * @protobuf 7
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  variables?: Variable[];
}

/**
 * The kind of a policy's parameter objects.
 * @structType atomic
 */
export interface ParamKind {
  /**
   * API version of the parameter objects, `group/version`.
   * @protobuf 1
   */
  apiVersion?: string;
  /**
   * Kind of the parameter objects.
   * @protobuf 2
   */
  kind?: string;
}

/**
 * Which requests a policy or binding applies to.
 * @structType atomic
 */
export interface MatchResources {
  /**
   * Only objects in namespaces whose labels match. Empty matches all.
   * @protobuf 1
   * @default {}
   */
  namespaceSelector?: LabelSelector;
  /**
   * Only objects (new or old) whose labels match. Empty matches all.
   * @protobuf 2
   * @default {}
   */
  objectSelector?: LabelSelector;
  /**
   * Operations and resources that match; any rule suffices.
   * @protobuf 3
   * @listType atomic
   */
  resourceRules?: NamedRuleWithOperations[];
  /**
   * Operations and resources that never match, whatever resourceRules say.
   * @protobuf 4
   * @listType atomic
   */
  excludeResourceRules?: NamedRuleWithOperations[];
  /**
   * Exact matches requests only as the rules name them; Equivalent also through other groups or versions.
   * @protobuf 7
   * @default "Equivalent"
   * @pointer
   */
  matchPolicy?: 'Exact' | 'Equivalent';
}

/**
 * A rule with operations, limited to some object names.
 * @protobufEmbed RuleWithOperations 2
 * @structType atomic
 */
export interface NamedRuleWithOperations extends RuleWithOperations {
  /**
   * Names of the objects the rule applies to; empty means all.
   * @protobuf 1
   * @listType atomic
   */
  resourceNames?: string[];
}

/** One CEL check of a policy. */
export interface Validation {
  /**
   * A CEL expression that must be true, over object, oldObject, request, params, namespaceObject, authorizer and
   * variables.
   * @protobuf 1
   * @alwaysWritten
   */
  expression: string;
  /**
   * The message returned when the check fails.
   * @protobuf 2
   */
  message?: string;
  /**
   * The Status reason returned when the check fails: Unauthorized, Forbidden (the default), Invalid or
   * RequestEntityTooLarge.
   * @protobuf 3
   * @pointer
   */
  reason?: string;
  /**
   * A CEL expression that yields the message; falls back to message when it fails or yields nothing.
   * @protobuf 4
   */
  messageExpression?: string;
}

/**
 * A named CEL expression a policy's other expressions can use.
 * @structType atomic
 */
export interface Variable {
  /**
   * The name, a CEL identifier, used as `variables.<name>`.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The CEL expression.
   * @protobuf 2
   * @alwaysWritten
   */
  expression: string;
}

/** A value recorded in the audit event of every request a policy evaluates. */
export interface AuditAnnotation {
  /**
   * The annotation's key, `<policy name>/<key>` in the event; unique within the policy.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * A CEL expression yielding a string, or null to leave the annotation out.
   * @protobuf 2
   * @alwaysWritten
   */
  valueExpression: string;
}

/** The server's findings about a policy. */
export interface ValidatingAdmissionPolicyStatus {
  /**
   * The generation the status describes.
   * @protobuf 1
   */
  observedGeneration?: int64;
  /**
   * Results of type-checking the expressions.
   * @protobuf 2
   */
  typeChecking?: TypeChecking;
  /**
   * The policy's conditions.
   * @protobuf 3
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
}

/** Results of type-checking a policy's expressions. */
export interface TypeChecking {
  /**
   * Type errors, one per expression.
   * @protobuf 1
   * @listType atomic
   */
  expressionWarnings?: ExpressionWarning[];
}

/** A type error of one expression. */
export interface ExpressionWarning {
  /**
   * Path of the expression's field, e.g. `spec.validations[0].expression`.
   * @protobuf 2
   * @alwaysWritten
   */
  fieldRef: string;
  /**
   * What is wrong with it.
   * @protobuf 3
   * @alwaysWritten
   */
  warning: string;
}

/**
 * ValidatingAdmissionPolicyBinding puts a ValidatingAdmissionPolicy into effect, for some resources and with some
 * parameters, and says what a failed check does.
 * @resource validatingadmissionpolicybindings
 * @scope Cluster
 * @categories api-extensions
 * @printColumn PolicyName string .spec.policyName
 * @printColumn ParamRef string paramRef() The parameter object, or the selector of parameter objects, that the binding
 *   passes to its policy.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface ValidatingAdmissionPolicyBinding {
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
   * The policy, its parameters and where it applies.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ValidatingAdmissionPolicyBindingSpec;
}

/** What a binding binds. */
export interface ValidatingAdmissionPolicyBindingSpec {
  /**
   * Name of the ValidatingAdmissionPolicy.
   * @protobuf 1
   */
  policyName?: string;
  /**
   * Where the policy's parameter objects come from.
   * @protobuf 2
   */
  paramRef?: ParamRef;
  /**
   * Narrows the policy's matchConstraints.
   * @protobuf 3
   */
  matchResources?: MatchResources;
  /**
   * What a failed check does: Deny refuses the request, Warn sends a warning, Audit records it in the audit event.
   * Deny and Warn may not both be given.
   * @protobuf 4
   * @listType set
   */
  validationActions?: Array<'Deny' | 'Warn' | 'Audit'>;
}

/**
 * How a binding finds its parameter objects.
 * @structType atomic
 */
export interface ParamRef {
  /**
   * Name of one parameter object; excludes selector.
   * @protobuf 1
   */
  name?: string;
  /**
   * Namespace of the parameter objects; empty means the request's namespace (for namespaced param kinds).
   * @protobuf 2
   */
  namespace?: string;
  /**
   * Selects several parameter objects by label; the policy is evaluated once per object.
   * @protobuf 3
   */
  selector?: LabelSelector;
  /**
   * What happens when no parameter object is found: Allow lets the request through, Deny refuses it.
   * @protobuf 4
   * @pointer
   */
  parameterNotFoundAction?: string;
}
