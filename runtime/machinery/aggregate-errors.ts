/**
 * apimachinery's aggregate error text (util/errors.NewAggregate(...).Error()): one message as it is, several
 * deduplicated in `[a, b]` (one left after deduplicating: no brackets). Messages of Invalid Status errors, RBAC's
 * resolution errors and CRD default checks read so.
 */
export function aggregateErrors(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
