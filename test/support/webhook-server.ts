/**
 * A real HTTPS admission webhook for tests: a fresh CA (given to the API server as caBundle) and a serving
 * certificate for 127.0.0.1, localhost and `<service>.<namespace>.svc` names, answering AdmissionReviews with
 * whatever the test's handler returns. It records every review it receives. With service names it also listens on
 * the host's address (all interfaces), which the Service's Endpoints name: they may not name a loopback address.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import forge from 'node-forge';
import { stopAfter, type Teardown } from './teardown.ts';

export interface ReceivedReview {
  path: string;
  query: URLSearchParams;
  review: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The body as the server wrote it (what the parsed review cannot show: member order, number forms). */
  text: string;
  /** For a review left unanswered (`hang`): settles when the API server gives the call up and closes it. */
  abandoned?: Promise<void>;
}

/** A handler's answer: an AdmissionResponse (uid filled in when absent), or a raw HTTP answer. */
export type WebhookAnswer =
  | { response: Record<string, unknown>; apiVersion?: string; kind?: string }
  | { raw: { status: number; body: string; contentType?: string } }
  | { hang: true };

export interface WebhookServer {
  url: string;
  port: number;
  /** base64 of the CA certificate PEM, as `clientConfig.caBundle`. */
  caBundle: string;
  received: ReceivedReview[];
  close(): Promise<void>;
}

function issue(opts: { cn: string; ca?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }; sans?: string[] }) {
  // Keys from OpenSSL: node-forge now and then writes a private key whose integers OpenSSL 3 refuses to load
  // (ERR_OSSL_ASN1_ILLEGAL_PADDING), which failed tests at random.
  const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const privateKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const keys = { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A leading 01: with '0' + random hex, one certificate in sixteen began 00 0x, which OpenSSL 3 refuses to parse
  // (ERR_OSSL_ASN1_ILLEGAL_PADDING), so the CA in caBundle was dropped and calls failed as signed by an unknown authority.
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ shortName: 'CN', value: opts.cn }]);
  cert.setIssuer(opts.ca ? opts.ca.cert.subject.attributes : [{ shortName: 'CN', value: opts.cn }]);
  const ext: object[] = [{ name: 'basicConstraints', cA: !opts.ca }];
  if (opts.ca) {
    ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: true });
    ext.push({ name: 'subjectAltName', altNames: (opts.sans ?? []).map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
  } else {
    ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  }
  cert.setExtensions(ext);
  cert.sign(opts.ca?.key ?? keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey, certPem: forge.pki.certificateToPem(cert), keyPem };
}

export async function startWebhookServer(
  handler: (path: string, review: any) => WebhookAnswer | Promise<WebhookAnswer>, // eslint-disable-line @typescript-eslint/no-explicit-any
  /** `t`: the test the webhook is for: closed after it, failed or not (an earlier close() is fine). */
  opts: { serviceNames?: string[]; t?: Teardown } = {},
): Promise<WebhookServer> {
  const ca = issue({ cn: `webhook-test-ca-${forge.util.bytesToHex(forge.random.getBytesSync(4))}` });
  const serving = issue({ cn: 'webhook', ca, sans: ['127.0.0.1', 'localhost', ...(opts.serviceNames ?? [])] });
  const received: ReceivedReview[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer({ key: serving.keyPem, cert: serving.certPem }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'https://x');
      let review: any; // eslint-disable-line @typescript-eslint/no-explicit-any
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        review = JSON.parse(text);
      } catch {
        res.writeHead(400).end('bad json');
        return;
      }
      const entry: ReceivedReview = { path: url.pathname, query: url.searchParams, review, text };
      received.push(entry);
      const answer = await handler(url.pathname, review);
      if ('hang' in answer) {
        hanging.add(res);
        entry.abandoned = new Promise((resolve) => res.once('close', () => resolve()));
        return;
      }
      if ('raw' in answer) {
        res.writeHead(answer.raw.status, { 'Content-Type': answer.raw.contentType ?? 'text/plain' }).end(answer.raw.body);
        return;
      }
      const body = {
        apiVersion: answer.apiVersion ?? 'admission.k8s.io/v1',
        kind: answer.kind ?? 'AdmissionReview',
        response: { uid: review.request?.uid, ...answer.response },
      };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.serviceNames?.length ? '0.0.0.0' : '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const webhook: WebhookServer = {
    url: `https://127.0.0.1:${port}`,
    port,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  stopAfter(opts.t, () => webhook.close());
  return webhook;
}

/** A JSON patch as a webhook sends it (base64). */
export function jsonPatch(ops: object[]): { patchType: 'JSONPatch'; patch: string } {
  return { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') };
}
