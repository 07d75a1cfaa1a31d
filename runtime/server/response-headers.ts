/**
 * Headers that every response of a request carries once a filter has decided them (Audit-Id, the APF UIDs), kept as
 * a plain record rather than through Hono's `c.header`: that makes a WHATWG Headers object for the request, every
 * response built through the context then copies into it, and @hono/node-server turns it back into a record (sorted)
 * before writing the head. With a record, a response built by `respond` keeps plain headers end to end, which Node
 * writes as they are.
 *
 * Responses built any other way (Hono's `c.json`, a handler's own `new Response`) get the prepared headers when the
 * handler chain ends (`addPreparedHeaders`), so every response after the filter that prepared them carries them, as
 * upstream's filters set them on the response writer before the handler runs.
 */
import type { Context } from 'hono';
import type { Env } from './filters.ts';

export type HeaderRecord = Record<string, string | string[]>;

/** Responses built by `respond`: their prepared headers are already in. */
const complete = new WeakSet<Response>();

/** Every later response of the request carries `name: value`. */
export function prepareHeader(c: Context<Env>, name: string, value: string): void {
  const prepared = c.get('preparedHeaders');
  if (prepared) prepared[name] = value;
  else c.set('preparedHeaders', { [name]: value });
}

/** A response with the request's prepared headers and `headers` (which win over a prepared one of the same name). */
export function respond(c: Context<Env>, body: BodyInit | null, status: number, headers: HeaderRecord): Response {
  const prepared = c.get('preparedHeaders');
  // Object.assign, not `{ ...prepared, ...headers }`: V8 copies a second spread key by key through its runtime once
  // the records' shapes vary (they do: which headers a request prepared), ~1 µs a response against ~50 ns.
  const res = new Response(body, { status, headers: (prepared ? Object.assign({}, prepared, headers) : headers) as HeadersInit });
  complete.add(res);
  return res;
}

/** The prepared headers onto the chain's response if it was built without them (see the module doc). */
export function addPreparedHeaders(c: Context<Env>): void {
  const prepared = c.get('preparedHeaders');
  if (!prepared || !c.finalized || complete.has(c.res)) return;
  const headers = c.res.headers;
  for (const name in prepared) if (!headers.has(name)) headers.set(name, prepared[name] as string);
}
