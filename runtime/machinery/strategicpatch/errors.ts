/**
 * The errors of strategic merge patch application, with the HTTP code kube-apiserver's patch handler gives each:
 * malformed directives are 400, lists of lists 422 (with the handler's generic message), and everything else
 * (missing merge keys, unknown `$patch` values, order lists that contradict the patch) reaches the client as a
 * 500 whose message is the error text, because upstream passes those errors through unconverted.
 */
import * as status from '../status.ts';
import { goString, goTypeName, goValue } from '../gofmt.ts';

export const badJSONDoc = 'invalid JSON document';
export const badPatchFormatForPrimitiveList = 'invalid patch format of primitive list';
export const badPatchFormatForRetainKeys = 'invalid patch format of retainKeys';
export const badPatchFormatForSetElementOrderList = 'invalid patch format of setElementOrder list';
export const noListOfLists = 'lists of lists are not supported';

/** 400 BadRequest with the error text. */
export function badRequest(message: string): status.StatusError {
  return status.badRequest(message);
}

/** 422 Invalid whose message is the generic one upstream's handler substitutes (the detail is not shown). */
export function unprocessable(): status.StatusError {
  return status.failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 500 with no reason: how kube-apiserver answers errors that are not API statuses. */
export function internal(message: string): status.StatusError {
  return status.failure(500, undefined, message);
}

export function noMergeKey(m: unknown, key: string): status.StatusError {
  return internal(`map: ${goValue(m)} does not contain declared merge key: ${key}`);
}

export function badArgType(expected: 'map' | 'list', actual: unknown): status.StatusError {
  return internal(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`);
}

export function badPatchType(directive: unknown, m: unknown): status.StatusError {
  return internal(`unknown patch type: ${goString(directive)} in map: ${goValue(m)}`);
}
