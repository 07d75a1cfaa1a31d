/** Computed `kubectl get` columns of flowcontrol.apiserver.k8s.io/v1 kinds, as upstream's printers show them. */
import type { FlowSchema } from './flowschema.ts';
import type { PriorityLevelConfiguration } from './prioritylevelconfiguration.ts';

/** The distinguisher's type, or `<none>` when all matched requests are one flow. */
export function print_FlowSchema_distinguisherMethod(obj: FlowSchema): string {
  return obj.spec?.distinguisherMethod?.type ?? '<none>';
}

/** The status of the Dangling condition (True: the priority level is missing), `?` before it is known. */
export function print_FlowSchema_missingPL(obj: FlowSchema): string {
  return obj.status?.conditions?.find((c) => c.type === 'Dangling')?.status ?? '?';
}

export function print_PriorityLevelConfiguration_nominalConcurrencyShares(obj: PriorityLevelConfiguration): string | number {
  return obj.spec?.limited?.nominalConcurrencyShares ?? '<none>';
}

export function print_PriorityLevelConfiguration_queues(obj: PriorityLevelConfiguration): string | number {
  return obj.spec?.limited?.limitResponse?.queuing?.queues ?? '<none>';
}

export function print_PriorityLevelConfiguration_handSize(obj: PriorityLevelConfiguration): string | number {
  return obj.spec?.limited?.limitResponse?.queuing?.handSize ?? '<none>';
}

export function print_PriorityLevelConfiguration_queueLengthLimit(obj: PriorityLevelConfiguration): string | number {
  return obj.spec?.limited?.limitResponse?.queuing?.queueLengthLimit ?? '<none>';
}

/** An integer in a string column, as Go's printer puts it. */
export function print_FlowSchema_matchingPrecedence(obj: FlowSchema): number {
  return obj.spec?.matchingPrecedence ?? 0;
}

/** Lists print by matching precedence, then name: the order the server matches requests in. */
export function order_FlowSchema(a: FlowSchema, b: FlowSchema): number {
  const byPrecedence = (a.spec?.matchingPrecedence ?? 0) - (b.spec?.matchingPrecedence ?? 0);
  if (byPrecedence) return byPrecedence;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}
