import { randomUUID } from 'node:crypto';

/** The authenticated user of a request, as upstream's user.Info. Every handler reads it from the request context. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/**
 * The API server itself: its in-process calls to the registry (hooks, controllers) and its calls over loopback
 * (runtime/auth/authentication/loopback-token.ts), as upstream's loopback identity: a UID new at every start,
 * every authenticated user's group and the privileged group.
 */
export const apiserverUser: UserInfo = { name: 'system:apiserver', uid: randomUUID(), groups: ['system:authenticated', 'system:masters'] };

export const anonymousUser: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
