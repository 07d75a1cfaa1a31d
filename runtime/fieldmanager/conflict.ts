/**
 * The 409 an apply gets when it would change fields other managers own: upstream's NewConflictError, whose
 * message kubectl prints as is (followed by its advice on --force-conflicts), and one FieldManagerConflict cause
 * per field.
 */
import * as status from '../machinery/status.ts';
import { parseIdentifier, updateOperation } from './managed-fields.ts';

/** One field another manager owns: the manager's identifier and the field's path as upstream prints it. */
export interface ApplyConflict {
  manager: string;
  path: string;
}

/** `"kubectl"`, `"m" with subresource "status"`, `"kubectl-edit" using v1` for Update managers. */
export function printManager(id: string): string {
  const e = parseIdentifier(id);
  let out = JSON.stringify(e.manager ?? '');
  if (e.subresource) out += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === updateOperation) out += e.time ? ` using ${e.apiVersion} at ${e.time}` : ` using ${e.apiVersion}`;
  return out;
}

function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${conflicts[0].path}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function applyConflictError(conflicts: readonly ApplyConflict[]): status.StatusError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: c.path }));
  return status.failure(409, 'Conflict', conflictMessage(conflicts), { causes });
}
