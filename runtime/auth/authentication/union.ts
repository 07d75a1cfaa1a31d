/**
 * The request authenticator: every configured authenticator is tried in turn and the first that recognises its
 * credential decides. As upstream's union, a credential that is recognised but invalid does not stop the others
 * (a client may present a certificate from another CA and a good token); but when nobody succeeds, any such
 * failure makes the request 401, never anonymous. A bearer token nobody recognises is such a failure too
 * (upstream's "invalid bearer token"). Authenticated users get system:authenticated; with anonymous access on,
 * requests without any credential are system:anonymous.
 */
import { anonymousUser, type UserInfo } from '../user.ts';
import { AuthenticationError, bearerToken, type AuthenticationRequest, type AuthenticationResponse, type Authenticator } from './types.ts';

export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';

/** Adds system:authenticated unless the user already carries it or system:unauthenticated (upstream's group adder). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

/** An authenticator's rejection, told apart from its answer without a closure per authenticator and request. */
class Refusal {
  constructor(readonly error: unknown) {}
}
const asRefusal = (e: unknown): Refusal => new Refusal(e);
const refusalMessage = (a: Authenticator, e: unknown): string => (e instanceof AuthenticationError ? e.message : `${a.name}: ${(e as Error)?.message ?? String(e)}`);

/**
 * `unknownTokenFails`: a bearer token nobody recognises is a failure (requests); a TokenReview asks the token
 * authenticators alone, and upstream then answers with no error at all.
 */
export function unionAuthenticator(name: string, authenticators: Authenticator[], opts: { unknownTokenFails: boolean } = { unknownTokenFails: true }): Authenticator {
  return {
    name,
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined> {
      // Made only when some authenticator fails: the request that authenticates at once allocates nothing here.
      let failures: string[] | undefined;
      for (const a of authenticators) {
        // A refusal is taken as the rejection it is: awaited, it would be thrown again here, and each throw costs
        // microseconds on a path most requests take (the front proxy refuses every other client certificate).
        let pending: Promise<AuthenticationResponse | undefined>;
        try {
          pending = a.authenticate(req);
        } catch (e) {
          pending = Promise.reject(e);
        }
        const res = await pending.then(undefined, asRefusal);
        if (res instanceof Refusal) {
          (failures ??= []).push(refusalMessage(a, res.error));
          continue;
        }
        try {
          if (res) return { ...res, user: withAuthenticatedGroup(res.user) };
        } catch (e) {
          (failures ??= []).push(refusalMessage(a, e)); // a response without a user counts as this authenticator's failure, as a throw would
        }
      }
      failures ??= [];
      if (failures.length === 0 && opts.unknownTokenFails && bearerToken(req) !== undefined) failures.push('invalid bearer token');
      if (failures.length) throw new AuthenticationError(failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`);
      return undefined;
    },
  };
}

/**
 * The whole decision for a request: the union's user, else system:anonymous when allowed. Throws
 * AuthenticationError for a 401.
 */
export function requestAuthenticator(union: Authenticator, opts: { anonymous: boolean }): (req: AuthenticationRequest) => Promise<AuthenticationResponse> {
  return async (req) => {
    const res = await union.authenticate(req);
    if (res) return res;
    if (!opts.anonymous) throw new AuthenticationError('Unauthorized');
    return { user: { ...anonymousUser, groups: [...anonymousUser.groups] } };
  };
}
