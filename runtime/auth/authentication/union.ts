/**
 * The request authenticator: every configured authenticator is tried in turn and the first that recognises its
 * credential decides. As upstream's union, a credential that is recognised but invalid does not stop the others
 * (a client may present a certificate from another CA and a good token); but when nobody succeeds, any such
 * failure makes the request 401, never anonymous. A bearer token nobody recognises is such a failure too
 * (upstream's "invalid bearer token"). Authenticated users get system:authenticated; with anonymous access on,
 * requests without any credential are system:anonymous.
 */
import { anonymousUser, type UserInfo } from '../user.ts';
import { AuthenticationError, bearerToken, type AuthenticationRequest, type AuthenticationResponse, type AuthenticationVerdict, type Authenticator } from './types.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

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

/** What one authenticator's verdict means to the union: the response to answer, a failure's message, or undefined (next). */
function outcome(a: Authenticator, verdict: AuthenticationVerdict | Refusal): AuthenticationResponse | string | undefined {
  if (!verdict) return undefined;
  if (verdict instanceof AuthenticationError) return verdict.message;
  if (verdict instanceof Refusal) return refusalMessage(a, verdict.error);
  try {
    return { ...verdict, user: withAuthenticatedGroup(verdict.user) };
  } catch (e) {
    return refusalMessage(a, e); // a response without a user counts as this authenticator's failure, as a throw would
  }
}

/** A union's verdict is never an error value: it throws (or rejects with) its failures. */
export interface UnionAuthenticator extends Authenticator {
  authenticate(req: AuthenticationRequest): AuthenticationResponse | undefined | Promise<AuthenticationResponse | undefined>;
}

/**
 * `unknownTokenFails`: a bearer token nobody recognises is a failure (requests); a TokenReview asks the token
 * authenticators alone, and upstream then answers with no error at all.
 *
 * The union answers at once while its authenticators do (client certificates, static tokens), and with a promise from
 * the first that returns one. When nobody succeeds, it throws (or rejects with) the AuthenticationError of the 401.
 */
export function unionAuthenticator(name: string, authenticators: Authenticator[], opts: { unknownTokenFails: boolean } = { unknownTokenFails: true }): UnionAuthenticator {
  /** The authenticators from `i` on; `failures` (made only when one fails) holds the refusals so far. */
  const from = (req: AuthenticationRequest, i: number, failures: string[] | undefined): AuthenticationResponse | undefined | Promise<AuthenticationResponse | undefined> => {
    for (; i < authenticators.length; i++) {
      const a = authenticators[i]!;
      let verdict;
      try {
        verdict = a.authenticate(req);
      } catch (e) {
        verdict = new Refusal(e);
      }
      // A rejection is taken as the refusal it is: awaited, it would be thrown again here, microseconds each.
      if (verdict instanceof Promise) return verdict.then(undefined, asRefusal).then((v) => decided(req, i, failures, outcome(a, v)));
      const out = outcome(a, verdict);
      if (typeof out === 'string') (failures ??= []).push(out);
      else if (out) return out;
    }
    return noneAccepted(req, failures);
  };
  const decided = (req: AuthenticationRequest, i: number, failures: string[] | undefined, out: AuthenticationResponse | string | undefined) => {
    if (typeof out === 'string') (failures ??= []).push(out);
    else if (out) return out;
    return from(req, i + 1, failures);
  };
  const noneAccepted = (req: AuthenticationRequest, failures: string[] = []): undefined => {
    if (failures.length === 0 && opts.unknownTokenFails && bearerToken(req) !== undefined) failures.push('invalid bearer token');
    if (failures.length) throw new AuthenticationError(aggregateErrors(failures));
    return undefined;
  };
  return { name, authenticate: (req) => from(req, 0, undefined) };
}

/**
 * The whole decision for a request: the union's user, else system:anonymous when allowed. Throws (or rejects with)
 * AuthenticationError for a 401; answers at once when the union does.
 */
export function requestAuthenticator(union: UnionAuthenticator, opts: { anonymous: boolean }): (req: AuthenticationRequest) => AuthenticationResponse | Promise<AuthenticationResponse> {
  const orAnonymous = (res: AuthenticationResponse | undefined): AuthenticationResponse => {
    if (res) return res;
    if (!opts.anonymous) throw new AuthenticationError('Unauthorized');
    return { user: { ...anonymousUser, groups: [...anonymousUser.groups] } };
  };
  return (req) => {
    const res = union.authenticate(req);
    return res instanceof Promise ? res.then(orAnonymous) : orAnonymous(res);
  };
}
