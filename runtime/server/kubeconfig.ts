/**
 * Writes the admin kubeconfig (kubeadm's `admin.conf`): one cluster, one certificate-authenticated user, one
 * context, all inline as base64 `*-data` fields so the file is self-contained and works with stock kubectl.
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface AdminKubeconfigOptions {
  /** e.g. `https://127.0.0.1:6443`; see `kubeconfigServerURL`. */
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
}

/**
 * The URL a local client should use for a server bound to `bindAddress`: wildcard and loopback binds become
 * `127.0.0.1` (`::` becomes `[::1]`); anything else is used as is, IPv6 literals in brackets.
 */
export function kubeconfigServerURL(bindAddress: string, port: number): string {
  let host = bindAddress;
  if (bindAddress === '' || bindAddress === '0.0.0.0' || bindAddress === '127.0.0.1') host = '127.0.0.1';
  else if (bindAddress === '::') host = '[::1]';
  else if (isIP(bindAddress) === 6) host = `[${bindAddress}]`;
  return `https://${host}:${port}`;
}

/** Renders the kubeconfig YAML. */
export function adminKubeconfigYaml(opts: AdminKubeconfigOptions): string {
  const cluster = opts.clusterName ?? 'kube-ts';
  const user = opts.userName ?? 'kube-ts-admin';
  const context = opts.contextName ?? 'kube-ts';
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCertPem) } }],
    users: [
      {
        name: user,
        user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
  }, { lineWidth: 0 });
}

/** Writes the kubeconfig with mode 0600 (it holds a private key), replacing any previous file atomically. */
export function writeAdminKubeconfig(path: string, opts: AdminKubeconfigOptions): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, adminKubeconfigYaml(opts), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
