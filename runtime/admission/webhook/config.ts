/**
 * The webhook configurations (`admissionregistration.k8s.io/v1` MutatingWebhookConfiguration and
 * ValidatingWebhookConfiguration) as the dispatcher uses them: each webhook of each configuration becomes one
 * `Hook`, with v1's defaults filled in and its selectors parsed once, when the configuration is read, so that a
 * request only walks an array.
 */
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorObject } from '../../machinery/selectors.ts';
import type { StoredObject } from '../../storage/store.ts';

export type WebhookType = 'mutating' | 'validating';

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}

export interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface WebhookClientConfig {
  url?: string;
  service?: ServiceReference;
  /** base64 of PEM certificates that verify the webhook's serving certificate (JSON bytes). */
  caBundle?: string;
}

export interface MatchCondition {
  name: string;
  expression: string;
}

/** One webhook of a configuration, in its v1 JSON form (mutating webhooks add reinvocationPolicy). */
export interface WebhookSpec {
  name: string;
  clientConfig: WebhookClientConfig;
  rules?: RuleWithOperations[];
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: LabelSelectorObject | null;
  objectSelector?: LabelSelectorObject | null;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  matchConditions?: MatchCondition[];
  reinvocationPolicy?: string;
}

/** A webhook ready to dispatch to. */
export interface Hook {
  /** Unique among the hooks of one type: `<configuration>/<webhook>/<index>`, as upstream's accessor UID. */
  readonly uid: string;
  readonly type: WebhookType;
  readonly configurationName: string;
  readonly name: string;
  readonly spec: WebhookSpec;
  readonly rules: readonly RuleWithOperations[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly matchPolicy: 'Exact' | 'Equivalent';
  readonly timeoutSeconds: number;
  readonly reinvokeIfNeeded: boolean;
  /** Parsed selectors; an Error when the stored selector cannot be parsed (answered 500 when it matters). */
  readonly namespaceSelector: LabelSelector | Error;
  readonly objectSelector: LabelSelector | Error;
  /** Per-hook state the dispatcher keeps (compiled match conditions, HTTPS agent); dropped with the hook. */
  readonly cache: Map<string, unknown>;
}

/** The default of timeoutSeconds in v1, and the most validation allows. */
export const defaultTimeoutSeconds = 10;
export const maxTimeoutSeconds = 30;

function selector(obj: LabelSelectorObject | null | undefined): LabelSelector | Error {
  try {
    // v1 defaults an absent selector to {} (everything).
    return labelSelectorFromObject(obj ?? {});
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The hooks of one configuration object, in the order they are declared. */
export function hooksOf(type: WebhookType, config: StoredObject): Hook[] {
  const configurationName: string = config.metadata?.name ?? '';
  const webhooks: WebhookSpec[] = Array.isArray(config.webhooks) ? config.webhooks : [];
  return webhooks.map((spec, i) => {
    const timeout = typeof spec.timeoutSeconds === 'number' && spec.timeoutSeconds > 0 ? Math.min(spec.timeoutSeconds, maxTimeoutSeconds) : defaultTimeoutSeconds;
    return {
      uid: `${configurationName}/${spec.name}/${i}`,
      type,
      configurationName,
      name: spec.name,
      spec,
      rules: spec.rules ?? [],
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      matchPolicy: spec.matchPolicy === 'Exact' ? 'Exact' : 'Equivalent',
      timeoutSeconds: timeout,
      reinvokeIfNeeded: type === 'mutating' && spec.reinvocationPolicy === 'IfNeeded',
      namespaceSelector: selector(spec.namespaceSelector),
      objectSelector: selector(spec.objectSelector),
      cache: new Map(),
    };
  });
}
