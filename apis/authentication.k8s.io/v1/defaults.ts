import type { TokenRequest } from './types.ts';

/**
 * A TokenRequest's status is output only: Go clients (kubectl create token, over protobuf) send an empty one,
 * which upstream's decoder accepts and the REST clears, so it is dropped before validation. Absent audiences
 * (a nil list in Go) mean the API server's own; the REST fills them in.
 */
export function setDefaults_TokenRequest(obj: TokenRequest): void {
  delete obj.status;
  obj.spec ??= { audiences: [] };
  obj.spec.audiences ??= [];
}
