/**
 * Tolerations, as upstream's ValidateTolerations (pkg/apis/core/validation, v1.32): a pod spec's, a RuntimeClass's,
 * and those of the alpha `scheduler.alpha.kubernetes.io/tolerations` annotation a pod or pod template may carry
 * (ValidateTolerationsInPodAnnotations), which no schema checks, so the operator and effect enums are checked here.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, notSupported } from '../../../runtime/machinery/field-errors.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { isValidLabelValue } from '../../../runtime/machinery/string-checks.ts';
import { validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import { goToleration } from './go-internal.ts';
import type { Toleration } from './pod.ts';
import { decodeAnnotationJson } from './annotation-json.ts';

const operators = ['Equal', 'Exists'];
const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
export const tolerationsAnnotation = 'scheduler.alpha.kubernetes.io/tolerations';

export function validateTolerations(path: string, tolerations: Toleration[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.key) errors.push(...validateQualifiedName(t.key, `${at}.key`));
    if (!t.key && t.operator !== 'Exists') errors.push(invalid(`${at}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds != null && t.effect !== 'NoExecute') errors.push(invalid(`${at}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (t.operator === 'Exists') {
      if (t.value) errors.push(invalid(`${at}.operator`, goValue(goToleration, t), "value must be empty when `operator` is 'Exists'"));
    } else if (t.operator === 'Equal' || !t.operator) {
      // Every problem of the value in one error, joined as upstream joins them.
      const problems = isValidLabelValue(t.value ?? '');
      if (problems.length) errors.push(invalid(`${at}.operator`, t.value ?? '', problems.join(';')));
    } else {
      errors.push(notSupported(`${at}.operator`, t.operator, operators));
    }
    if (t.effect && !effects.includes(t.effect)) errors.push(notSupported(`${at}.effect`, t.effect, effects));
  });
  return errors;
}

/**
 * The alpha tolerations annotation of a pod or pod template, when not empty: JSON tolerations, each checked as the
 * spec's are at `<annotations>.scheduler.alpha.kubernetes.io/tolerations[i]`; text that does not decode is refused
 * at the annotations' path with Go's decoder's words.
 */
export function tolerationsAnnotationErrors(text: string, path: string): FieldError[] {
  const decoded = decodeAnnotationJson(text, 'tolerations');
  if ('error' in decoded) return [invalid(path, tolerationsAnnotation, decoded.error)];
  return validateTolerations(`${path}.${tolerationsAnnotation}`, (decoded.value as Toleration[] | null) ?? []);
}
