/**
 * The wire side of `delete` and `deletecollection` (upstream's handlers/delete.go): DeleteOptions from the body
 * (JSON, YAML or protobuf, any group's `DeleteOptions`) or, when there is none, from the query; what a delete
 * answers; and a collection deleted item by item through the registry store, with the same options for each.
 */
import * as status from '../machinery/status.ts';
import { goQuote } from '../machinery/gofmt.ts';
import { goStructs } from '../machinery/godecode/index.ts';
import { goJsonDecodeError } from '../machinery/godecode/json.ts';
import { checkDeleteOptions, deleteCollection, type DeleteOptions, type DeleteResult } from '../registry/deletion.ts';
import type { RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';

export { checkDeleteOptions, deleteCollection };

/**
 * DeleteOptions from a decoded body. A field of the wrong type fails as upstream's decoder fails it; the delete
 * handler passes that error on as it is, so it is a 500 with Go's words (handlers/delete.go, ErrorToAPIStatus).
 */
function fromBody(body: StoredObject): DeleteOptions {
  if (body.kind !== undefined && body.kind !== 'DeleteOptions') {
    throw status.badRequest(`no kind "${String(body.kind)}" is registered for version "${String(body.apiVersion ?? '')}" in scheme "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/scheme.go:28"`);
  }
  const undecodable = goJsonDecodeError(goStructs, 'meta/v1/DeleteOptions', body);
  if (undecodable) throw status.failure(500, undefined, undecodable);
  const opts: DeleteOptions = {};
  const { gracePeriodSeconds, preconditions, propagationPolicy, orphanDependents, dryRun } = body;
  if (typeof gracePeriodSeconds === 'number') opts.gracePeriodSeconds = gracePeriodSeconds;
  if (preconditions && typeof preconditions === 'object') {
    opts.preconditions = { ...(preconditions.uid ? { uid: preconditions.uid } : {}), ...(preconditions.resourceVersion ? { resourceVersion: preconditions.resourceVersion } : {}) };
  }
  if (typeof propagationPolicy === 'string') opts.propagationPolicy = propagationPolicy;
  if (typeof orphanDependents === 'boolean') opts.orphanDependents = orphanDependents;
  if (Array.isArray(dryRun)) {
    const given = dryRun.filter((d): d is string => typeof d === 'string');
    if (given.length) opts.dryRun = given;
  }
  return opts;
}

/** Go's strconv.ParseBool, which query parameters go through. */
function parseBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw status.badRequest(`strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`);
}

/** DeleteOptions from the query parameters (used only when the request has no body, as upstream). */
function fromQuery(query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    if (!/^[-+]?\d+$/.test(grace)) throw status.badRequest(`strconv.ParseInt: parsing ${goQuote(grace)}: invalid syntax`);
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
