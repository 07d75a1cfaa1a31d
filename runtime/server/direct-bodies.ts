/**
 * Watch bodies written straight to the Node response. @hono/node-server sends a streamed body by reading it chunk by
 * chunk (a read, two promises and a write per chunk); a watch sends each event to every watcher, so with a thousand
 * watchers that reading is most of what a change costs the server besides the socket writes. A body that can write
 * itself (StreamEnding.writeTo) is given the response instead: its head written here as hono would write it, hono
 * told that the response is already sent.
 *
 * The filters still see the body as the response's stream (audit and shutdown through endingOf, metrics and the
 * request log through the response's 'close'), so the handler offers it here (offerDirectBody) and it is taken only
 * if the response that leaves the chain still carries that same stream.
 */
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { endingOf, type BodySink } from '../machinery/stream-ending.ts';

/** The response a request's handler made, as @hono/node-server hands it to the app (`c.env`). */
interface NodeBindings {
  outgoing?: BodySink & {
    writeHead(status: number, headers: Record<string, string>): unknown;
    writable: boolean;
    flushHeaders?(): void;
  };
}

const offered = new WeakMap<object, ReadableStream<Uint8Array>>();

/** Marks `body` (a stream with StreamEnding.writeTo) as the one to write directly for the request of `env`. */
export function offerDirectBody(env: unknown, body: ReadableStream<Uint8Array>): void {
  if (env && typeof env === 'object' && (env as NodeBindings).outgoing && endingOf(body)?.writeTo) offered.set(env, body);
}

/** The app's fetch, with offered bodies written straight to the response (see the module doc). */
export function writingBodiesDirectly<E>(fetch: (req: Request, env?: E) => Response | Promise<Response>): (req: Request, env?: E) => Response | Promise<Response> {
  const take = (res: Response, env: unknown): Response => {
    const body = env && typeof env === 'object' ? offered.get(env) : undefined;
    if (!body) return res;
    offered.delete(env as object);
    const out = (env as NodeBindings).outgoing!;
    // A filter may have answered otherwise, or wrapped the body in a stream of its own: then hono sends it.
    if (res.status !== 200 || res.body !== body || !out.writable) return res;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    out.writeHead(200, headers);
    // A watch with nothing to send yet still answers at once: its client waits for the head before anything else.
    out.flushHeaders?.();
    endingOf(body)!.writeTo!(out);
    return RESPONSE_ALREADY_SENT;
  };
  return (req: Request, env?: E) => {
    const res = fetch(req, env);
    return res instanceof Promise ? res.then((r) => take(r, env)) : take(res, env);
  };
}
