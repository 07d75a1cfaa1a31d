/**
 * The host's address, found as the server finds the one it advertises (runtime/server/advertise-address.ts): the
 * global address of the interface holding the default route. Endpoints may not name a loopback address, so tests
 * that reach a webhook or an aggregated API server through a Service name this one, and those servers listen where
 * it reaches them.
 */
import { chooseAdvertiseAddress, readHostNetwork } from '../../runtime/server/advertise-address.ts';

let cached: string | undefined;

/** What a server started with the default --bind-address (127.0.0.1) advertises; throws when it finds none. */
export function hostAddress(): string {
  if (cached) return cached;
  const choice = chooseAdvertiseAddress({ bindAddress: '127.0.0.1' }, readHostNetwork);
  if (choice.warning) throw new Error(`this test needs a non-loopback address on the host: ${choice.warning}`);
  return (cached = choice.address);
}
