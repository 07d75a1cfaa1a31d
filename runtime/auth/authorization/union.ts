/**
 * Authorizers in turn (upstream's union authorizer): the first 'allow' or 'deny' decides; when every one has no
 * opinion, the request has none either, with their reasons joined. `system:masters` is allowed before any mode
 * runs (upstream's privileged-group authorizer), whatever the modes.
 */
import type { Attributes, AuthorizationResult, Authorizer } from './types.ts';
import { isPrivileged } from './types.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attrs: Attributes): Promise<AuthorizationResult> {
      if (isPrivileged(attrs.user)) return { decision: 'allow' };
      const reasons: string[] = [];
      const errors: string[] = [];
      for (const a of authorizers) {
        let result: AuthorizationResult;
        try {
          result = await a.authorize(attrs);
        } catch (e) {
          // A failing authorizer is no opinion (the next may still decide), and its error becomes a reason.
          errors.push((e as Error).message);
          continue;
        }
        if (result.decision !== 'no-opinion') return result;
        if (result.reason) reasons.push(result.reason);
        if (result.error) errors.push(result.error);
      }
      const out: AuthorizationResult = { decision: 'no-opinion', reason: reasons.join('\n') };
      if (errors.length) out.error = aggregateErrors(errors);
      return out;
    },
  };
}

export const alwaysAllowAuthorizer: Authorizer = { authorize: async () => ({ decision: 'allow' }) };

/** AlwaysDeny, as upstream: no opinion with a reason, so every request no earlier mode allowed is refused. */
export const alwaysDenyAuthorizer: Authorizer = { authorize: async () => ({ decision: 'no-opinion', reason: 'Everything is forbidden.' }) };
