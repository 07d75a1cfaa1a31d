import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy } from '../../strategy.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { invalid, type FieldError } from '../../../machinery/field-errors.ts';
import type { ValidationOptions } from '../../../machinery/validation-options.ts';
import { goPointee } from '../../../machinery/go-syntax.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { goLabelSelector } from '../../../../apis/meta/v1/go-internal.ts';

/**
 * The workloads whose strategy, not their validation, holds the selector (Deployments, ReplicaSets, DaemonSets):
 * upstream's strategies refuse a selector change after the kind's update validation, for every group version but
 * the long-removed extensions/v1beta1, so `field is immutable` comes last among the causes, and once.
 */
export abstract class SelectorHoldingStrategy extends DefaultStrategy {
  protected override kindUpdateErrors(obj: StoredObject, old: StoredObject, opts: ValidationOptions, meta: ObjectMetaChecks): FieldError[] {
    return [...super.kindUpdateErrors(obj, old, opts, meta), ...selectorImmutable(obj.spec?.selector, old.spec?.selector)];
  }
}

/**
 * The selector as it was (upstream: `field is immutable`, the selector shown as Go prints it). Compared as Go values:
 * labels in another order or an empty matchExpressions are the same selector, a pointer set or not is not.
 */
function selectorImmutable(sel: unknown, oldSel: unknown): FieldError[] {
  const same = (sel == null) === (oldSel == null) && semanticEqual(sel, oldSel);
  return same ? [] : [invalid('spec.selector', goPointee(goLabelSelector, sel), 'field is immutable')];
}
