/**
 * Helpers of the computed `kubectl get` columns (`printers.ts` of each group version), in the formats of
 * upstream's Go printers (pkg/printers/internalversion/printers.go): selectors, container lists, "+ N more".
 */
import { labelSelectorFromObject } from '../../../runtime/machinery/selectors.ts';
import type { LabelSelector } from './types.ts';

/** metav1.FormatLabelSelector: the selector's string form, `<none>` when it selects everything or nothing. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<none>';
  return labelSelectorFromObject(sel).toString() || '<none>';
}

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` for an empty map. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

type Containers = { containers?: Array<{ name?: string; image?: string }> } | undefined;

/** layoutContainerCells: the containers' names, comma-separated. */
export function containerNames(spec: Containers): string {
  return (spec?.containers ?? []).map((c) => c.name ?? '').join(',');
}

/** layoutContainerCells: the containers' images, comma-separated. */
export function containerImages(spec: Containers): string {
  return (spec?.containers ?? []).map((c) => c.image ?? '').join(',');
}

/** listWithMoreString: at most `max` entries, then `+ N more...`; `<unset>` when there are none. */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown || '<unset>';
}
