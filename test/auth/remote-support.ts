/**
 * Helpers for authentication tests: a CA-signed serving certificate for tiny HTTPS servers that stand in for
 * remote issuers and webhooks, and such a server on a free loopback port.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../runtime/server/certs.ts';

export interface TestPKI {
  dir: string;
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** A client certificate signed by the same CA (CN kube-ts-admin). */
  clientCertPem: string;
  clientKeyPem: string;
}

/** A fresh CA with a serving certificate for 127.0.0.1/localhost, written to a temporary directory. */
export async function testPKI(): Promise<TestPKI> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-authpki-'));
  const c = await ensureCertificates(dir, { bindAddress: '127.0.0.1' });
  const caFile = join(dir, 'test-ca.crt');
  writeFileSync(caFile, c.caCertPem);
  return { dir, caFile, caPem: c.caCertPem, certPem: c.certPem, keyPem: c.keyPem, clientCertPem: c.adminCertPem, clientKeyPem: c.adminKeyPem };
}

export interface TestHTTPSServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHTTPSServer(pki: TestPKI, handler: (req: IncomingMessage, res: ServerResponse, body: string) => void, opts: { requestCert?: boolean } = {}): Promise<TestHTTPSServer> {
  const server: Server = createServer({ key: pki.keyPem, cert: pki.certPem, ca: pki.caPem, requestCert: opts.requestCert ?? false, rejectUnauthorized: opts.requestCert ?? false }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig for a webhook at `server`, trusting the test CA, with the test client certificate. */
export function webhookKubeconfig(pki: TestPKI, server: string, file: string, withClientCert = true): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: webhook',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(pki.caPem)}`,
      'users:',
      '- name: apiserver',
      '  user:',
      ...(withClientCert ? [`    client-certificate-data: ${b64(pki.clientCertPem)}`, `    client-key-data: ${b64(pki.clientKeyPem)}`] : []),
      'contexts:',
      '- name: webhook',
      '  context: {cluster: webhook, user: apiserver}',
      'current-context: webhook',
      '',
    ].join('\n'),
  );
  return file;
}
