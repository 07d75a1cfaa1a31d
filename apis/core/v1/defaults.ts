import type { Secret } from './secret.ts';

/** stringData is write-only: fold it into data (base64) so only data is stored and returned. */
export function setDefaults_Secret(obj: Secret): void {
  if (!obj.stringData) return;
  obj.data = { ...(obj.data ?? {}) };
  for (const [key, value] of Object.entries(obj.stringData)) obj.data[key] = Buffer.from(value, 'utf8').toString('base64');
  delete obj.stringData;
}
