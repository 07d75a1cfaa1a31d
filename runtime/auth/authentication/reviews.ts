/**
 * authentication.k8s.io/v1 reviews, served without storage: TokenReview runs the bearer-token authenticators on
 * the token in the body (for spec.audiences, else the API audiences), SelfSubjectReview (`kubectl auth whoami`)
 * answers with the requesting user, as upstream's registry/authentication.
 */
import { SelfSubjectReview, TokenReview } from '../../../generated/authentication.k8s.io/v1/register.ts';
import { badRequest, internalError } from '../../machinery/status.ts';
import type { CreaterREST } from '../../registry/rest.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { UserInfo } from '../user.ts';
import { intersect } from './audiences.ts';
import type { ServerAuthentication } from './build.ts';

/** The wire form of a user (authentication.k8s.io/v1 UserInfo). */
export function wireUserInfo(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.groups.length ? { groups: [...user.groups] } : {}),
    ...(user.extra && Object.keys(user.extra).length ? { extra: structuredClone(user.extra) } : {}),
  };
}

export function tokenReviewREST(authn: Pick<ServerAuthentication, 'reviewToken' | 'apiAudiences'>): CreaterREST {
  return {
    kind: TokenReview,
    async create(ctx, _name, obj) {
      if (ctx.namespace) throw badRequest(`namespace is not allowed on this type: ${ctx.namespace}`);
      const spec = ((obj as { spec?: { token?: string; audiences?: string[] } }).spec ??= {});
      if (!spec.token) throw badRequest('token is required for TokenReview in authentication');
      const asked = spec.audiences?.length ? spec.audiences : authn.apiAudiences;
      const result = await authn.reviewToken(spec.token, asked);
      if (result.authenticated && asked.length && !intersect(result.audiences ?? [], asked).length) {
        throw internalError(new Error('error validating audiences'));
      }
      const status: Record<string, unknown> = { user: {} };
      if (result.authenticated && result.user) {
        status.authenticated = true;
        status.user = wireUserInfo(result.user);
        if (result.audiences?.length) status.audiences = result.audiences;
      }
      if (result.error) status.error = result.error;
      return { ...obj, status } as StoredObject;
    },
  };
}

export function selfSubjectReviewREST(): CreaterREST {
  return {
    kind: SelfSubjectReview,
    async create(ctx, _name, obj) {
      // Upstream answers with a new review: only the time of the answer and the user, nothing of the request's metadata.
      return {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
        status: { userInfo: wireUserInfo(ctx.user) },
      } as StoredObject;
    },
  };
}

/** Registers both reviews on the kube API server. */
export function registerAuthenticationREST(kube: { registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST): void }, authn: ServerAuthentication): void {
  kube.registerREST('authentication.k8s.io', 'v1', 'tokenreviews', '', tokenReviewREST(authn));
  kube.registerREST('authentication.k8s.io', 'v1', 'selfsubjectreviews', '', selfSubjectReviewREST());
}
