/**
 * Impersonation (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid`, `Impersonate-Extra-<key>`): the
 * authenticated user asks to act as someone else. Every part is authorized on its own with verb `impersonate`
 * (users, groups and serviceaccounts in the core group; uids and userextras/<key> in authentication.k8s.io) before
 * the request's user is replaced, as upstream's impersonation filter. Any refusal is 403 and nothing of the
 * request's own identity leaks into the new one.
 */
import { internalError, StatusError } from '../../machinery/status.ts';
import { forbiddenStatus } from '../authorization/forbidden.ts';
import type { UserInfo } from '../user.ts';
import type { Attributes, AuthorizationResult } from '../authorization/types.ts';
import { unescapeExtraKey } from './request-header.ts';
import { headerValues, type AuthenticationRequest } from './types.ts';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED } from './union.ts';

export const IMPERSONATE_USER = 'impersonate-user';
export const IMPERSONATE_GROUP = 'impersonate-group';
export const IMPERSONATE_UID = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

/** What impersonation asks the authorizers: the `impersonate` verb on one resource. */
export type AuthorizationAttributes = Attributes & { resourceRequest: true };

export type AuthorizeFn = (attrs: AuthorizationAttributes) => Promise<Pick<AuthorizationResult, 'decision' | 'reason'>>;

interface Wanted {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  name: string;
  namespace?: string;
  extraKey?: string;
}

const SA_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<ns>:<name>` split as upstream's serviceaccount.SplitUsername (both parts non-empty, no more colons). */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

function describeWanted(w: Wanted[]): string {
  return `[${w.map((x) => `{${x.kind} ${x.namespace ?? ''} ${x.name}${x.extraKey ? ` ${x.extraKey}` : ''}}`).join(' ')}]`;
}

/** Reads the impersonation headers; [] when there are none. Throws 500 for parts without a user, as upstream. */
export function impersonationRequests(req: Pick<AuthenticationRequest, 'header' | 'headerValues' | 'headerNames'>): Wanted[] {
  const wanted: Wanted[] = [];
  // A repeated header counts by its first line, as Go's Header.Get (never the lines joined with commas).
  const first = (name: string) => headerValues(req, name)[0];
  const user = first(IMPERSONATE_USER);
  if (user) {
    const sa = splitServiceAccountUsername(user);
    wanted.push(sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: user });
  }
  const groups = headerValues(req, IMPERSONATE_GROUP);
  for (const g of groups) wanted.push({ kind: 'Group', name: g });
  let hasExtra = false;
  for (const header of req.headerNames?.() ?? []) {
    const lower = header.toLowerCase();
    if (!lower.startsWith(IMPERSONATE_EXTRA_PREFIX)) continue;
    hasExtra = true;
    const extraKey = unescapeExtraKey(lower.slice(IMPERSONATE_EXTRA_PREFIX.length));
    for (const v of headerValues(req, header)) wanted.push({ kind: 'UserExtra', name: v, extraKey });
  }
  const uid = first(IMPERSONATE_UID);
  if (uid) wanted.push({ kind: 'UID', name: uid });
  if ((groups.length || hasExtra || uid) && !user) throw internalError(new Error(`requested ${describeWanted(wanted)} without impersonating a user`));
  return wanted;
}

/** Upstream answers a refused impersonation with responsewriters.Forbidden, as any refused request. */
function forbiddenImpersonation(a: AuthorizationAttributes, reason: string | undefined): StatusError {
  return new StatusError(forbiddenStatus(a, reason ?? ''));
}

/**
 * The user the request acts as: undefined when it asks for no impersonation, else the impersonated user once the
 * requestor may impersonate every part. Throws a StatusError (403 Forbidden) otherwise.
 */
export async function impersonate(requestor: UserInfo, req: Pick<AuthenticationRequest, 'header' | 'headerValues' | 'headerNames'>, authorize: AuthorizeFn): Promise<UserInfo | undefined> {
  const wanted = impersonationRequests(req);
  if (!wanted.length) return undefined;
  const groupsSpecified = headerValues(req, IMPERSONATE_GROUP).length > 0;
  let name = '';
  let uid: string | undefined;
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const w of wanted) {
    const attrs: AuthorizationAttributes = { user: requestor, verb: 'impersonate', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: w.name, resourceRequest: true, path: '' };
    switch (w.kind) {
      case 'ServiceAccount':
        attrs.resource = 'serviceaccounts';
        attrs.namespace = w.namespace!;
        attrs.apiVersion = 'v1';
        name = `${SA_PREFIX}${w.namespace}:${w.name}`;
        if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${w.namespace}`];
        break;
      case 'User':
        attrs.resource = 'users';
        attrs.apiVersion = 'v1';
        name = w.name;
        break;
      case 'Group':
        attrs.resource = 'groups';
        attrs.apiVersion = 'v1';
        groups.push(w.name);
        break;
      case 'UserExtra':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.apiVersion = 'v1';
        attrs.resource = 'userextras';
        attrs.subresource = w.extraKey!;
        (extra[w.extraKey!] ??= []).push(w.name);
        break;
      case 'UID':
        attrs.apiGroup = 'authentication.k8s.io';
        attrs.apiVersion = 'v1';
        attrs.resource = 'uids';
        uid = w.name;
        break;
    }
    let verdict: Awaited<ReturnType<AuthorizeFn>>;
    try {
      verdict = await authorize(attrs);
    } catch (e) {
      throw forbiddenImpersonation(attrs, (e as Error).message);
    }
    if (verdict.decision !== 'allow') throw forbiddenImpersonation(attrs, verdict.reason);
  }
  if (name !== 'system:anonymous') {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { name, ...(uid ? { uid } : {}), groups, ...(Object.keys(extra).length ? { extra } : {}) };
}
