/**
 * The TLS context of the secure port, kept current without a restart: the serving certificate and key are
 * re-read when their files change (`--tls-cert-file`/`--tls-private-key-file`), and the client CAs advertised to
 * clients follow their bundles, through `server.setSecureContext`. Client certificates are requested but never
 * required or judged here: the authenticators verify them against the current CA bundles per request.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { createSecureContext, type SecureContext, type Server as TLSServer, type TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import type { CABundle } from '../auth/authentication/ca-bundle.ts';
import { loadCertificates } from './certs.ts';

export interface ServingTLS {
  /** Options for https.createServer. */
  serverOptions(): TlsOptions;
  /** Starts applying reloads to the listening server. */
  attach(server: TLSServer): void;
  close(): void;
}

/** A certificate served only to clients that ask for its name (SNI): the loopback client's (loopback-client.ts). */
export interface NamedCertificate {
  serverName: string;
  pair(): Promise<{ certPem: string; keyPem: string }>;
}

export function servingTLS(opts: { certPem: string; keyPem: string; certFile?: string; keyFile?: string; clientCAs: CABundle[]; named?: NamedCertificate; log: Logger; intervalMs?: number }): ServingTLS {
  let { certPem, keyPem } = opts;
  let server: TLSServer | undefined;
  const clientCAs = () => opts.clientCAs.map((b) => b.current().pem).join('\n');
  const context = (): TlsOptions => {
    const ca = clientCAs();
    return { key: keyPem, cert: certPem, ...(ca ? { ca } : {}) };
  };
  // The named certificate's context, made again only when the client CAs changed.
  let namedContext: { ca: string; context: SecureContext } | undefined;
  const sni: TlsOptions['SNICallback'] = (servername, done) => {
    const named = opts.named;
    // No context: the default (serving) certificate, as for every other name.
    if (!named || servername !== named.serverName) return done(null, undefined);
    named.pair().then(
      ({ certPem: cert, keyPem: key }) => {
        const ca = clientCAs();
        if (namedContext?.ca !== ca) namedContext = { ca, context: createSecureContext({ key, cert, ...(ca ? { ca } : {}) }) };
        done(null, namedContext.context);
      },
      (e: Error) => done(e, undefined),
    );
  };
  const apply = () => {
    if (!server) return;
    try {
      server.setSecureContext(context());
    } catch (e) {
      opts.log.error({ err: (e as Error).message }, 'new TLS material cannot be used; keeping the previous');
    }
  };
  for (const b of opts.clientCAs) b.onChange(apply);

  const files = opts.certFile && opts.keyFile ? [opts.certFile, opts.keyFile] : [];
  let pending: NodeJS.Timeout | undefined;
  const reloadServing = () => {
    // Cert and key are usually replaced one after the other: wait for both before checking they match.
    clearTimeout(pending);
    pending = setTimeout(() => {
      try {
        const loaded = loadCertificates(opts.certFile!, opts.keyFile!);
        if (loaded.certPem === certPem && loaded.keyPem === keyPem) return;
        certPem = loaded.certPem;
        keyPem = loaded.keyPem;
        opts.log.info({ certFile: opts.certFile }, 'serving certificate reloaded');
        apply();
      } catch (e) {
        opts.log.error({ err: (e as Error).message }, 'serving certificate changed but cannot be used; keeping the previous one');
      }
    }, 200);
    pending.unref();
  };
  for (const f of files) watchFile(f, { interval: opts.intervalMs ?? 1000, persistent: false }, reloadServing);

  return {
    serverOptions: () => ({ ...context(), requestCert: true, rejectUnauthorized: false, ...(opts.named ? { SNICallback: sni } : {}) }),
    attach(s) {
      server = s;
    },
    close() {
      clearTimeout(pending);
      for (const f of files) unwatchFile(f, reloadServing);
    },
  };
}
