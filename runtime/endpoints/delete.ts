/**
 * The wire side of `delete` and `deletecollection` (upstream's handlers/delete.go): DeleteOptions from the body
 * (JSON, YAML or protobuf, any group's `DeleteOptions`) or, when there is none, from the query; what a delete
 * answers; and a collection deleted item by item through the registry store, with the same options for each.
 */
import * as status from '../machinery/status.ts';
import { checkDeleteOptions, deleteCollection, type DeleteOptions, type DeleteResult } from '../registry/deletion.ts';
import type { RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';

export { checkDeleteOptions, deleteCollection };

function typeError(field: string, value: unknown, goType: string): status.StatusError {
  const jsType = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  return status.badRequest(`json: cannot unmarshal ${jsType} into Go struct field DeleteOptions.${field} of type ${goType}`);
}

/** DeleteOptions from a decoded body; fields of the wrong type are refused with 400, as decoding fails upstream. */
function fromBody(body: StoredObject): DeleteOptions {
  if (body.kind !== undefined && body.kind !== 'DeleteOptions') {
    throw status.badRequest(`no kind "${String(body.kind)}" is registered for version "${String(body.apiVersion ?? '')}" in scheme "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/scheme.go:28"`);
  }
  const opts: DeleteOptions = {};
  const { gracePeriodSeconds, preconditions, propagationPolicy, orphanDependents, dryRun } = body;
  if (gracePeriodSeconds !== undefined && gracePeriodSeconds !== null) {
    if (typeof gracePeriodSeconds !== 'number' || !Number.isInteger(gracePeriodSeconds)) throw typeError('gracePeriodSeconds', gracePeriodSeconds, 'int64');
    opts.gracePeriodSeconds = gracePeriodSeconds;
  }
  if (preconditions !== undefined && preconditions !== null) {
    if (typeof preconditions !== 'object' || Array.isArray(preconditions)) throw typeError('preconditions', preconditions, 'v1.Preconditions');
    for (const f of ['uid', 'resourceVersion'] as const) {
      const v = preconditions[f];
      if (v !== undefined && v !== null && typeof v !== 'string') throw typeError(`preconditions.${f}`, v, 'string');
    }
    opts.preconditions = { ...(preconditions.uid ? { uid: preconditions.uid } : {}), ...(preconditions.resourceVersion ? { resourceVersion: preconditions.resourceVersion } : {}) };
  }
  if (propagationPolicy !== undefined && propagationPolicy !== null) {
    if (typeof propagationPolicy !== 'string') throw typeError('propagationPolicy', propagationPolicy, 'v1.DeletionPropagation');
    opts.propagationPolicy = propagationPolicy;
  }
  if (orphanDependents !== undefined && orphanDependents !== null) {
    if (typeof orphanDependents !== 'boolean') throw typeError('orphanDependents', orphanDependents, 'bool');
    opts.orphanDependents = orphanDependents;
  }
  if (dryRun !== undefined && dryRun !== null) {
    if (!Array.isArray(dryRun) || dryRun.some((d) => typeof d !== 'string')) throw typeError('dryRun', dryRun, '[]string');
    if (dryRun.length) opts.dryRun = dryRun;
  }
  return opts;
}

/** Go's strconv.ParseBool, which query parameters go through. */
function parseBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw status.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** DeleteOptions from the query parameters (used only when the request has no body, as upstream). */
function fromQuery(query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    if (!/^[-+]?\d+$/.test(grace)) throw status.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(grace)}: invalid syntax`);
    opts.gracePeriodSeconds = Number(grace);
  }
  const policy = query.get('propagationPolicy');
  if (policy !== null && policy !== '') opts.propagationPolicy = policy;
  const orphan = query.get('orphanDependents');
  if (orphan !== null && orphan !== '') opts.orphanDependents = parseBool('orphanDependents', orphan);
  const dryRun = query.getAll('dryRun').filter((d) => d !== '');
  if (dryRun.length) opts.dryRun = dryRun;
  return opts;
}

/** The options of a delete: the body's when it has one, else the query's. Checked by the registry (422). */
export async function deleteOptions(query: URLSearchParams, body: () => Promise<StoredObject | undefined>): Promise<DeleteOptions> {
  const decoded = await body();
  return decoded ? fromBody(decoded) : fromQuery(query);
}

/**
 * What a delete answers: the object while it waits (finalizers, grace period; 202 when the deprecated
 * `orphanDependents: false` asked for it), the deleted object for kinds that return it, else a Success Status.
 */
export function deleteResponse(store: RegistryStore, name: string, opts: DeleteOptions, result: DeleteResult): { body: StoredObject; isObject: boolean; code: number } {
  const { obj, deleted } = result;
  const code = !deleted && opts.orphanDependents === false ? 202 : 200;
  if (!deleted || store.strategy.returnDeletedObject) return { body: obj, isObject: true, code };
  const details: status.StatusDetails = { name: obj.metadata?.name ?? name, ...(store.kind.group ? { group: store.kind.group } : {}), kind: store.kind.resource, uid: obj.metadata?.uid };
  return { body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, isObject: false, code };
}
