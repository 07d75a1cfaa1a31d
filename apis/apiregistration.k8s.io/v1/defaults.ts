import type { APIService } from './apiservice.ts';

/** `service: null` is how clients write a local APIService (Go's nil pointer): the same as no service at all. */
export function setDefaults_APIService(obj: APIService): void {
  if (obj.spec && (obj.spec as { service?: unknown }).service === null) delete obj.spec.service;
}
