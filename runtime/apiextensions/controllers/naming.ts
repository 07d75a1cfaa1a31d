/**
 * The naming controller (upstream's NamingConditionController): accepts a CRD's requested names into
 * `status.acceptedNames` unless another CRD of the same group already serves them, and reports the outcome as the
 * NamesAccepted condition (`NoConflicts`, or `PluralConflict`/`SingularConflict`/`ShortNamesConflict`/
 * `KindConflict`/`ListKindConflict` with `"x" is already in use`). A name in conflict keeps its previously
 * accepted value. While the CRD is not established yet, Established is set False (`NotAccepted`, or `Installing`
 * once the names are accepted) for the establishing controller to finish.
 */
import type { Logger } from 'pino';
import { WorkQueue } from '../../controllers/informer.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { goJson } from '../../machinery/json-value.ts';
import type { CRDCache } from './crd-cache.ts';
import { conditionEquivalent, findCondition, setCondition, type CRDCondition } from './conditions.ts';
import { updateStatus } from './status-writer.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

interface Names {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

/** Equal as JSON values, whatever order their fields were written in (goJson sorts keys). */
const same = (a: unknown, b: unknown) => goJson(a ?? null) === goJson(b ?? null);

/** Names in use in a group (resources: plural, singular, short names; kinds: kind, list kind), by accepted names. */
function namesInUse(crds: StoredObject[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const c of crds) {
    const n: Names = c.status?.acceptedNames ?? {};
    resources.add(n.plural ?? '');
    resources.add(n.singular ?? '');
    for (const s of n.shortNames ?? []) resources.add(s);
    kinds.add(n.kind ?? '');
    kinds.add(n.listKind ?? '');
  }
  return { resources, kinds };
}

function conflict(requested: string | undefined, accepted: string | undefined, used: Set<string>): string | undefined {
  const r = requested ?? '';
  if (r === (accepted ?? '') || !used.has(r)) return undefined;
  return `${JSON.stringify(r)} is already in use`;
}

/** The accepted names and the NamesAccepted and Established conditions a CRD should have, given its group. */
export function calculateNames(crd: StoredObject, group: StoredObject[]): { names: Names; namesAccepted: CRDCondition; established: CRDCondition } {
  const { resources, kinds } = namesInUse(group);
  const requested: Names = crd.spec?.names ?? {};
  const accepted: Names = crd.status?.acceptedNames ?? {};
  const names: Names = { ...accepted };
  const cond: CRDCondition = { type: 'NamesAccepted', status: 'Unknown' };
  const fail = (reason: string, message: string) => Object.assign(cond, { status: 'False', reason, message });

  // A requested name is taken unless another CRD of the group holds it; upstream checks in this order, the last
  // conflict naming the condition.
  const take = (field: 'plural' | 'singular' | 'kind' | 'listKind', reason: string, used: Set<string>) => {
    const error = conflict(requested[field], accepted[field], used);
    if (error) fail(reason, error);
    else names[field] = requested[field];
  };
  take('plural', 'PluralConflict', resources);
  take('singular', 'SingularConflict', resources);
  if (!same(requested.shortNames, accepted.shortNames)) {
    const existing = new Set(accepted.shortNames ?? []);
    const errs = (requested.shortNames ?? []).filter((s) => !existing.has(s)).map((s) => conflict(s, '', resources)).filter((e): e is string => !!e);
    // One conflict per requested short name, a repeated name's repeated (the aggregate says each once).
    if (errs.length) fail('ShortNamesConflict', aggregateErrors(errs));
    else names.shortNames = requested.shortNames;
  }
  take('kind', 'KindConflict', kinds);
  take('listKind', 'ListKindConflict', kinds);
  names.categories = requested.categories;
  if (names.categories === undefined) delete names.categories;
  if (names.shortNames === undefined) delete names.shortNames;

  if (cond.status === 'Unknown') Object.assign(cond, { status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });

  let established: CRDCondition = findCondition(crd, 'Established') ?? { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  if (established.status !== 'True' && cond.status === 'True') {
    established = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
  }
  return { names, namesAccepted: cond, established };
}

export class NamingController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly cache: CRDCache,
    private readonly statusStore: RegistryStore,
    log: Logger,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, 'crd_naming_condition_controller');
    cache.onChange((_type, crd) => this.queue.add(crd.metadata.name));
  }

  /** Queues every CRD known at start (the cache's first list). */
  start(): void {
    for (const name of this.cache.items.keys()) this.queue.add(name);
  }

  stop(): void {
    this.queue.stop();
  }

  private requeueGroup(name: string, group: string): void {
    for (const c of this.cache.inGroup(group)) if (c.metadata.name !== name) this.queue.add(c.metadata.name);
  }

  private async sync(name: string): Promise<void> {
    const crd = this.cache.items.get(name);
    if (!crd) {
      // Its names are free now: others of its group may take them.
      this.requeueGroup(name, name.split('.').slice(1).join('.'));
      return;
    }
    if (same(crd.spec?.names, crd.status?.acceptedNames)) return;
    const { names, namesAccepted, established } = calculateNames(crd, this.cache.inGroup(crd.spec?.group));
    if (same(crd.status?.acceptedNames, names) && conditionEquivalent(namesAccepted, findCondition(crd, 'NamesAccepted'))) return;
    const next = structuredClone(crd);
    next.status = { ...(next.status ?? {}), acceptedNames: names };
    setCondition(next, namesAccepted);
    setCondition(next, established);
    const stored = await updateStatus(this.statusStore, next);
    if (!stored) return;
    this.cache.mutated(stored);
    this.requeueGroup(name, crd.spec?.group);
  }
}
