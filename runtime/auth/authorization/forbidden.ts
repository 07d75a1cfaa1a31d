/** The 403 a refused request gets, worded as upstream's responsewriters.Forbidden. */
import type { Status } from '../../machinery/status.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import { failure } from '../../machinery/status.ts';
import type { Attributes } from './types.ts';

/** `User "bob" cannot list resource "pods" in API group "" in the namespace "default"` (or `cannot get path "/x"`). */
export function forbiddenMessage(attrs: Attributes): string {
  const user = goQuote(attrs.user.name);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace ${goQuote(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)} ${where}`;
}

/**
 * A Forbidden Status as apierrors.NewForbidden builds it: `pods "x" is forbidden: ...`, `deployments.apps is
 * forbidden: ...`, or `forbidden: ...` for plain paths; the authorizers' reason is appended after `: `.
 */
export function forbiddenStatus(attrs: Attributes, reason: string): Status {
  const detail = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  return forbiddenError(attrs.resourceRequest ? attrs.apiGroup : '', attrs.resourceRequest ? attrs.resource : '', attrs.resourceRequest ? attrs.name : '', detail);
}

/** apierrors.NewForbidden(group/resource, name, err). */
export function forbiddenError(group: string, resource: string, name: string, detail: string): Status {
  const qualified = group ? `${resource}.${group}` : resource;
  const message = !resource ? `forbidden: ${detail}` : name ? `${qualified} ${goQuote(name)} is forbidden: ${detail}` : `${qualified} is forbidden: ${detail}`;
  return failure(403, 'Forbidden', message, { name: name || undefined, group: group || undefined, kind: resource || undefined }).status;
}
