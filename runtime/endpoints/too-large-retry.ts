/**
 * A write the store refused as too large is tried once more without managedFields, as kube-apiserver does for
 * creates, updates and every patch but apply: on an object with many fields the entries can weigh as much as the
 * object, and losing them costs less than losing the write. An apply is never retried, since its managedFields
 * are what it records. Only a refused write pays for this: the first attempt runs as any other.
 */
import { RequestTooLargeError } from '../machinery/status.ts';
import type { RequestContext } from '../registry/store.ts';

export async function retryWithoutManagedFieldsIfTooLarge<T>(ctx: RequestContext, write: (ctx: RequestContext) => Promise<T>): Promise<T> {
  try {
    return await write(ctx);
  } catch (e) {
    if (!(e instanceof RequestTooLargeError)) throw e;
    return write({ ...ctx, dropManagedFields: true });
  }
}
