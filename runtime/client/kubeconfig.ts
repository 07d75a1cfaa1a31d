/**
 * Reads a kubeconfig file into what a RESTClient needs: the server URL and the TLS and bearer credentials of
 * one context (the current one unless named). Inline `*-data` fields and file paths (relative to the kubeconfig,
 * as kubectl resolves them) are both understood. Exec and auth-provider plugins are not.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** Where the server is and how to authenticate to it. */
export interface RESTConfig {
  /** Base URL, e.g. `https://127.0.0.1:6443`; a path prefix is kept. */
  server: string;
  /** PEM CA bundle that signs the server's certificate; the system roots when absent. */
  ca?: string;
  /** PEM client certificate and key (X.509 client authentication). */
  cert?: string;
  key?: string;
  /** Bearer token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Name to verify the server certificate against instead of the URL's host. */
  tlsServerName?: string;
  /** Skips server certificate verification. For tests against throw-away servers only. */
  insecureSkipTLSVerify?: boolean;
  /** Sent as User-Agent. */
  userAgent?: string;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, unknown>;

/**
 * Loads `path` and resolves `context` (default: `current-context`). Throws when the file, context, cluster or
 * user is missing, naming what to fix.
 */
export function loadKubeconfig(path: string, opts: { context?: string } = {}): RESTConfig {
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Fields;
  const base = dirname(resolve(path));
  const contextName = opts.context ?? (doc['current-context'] as string | undefined);
  if (!contextName) throw new Error(`kubeconfig ${path} has no current-context; pass a context name`);
  const find = (section: string, name: string, key: 'cluster' | 'user' | 'context'): Fields => {
    const entry = ((doc[section] as Named<Fields>[] | undefined) ?? []).find((e) => e.name === name);
    if (!entry) throw new Error(`kubeconfig ${path} has no ${key} named "${name}" in ${section}`);
    return entry[key] ?? {};
  };
  const context = find('contexts', contextName, 'context');
  const cluster = find('clusters', String(context.cluster ?? ''), 'cluster');
  const user = context.user ? find('users', String(context.user), 'user') : {};
  if (typeof cluster.server !== 'string' || !cluster.server) throw new Error(`kubeconfig ${path}: cluster "${context.cluster}" has no server`);

  const pem = (section: Fields, field: string): string | undefined => {
    const data = section[`${field}-data`];
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8');
    const file = section[field];
    if (typeof file === 'string' && file) return readFileSync(isAbsolute(file) ? file : resolve(base, file), 'utf8');
    return undefined;
  };
  const config: RESTConfig = { server: cluster.server };
  const ca = pem(cluster, 'certificate-authority');
  if (ca) config.ca = ca;
  const cert = pem(user, 'client-certificate');
  const key = pem(user, 'client-key');
  if (cert) config.cert = cert;
  if (key) config.key = key;
  if (typeof user.token === 'string' && user.token) config.token = user.token;
  else if (typeof user.tokenFile === 'string' && user.tokenFile) {
    config.token = readFileSync(isAbsolute(user.tokenFile) ? user.tokenFile : resolve(base, user.tokenFile), 'utf8').trim();
  }
  if (typeof cluster['tls-server-name'] === 'string') config.tlsServerName = cluster['tls-server-name'];
  if (cluster['insecure-skip-tls-verify'] === true) config.insecureSkipTLSVerify = true;
  return config;
}
