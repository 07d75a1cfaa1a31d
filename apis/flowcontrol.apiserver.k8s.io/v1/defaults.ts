/** flowcontrol.apiserver.k8s.io/v1 defaults, as upstream's: unset numbers get the documented values. */
import type { FlowSchemaSpec } from './flowschema.ts';
import type { ExemptPriorityLevelConfiguration, LimitedPriorityLevelConfiguration, QueuingConfiguration } from './prioritylevelconfiguration.ts';

export function setDefaults_FlowSchemaSpec(obj: FlowSchemaSpec): void {
  if (!obj.matchingPrecedence) obj.matchingPrecedence = 1000;
}

/** v1 keeps an explicit 0 (a level that only borrows); only an unset value becomes 30. */
export function setDefaults_LimitedPriorityLevelConfiguration(obj: LimitedPriorityLevelConfiguration): void {
  if (obj.nominalConcurrencyShares === undefined || obj.nominalConcurrencyShares === null) obj.nominalConcurrencyShares = 30;
  if (obj.lendablePercent === undefined || obj.lendablePercent === null) obj.lendablePercent = 0;
}

export function setDefaults_ExemptPriorityLevelConfiguration(obj: ExemptPriorityLevelConfiguration): void {
  if (obj.nominalConcurrencyShares === undefined || obj.nominalConcurrencyShares === null) obj.nominalConcurrencyShares = 0;
  if (obj.lendablePercent === undefined || obj.lendablePercent === null) obj.lendablePercent = 0;
}

export function setDefaults_QueuingConfiguration(obj: QueuingConfiguration): void {
  if (!obj.queues) obj.queues = 64;
  if (!obj.handSize) obj.handSize = 8;
  if (!obj.queueLengthLimit) obj.queueLengthLimit = 50;
}
