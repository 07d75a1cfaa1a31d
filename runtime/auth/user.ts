/** The authenticated user of a request, as upstream's user.Info. Every handler reads it from the request context. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The API server itself, when its own hooks and controllers call the registry (loopback, as upstream). */
export const apiserverUser: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };

export const anonymousUser: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
