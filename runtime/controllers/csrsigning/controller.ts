/**
 * The CSR signing controller (kube-controller-manager's `certificatesigningrequest-signing-controller`, run
 * in-process): approved, not failed, not yet issued requests for the built-in signers are signed by the cluster CA
 * (`--cluster-signing-cert-file`/`--cluster-signing-key-file`, by default the data dir's `pki/ca.crt` and `ca.key`)
 * with the requested usages, for `spec.expirationSeconds` capped to `--cluster-signing-duration` (at least 10
 * minutes). A request its signer does not accept gets a Failed condition instead. Writes go through `/status`, so
 * the CertificateSigning admission plug-in sees them.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { CertificateAuthority } from '../../certificates/authority.ts';
import { parseCSR } from '../../certificates/csr.ts';
import { requestPem } from '../../certificates/validation.ts';
import { StatusError } from '../../machinery/status.ts';
import { nowTime } from '../../registry/objectmeta.ts';
import type { RegistryStore, RequestContext } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { Informer, WorkQueue } from '../informer.ts';
import { builtInSigners, signerValidationError } from './signers.ts';
import { controllerContext } from '../context.ts';

export const csrSigningControllerName = 'certificatesigningrequest-signing-controller';

/** The identity the controller writes as (kube-controller-manager's service account for it). */
export const csrSigningUser = {
  name: 'system:serviceaccount:kube-system:certificate-controller',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

export interface CSRSigningConfig {
  certFile: string;
  keyFile: string;
  /** The longest certificate it issues (--cluster-signing-duration). */
  durationMs: number;
}

const minDurationMs = 10 * 60 * 1000;

/** The lifetime of a certificate for `expirationSeconds`, as upstream: the configured maximum, at least 10 minutes. */
export function certificateDurationMs(expirationSeconds: number | undefined, maxMs: number): number {
  if (expirationSeconds === undefined || expirationSeconds === null) return maxMs;
  const requested = expirationSeconds * 1000;
  if (requested > maxMs) return maxMs;
  if (requested < minDurationMs) return minDurationMs;
  return requested;
}

const isTrue = (csr: StoredObject, type: string) => (csr.status?.conditions ?? []).some((c: StoredObject) => c?.type === type && c?.status === 'True');

export class CSRSigningController {
  private readonly informer: Informer;
  private readonly queue: WorkQueue;
  private readonly ctx: RequestContext = controllerContext('', csrSigningUser);
  private ca: CertificateAuthority | undefined;
  private caLoadedFrom = '';

  constructor(
    private readonly opts: { csrs: RegistryStore; csrStatus: RegistryStore; config: CSRSigningConfig; log: Logger },
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), opts.log, csrSigningControllerName);
    this.informer = new Informer(opts.csrs, this.ctx, (type, obj) => {
      if (type !== 'DELETED' && this.wants(obj)) this.queue.add(obj.metadata.name);
    }, opts.log);
  }

  async start(): Promise<void> {
    const { certFile, keyFile } = this.opts.config;
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      // Brought-in serving certificates leave no cluster CA key in the data dir: nothing to sign with.
      this.opts.log.warn({ controller: csrSigningControllerName, certFile, keyFile }, 'no signing CA: approved CSRs are not signed (set --cluster-signing-cert-file and --cluster-signing-key-file)');
      return;
    }
    await this.informer.start();
  }

  stop(): void {
    this.informer.stop();
    this.queue.stop();
  }

  private wants(csr: StoredObject): boolean {
    return isTrue(csr, 'Approved') && !isTrue(csr, 'Failed') && !csr.status?.certificate && (builtInSigners as readonly string[]).includes(csr.spec?.signerName);
  }

  /** The CA, read again when its files change (as upstream's dynamic CA loader). */
  private authority(): CertificateAuthority {
    const { certFile, keyFile } = this.opts.config;
    const certPem = readFileSync(certFile, 'utf8');
    const keyPem = readFileSync(keyFile, 'utf8');
    const stamp = certPem + keyPem;
    if (!this.ca || stamp !== this.caLoadedFrom) {
      this.ca = new CertificateAuthority(certPem, keyPem);
      this.caLoadedFrom = stamp;
    }
    return this.ca;
  }

  private async sync(name: string): Promise<void> {
    let csr: StoredObject;
    try {
      csr = await this.opts.csrs.get(this.ctx, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    if (!this.wants(csr)) return;
    const usages: string[] = csr.spec?.usages ?? [];
    let parsed;
    try {
      parsed = parseCSR(requestPem(csr));
    } catch (e) {
      throw new Error(`unable to parse csr "${name}": ${(e as Error).message}`);
    }
    const refusal = signerValidationError(csr.spec.signerName, parsed, usages);
    if (refusal) {
      const failed = { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: refusal, lastUpdateTime: nowTime() };
      await this.writeStatus(csr, { ...csr.status, conditions: [...(csr.status?.conditions ?? []), failed] });
      return;
    }
    const certificate = this.authority().sign(parsed, { usages, ttlMs: certificateDurationMs(csr.spec.expirationSeconds, this.opts.config.durationMs) });
    await this.writeStatus(csr, { ...csr.status, certificate: Buffer.from(certificate).toString('base64') });
    this.opts.log.info({ controller: csrSigningControllerName, csr: name, signer: csr.spec.signerName }, 'issued certificate');
  }

  /** Writes `status` through /status with the resourceVersion read (a conflict retries the sync). */
  private async writeStatus(csr: StoredObject, status: StoredObject): Promise<void> {
    await this.opts.csrStatus.update(this.ctx, csr.metadata.name, { ...csr, status });
  }
}

/** The CA files and duration the controller uses; files default to the data dir's cluster CA. */
export function csrSigningConfig(opts: { dataDir: string; certFile?: string; keyFile?: string; durationSeconds: number }): CSRSigningConfig {
  return {
    certFile: opts.certFile || `${opts.dataDir}/pki/ca.crt`,
    keyFile: opts.keyFile || `${opts.dataDir}/pki/ca.key`,
    durationMs: opts.durationSeconds * 1000,
  };
}

export function newCSRSigningController(opts: { csrs: RegistryStore; csrStatus: RegistryStore; config: CSRSigningConfig; log: Logger }): CSRSigningController {
  return new CSRSigningController(opts);
}
