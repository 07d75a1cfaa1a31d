/**
 * The aggregator's identity towards aggregated API servers, as kubeadm sets it up: a front-proxy CA
 * (`pki/front-proxy-ca.crt`) and a client certificate it signs (`pki/front-proxy-client.crt`, CN
 * `front-proxy-client`). The aggregator presents that certificate and asserts the user in `X-Remote-*` headers;
 * the CA is what aggregated servers (and this one) trust as `--requestheader-client-ca-file`. Files are made once and
 * reused; `--proxy-client-cert-file`/`--proxy-client-key-file` replace the generated pair.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { expired, readPair as readCertificatePair, type LoadedPair } from '../server/certs.ts';
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

function write(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

function issue(cn: string, keyPem: string, days: number, issuer?: { certPem: string; keyPem: string }): string {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  cert.setSubject([{ shortName: 'CN', value: cn }]);
  if (issuer) {
    const issuerCert = forge.pki.certificateFromPem(issuer.certPem);
    cert.setIssuer(issuerCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', clientAuth: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(issuer.keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  } else {
    cert.setIssuer([{ shortName: 'CN', value: cn }]);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: true, cRLSign: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(key, forge.md.sha256.create());
  }
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
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
    write(caKeyFile, keyPem, 0o600);
    write(caFile, issue('front-proxy-ca', keyPem, 3650), 0o644);
    ca = readPair(caFile, caKeyFile)!;
    renewed = true;
  }
  const client = renewed ? undefined : readPair(certFile, keyFile);
  if (!client || !client.cert.verify(ca.cert.publicKey)) {
    const keyPem = newKey();
    write(keyFile, keyPem, 0o600);
    write(certFile, issue(frontProxyClientCN, keyPem, 365, ca), 0o644);
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
