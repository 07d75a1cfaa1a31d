/**
 * The aggregator's identity towards aggregated API servers, as kubeadm sets it up: a front-proxy CA
 * (`pki/front-proxy-ca.crt`) and a client certificate it signs (`pki/front-proxy-client.crt`, CN
 * `front-proxy-client`). The aggregator presents that certificate and asserts the user in `X-Remote-*` headers;
 * the CA is what aggregated servers (and this one) trust as `--requestheader-client-ca-file`. Files are made once and
 * reused; `--proxy-client-cert-file`/`--proxy-client-key-file` replace the generated pair.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expired, issueCertificate, readPair as readCertificatePair, writePublic, writeSecret, type LoadedPair } from '../server/certs.ts';
import type { AggregatorOptions } from './options.ts';

export const frontProxyClientCN = 'front-proxy-client';

export interface ProxyClientCertificate {
  /** Current certificate and key (re-read when the files change, so rotation needs no restart). */
  current(): { certPem: string; keyPem: string };
  /** The generated front-proxy CA file, when the certificate was generated (absent with --proxy-client-cert-file). */
  generatedCAFile?: string;
}

/** A cert/key pair that belongs together and has not expired (else it is issued again). */
function readPair(certPath: string, keyPath: string): LoadedPair | undefined {
  const pair = readCertificatePair(certPath, keyPath);
  return pair && !expired(pair.cert) ? pair : undefined;
}

/** A self-signed CA (no issuer) or a client certificate signed by `issuer`, for `cn`. */
function issue(cn: string, keyPem: string, days: number, issuer?: LoadedPair): string {
  return issueCertificate({ subject: [{ shortName: 'CN', value: cn }], keyPem, days, issuer, extKeyUsage: 'clientAuth' });
}

const newKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** Makes (or reuses) the front-proxy CA and client certificate in `<dataDir>/pki/`. */
export function ensureFrontProxyCertificates(dataDir: string): { caFile: string; certFile: string; keyFile: string } {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'front-proxy-ca.crt');
  const caKeyFile = join(dir, 'front-proxy-ca.key');
  const certFile = join(dir, 'front-proxy-client.crt');
  const keyFile = join(dir, 'front-proxy-client.key');
  let ca = readPair(caFile, caKeyFile);
  let renewed = false;
  if (!ca || !ca.cert.ca) {
    const keyPem = newKey();
    writeSecret(caKeyFile, keyPem);
    writePublic(caFile, issue('front-proxy-ca', keyPem, 3650));
    ca = readPair(caFile, caKeyFile)!;
    renewed = true;
  }
  const client = renewed ? undefined : readPair(certFile, keyFile);
  if (!client || !client.cert.verify(ca.cert.publicKey)) {
    const keyPem = newKey();
    writeSecret(keyFile, keyPem);
    writePublic(certFile, issue(frontProxyClientCN, keyPem, 365, ca));
  }
  return { caFile, certFile, keyFile };
}

/** A certificate file pair read again whenever either file's modification time moved. */
function reloadingPair(certFile: string, keyFile: string): () => { certPem: string; keyPem: string } {
  let stamp = '';
  let pair = { certPem: '', keyPem: '' };
  let checked = 0;
  return () => {
    if (Date.now() - checked < 1000 && pair.certPem) return pair;
    checked = Date.now();
    try {
      const s = `${statSync(certFile).mtimeMs}/${statSync(keyFile).mtimeMs}`;
      if (s !== stamp) {
        pair = { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
        stamp = s;
      }
    } catch {
      // keep the last good pair; a file being replaced is read on the next call
    }
    return pair;
  };
}

/**
 * The proxy client certificate of these options: the flag's files, or the generated pair. Reading happens at once, so
 * a missing or unreadable file stops start-up.
 */
export function proxyClientCertificate(opts: AggregatorOptions, dataDir: string): ProxyClientCertificate {
  if (opts.proxyClientCertFile && opts.proxyClientKeyFile) {
    const current = reloadingPair(opts.proxyClientCertFile, opts.proxyClientKeyFile);
    readFileSync(opts.proxyClientCertFile);
    readFileSync(opts.proxyClientKeyFile);
    return { current };
  }
  const files = ensureFrontProxyCertificates(dataDir);
  return { current: reloadingPair(files.certFile, files.keyFile), generatedCAFile: files.caFile };
}
