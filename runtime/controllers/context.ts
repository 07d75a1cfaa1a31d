/**
 * The request context of the controllers that upstream runs in kube-controller-manager: their writes are recorded
 * in managedFields under that program's name (upstream derives it from kube-controller-manager's User-Agent), so
 * a client reading field ownership sees what it would see against a real control plane.
 */
import type { UserInfo } from '../auth/user.ts';
import { systemContext, type RequestContext } from '../registry/store.ts';

export const controllerManagerFieldManager = 'kube-controller-manager';

/** The context of a controller's calls in `namespace`, as `user` (default: the server's own identity). */
export function controllerContext(namespace = '', user?: UserInfo): RequestContext {
  return { ...systemContext(namespace), ...(user && { user }), fieldManager: controllerManagerFieldManager };
}
