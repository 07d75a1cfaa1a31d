/** The 403 a refused request gets, worded as upstream's responsewriters.ForbiddenStatusError. */
import type { Status } from '../../machinery/status.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import { forbidden } from '../../machinery/status.ts';
import type { Attributes } from './types.ts';

/** `User "bob" cannot list resource "pods" in API group "" in the namespace "default"` (or `cannot get path "/x"`). */
export function forbiddenMessage(attrs: Attributes): string {
  const user = goQuote(attrs.user.name);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace ${goQuote(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)} ${where}`;
}

// Upstream escapes what would read as HTML in the message (not in the authorizers' reason); quotes stay.
const html: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const sanitize = (s: string) => s.replace(/[&<>]/g, (c) => html[c]);

/**
 * A refusal of `attrs` as apierrors.NewForbidden words it (status.ts `forbidden`): `pods "x" is forbidden: ...`,
 * `deployments.apps is forbidden: ...`, or `forbidden: ...` for plain paths; the authorizers' reason follows `: `.
 */
export function forbiddenStatus(attrs: Attributes, reason: string): Status {
  const message = sanitize(forbiddenMessage(attrs));
  const detail = reason ? `${message}: ${reason}` : message;
  const resource = attrs.resourceRequest ? { group: attrs.apiGroup, resource: attrs.resource } : { group: '', resource: '' };
  return forbidden(resource, attrs.resourceRequest ? attrs.name : '', detail).status;
}
