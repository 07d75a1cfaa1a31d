/**
 * How the server calls itself, as upstream's loopback client config: its own address, its own bearer token, and
 * a TLS certificate of its own for the name `apiserver-loopback-client`, served to clients that ask for that name
 * (SNI) and trusted by the loopback client. So a call to itself verifies whatever serving certificate the operator
 * configured (--tls-cert-file need not name any loopback address).
 *
 * The certificate, a self-signed CA and a leaf it signs, lives in memory only and is made on first use: most
 * starts never call themselves, and two RSA keys cost a noticeable part of a start.
 */
import { X509Certificate } from 'node:crypto';
import type { ClientCredentials } from '../admission/webhook/client.ts';
import type { LoopbackToken } from '../auth/authentication/loopback-token.ts';
import { issueCertificate, newKeyPem } from './certs.ts';

export const loopbackServerName = 'apiserver-loopback-client';

export interface LoopbackKeyPair {
  /** The CA the loopback client trusts. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

export class LoopbackCertificate {
  #pair: Promise<LoopbackKeyPair> | undefined;

  /** The certificate and key, made on the first call. */
  get(): Promise<LoopbackKeyPair> {
    this.#pair ??= selfSignedLoopbackPair();
    return this.#pair;
  }
}

/** As upstream's self-signed pair: a CA `<name>-ca@<unix time>` and a server certificate `<name>@<unix time>` for the name, a year each. */
async function selfSignedLoopbackPair(): Promise<LoopbackKeyPair> {
  const stamp = Math.floor(Date.now() / 1000);
  const caKey = await newKeyPem();
  const caPem = issueCertificate({ subject: [{ shortName: 'CN', value: `${loopbackServerName}-ca@${stamp}` }], keyPem: caKey, days: 365, ca: true });
  const keyPem = await newKeyPem();
  const certPem = issueCertificate({
    subject: [{ shortName: 'CN', value: `${loopbackServerName}@${stamp}` }],
    keyPem,
    days: 365,
    issuer: { cert: new X509Certificate(caPem), certPem: caPem, keyPem: caKey },
    extKeyUsage: 'serverAuth',
    sans: [loopbackServerName],
  });
  return { caPem, certPem, keyPem };
}

/** The server's client for itself: where it listens, its token and the certificate its calls trust. */
export interface LoopbackClient {
  /** e.g. `https://127.0.0.1:6443` (kubeconfig.ts's kubeconfigServerURL of the bind address). */
  url: string;
  token: LoopbackToken;
  certificate: LoopbackCertificate;
}

/** What a webhook call to the server itself carries: the token, and trust in the loopback certificate by its name. */
export async function loopbackCredentials(loopback: LoopbackClient): Promise<ClientCredentials> {
  const { caPem } = await loopback.certificate.get();
  return { authorization: loopback.token.authorization(), caPem, serverName: loopbackServerName };
}
