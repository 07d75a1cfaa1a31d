/**
 * A bearer-token user whom RBAC lets at the default namespace's ConfigMaps, for the measuring scripts (bench.ts's
 * auth section, cpu-perf.ts and alloc.ts `--token`): the server is started with a tokens file and Node,RBAC, a Role
 * and RoleBinding grant the user, and its requests carry `Authorization: Bearer`. Unlike the admin (a client
 * certificate in system:masters) such a user is authorized by RBAC and classified and queued by APF.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestServer } from '../test/support/server.ts';

export const benchToken = 'bench-token-0123456789';

/**
 * The server flags for the token user: a tokens file written in `dir` (default: a temporary directory removed when
 * this process exits), and RBAC (behind Node) as authorizer.
 */
export function tokenUserArgs(dir?: string): string[] {
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'kube-ts-token-user-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    dir = made;
  }
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, `${benchToken},bench,bench-uid,"bench-group"\n`);
  return ['--token-auth-file', tokens, '--authorization-mode', 'Node,RBAC'];
}

export type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<number>;

/** HTTPS as a bearer-token user: the server's CA, no client certificate (that would authenticate as admin). Answers the status. */
export function tokenClient(server: TestServer, token = benchToken): Send {
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(readFileSync(server.kubeconfig, 'utf8'))![1], 'base64').toString();
  const agent = new Agent({ ca, keepAlive: true });
  return (method, path, body, extra) =>
    new Promise<number>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/json' } : {}), ...extra };
      const req = request(`${server.url}${path}`, { method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(payload);
    });
}

/**
 * Grants the token user every verb on the default namespace's ConfigMaps (a Role and a RoleBinding, made as the
 * admin) and waits until a list as the user answers 200 (RBAC reads roles from its informers). Throws with the last
 * status when it does not within 5 s (token authentication or RBAC not configured).
 */
export async function grantConfigMaps(server: TestServer, asUser: Send): Promise<void> {
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'bench' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }] };
  const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bench' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bench' }, subjects: [{ kind: 'User', name: 'bench' }] };
  await server.request('POST', `${rbac}/roles`, role);
  await server.request('POST', `${rbac}/rolebindings`, binding);
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = await asUser('GET', '/api/v1/namespaces/default/configmaps');
    if (status !== 200) await sleep(100);
  }
  if (status !== 200) throw new Error(`the token user got ${status} (token authentication or RBAC not available)`);
}
