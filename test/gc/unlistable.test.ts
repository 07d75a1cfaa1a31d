/**
 * A resource the collector cannot list (Secrets that no configured key decrypts) does not stop it: the server is
 * ready at once, and after the initial sync timeout (30 s, as kube-controller-manager's) it collects the rest.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { create, createConfigMap, namespace, ownerRef, paths, waitGone } from './helpers.ts';

function encryptionConfig(dir: string, name: string, secret: string): string {
  const path = join(dir, name);
  writeFileSync(path, `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: ${secret}
`);
  return path;
}

describe('garbage collector: a resource that cannot be listed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-gc-unlistable-'));
  let server: TestServer | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects the other resources after the initial sync timeout', async () => {
    const dataDir = join(dir, 'data');
    server = await startServer({ dataDir, args: ['--encryption-provider-config', encryptionConfig(dir, 'right.yaml', randomBytes(32).toString('base64'))] });
    const port = server.port;
    await namespace(server, 'gc-secrets');
    await create(server, '/api/v1/namespaces/gc-secrets/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    const owner = await createConfigMap(server, 'gc-secrets', 'owner');
    await createConfigMap(server, 'gc-secrets', 'dependent', [ownerRef(owner)]);
    await server.stop();

    // The same key name with other bytes: the stored Secret can no longer be read.
    server = await startServer({ dataDir, port, args: ['--encryption-provider-config', encryptionConfig(dir, 'wrong.yaml', randomBytes(32).toString('base64'))] });
    assert.equal((await server.request('GET', '/api/v1/namespaces/gc-secrets/secrets/s')).status, 500);
    assert.equal((await server.request('DELETE', paths.configMap('gc-secrets', 'owner'))).status, 200);
    await waitGone(server, paths.configMap('gc-secrets', 'dependent'), 60_000);
  });
});
