/**
 * ComponentStatus (deprecated upstream since v1.19): `GET /api/v1/componentstatuses[/<name>]` reports the health of
 * the control plane as kube-apiserver's componentstatus REST probes it: the scheduler at
 * https://127.0.0.1:10259/healthz, the controller manager at https://127.0.0.1:10257/healthz (certificates not
 * checked), and each storage server (`etcd-<i>`) through the store's own health check. Nothing is stored.
 */
import { request } from 'node:https';
import { ComponentStatus } from '../../../generated/core/v1/register.ts';
import * as status from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { ReaderREST } from '../rest.ts';
import { goDialError } from './dial-errors.ts';

/** A component's probe: Success with a message, Failure with what went wrong, or Unknown with an error. */
export interface ProbeResult {
  result: 'Success' | 'Failure' | 'Unknown';
  message: string;
  error?: string;
}

export type ComponentProbe = () => Promise<ProbeResult>;

/** upstream's probeTimeOut of the componentstatus HTTP probes. */
const probeTimeoutMs = 20_000;

/** An HTTPS GET of a component's health endpoint (upstream's HttpServer with InsecureSkipVerify). */
export function httpsHealthProbe(host: string, port: number, path: string, timeoutMs = probeTimeoutMs): ComponentProbe {
  const url = `https://${host}:${port}${path}`;
  return () =>
    new Promise((resolve) => {
      const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 400 ? { result: 'Success', message: body } : { result: 'Failure', message: `HTTP probe failed with statuscode: ${code}` });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => resolve({ result: 'Failure', message: `Get "${url}": ${goDialError(e as NodeJS.ErrnoException, host, port)}` }));
      req.end();
    });
}

/** A storage server's check: `ok`, or the error its health check gave. */
export function storageProbe(check: () => Promise<void>): ComponentProbe {
  return async () => {
    try {
      await check();
      return { result: 'Success', message: 'ok' };
    } catch (e) {
      return { result: 'Failure', message: '', error: (e as Error).message };
    }
  };
}

const conditionStatus = { Success: 'True', Failure: 'False', Unknown: 'Unknown' } as const;

export class ComponentStatusREST implements ReaderREST {
  readonly kind = ComponentStatus;

  /** `components`: name -> probe, in the order lists show them. */
  constructor(private readonly components: () => Array<[string, ComponentProbe]>) {}

  private async statusOf(name: string, probe: ComponentProbe): Promise<StoredObject> {
    const r = await probe();
    const condition: StoredObject = { type: 'Healthy', status: conditionStatus[r.result] };
    if (r.message) condition.message = r.message;
    if (r.error) condition.error = r.error;
    return { metadata: { name }, conditions: [condition] };
  }

  async get(_ctx: unknown, name: string): Promise<StoredObject> {
    const found = this.components().find(([n]) => n === name);
    // Upstream answers an unknown component with a plain error, which the server turns into a 500.
    if (!found) throw status.failure(500, undefined, `Component not found: ${name}`);
    return this.statusOf(...found);
  }

  async list(): Promise<StoredObject[]> {
    return Promise.all(this.components().map(([name, probe]) => this.statusOf(name, probe)));
  }
}
