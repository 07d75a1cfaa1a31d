/**
 * The handler chain's filters run around each route as its one handler (composeFilters): Hono's generic compose costs each filter an async
 * dispatch frame, a `next` closure and two promises per request (its largest allocator on a GET); here a request
 * costs one small object, its `next` and, only for a filter that really waits, one `then`. Semantics are Hono's
 * compose, which the filters were written against:
 * - a filter calls `next()` at most once and gets a promise that never rejects: a failure deeper down has already
 *   become the response (through `onError`, with `c.error` set), as Hono does at the level that failed;
 * - what a filter returns (at once or through its promise) becomes the response when none is set yet, or always when
 *   the filter failed.
 * A filter that only decides and passes on may be a plain function returning `next()`: its promise goes through
 * untouched, so it costs no frame at all.
 */
import type { Context, ErrorHandler, Hono, Next } from 'hono';
import type { Env } from './filters.ts';
import { addPreparedHeaders } from './response-headers.ts';

export type Filter = (c: Context<Env>, next: Next) => Promise<Response | void> | Response | void;

/** The promise of a filter that answered at once (shared: awaiting it twice is harmless). */
const answered: Promise<void> = Promise.resolve();

class FilterRun {
  /** The filter running (its index); the run ends in Hono's `next` (the route) after the last. */
  i = -1;
  /** What the latest `next()` returned: a filter that returns it as it is gets it back untouched. */
  inner: Promise<void> | undefined;
  readonly next: Next = () => (this.inner = this.dispatch(this.i + 1));
  readonly settle = (res: Response | void): void => {
    if (res && !this.c.finalized) this.c.res = res;
  };
  readonly fail = (err: unknown): void | Promise<void> => {
    if (!(err instanceof Error)) throw err;
    this.c.error = err;
    const res = this.onError(err, this.c);
    if (res instanceof Promise) return res.then(this.failed);
    this.failed(res);
  };
  readonly failed = (res: Response): void => {
    if (res) this.c.res = res;
  };

  constructor(
    readonly c: Context<Env>,
    readonly filters: readonly Filter[],
    readonly last: Next,
    readonly onError: ErrorHandler<Env>,
  ) {}

  dispatch(i: number): Promise<void> {
    if (i <= this.i) return Promise.reject(new Error('next() called multiple times'));
    this.i = i;
    const filter = this.filters[i];
    if (filter === undefined) return this.last();
    let out;
    try {
      out = filter(this.c, this.next);
    } catch (err) {
      return Promise.resolve(this.fail(err));
    }
    if (out instanceof Promise) return out === this.inner ? (out as Promise<void>) : out.then(this.settle, this.fail);
    this.settle(out);
    return answered;
  }
}

/** A route's handler: its answer, at once or awaited (a route never calls `next`). */
export type Route = (c: Context<Env>) => Response | Promise<Response>;

/** The handlers `around` made: an app serves only these (assertChained). */
const chained = new WeakSet<object>();

/**
 * The filters in order, around each route; `onError` (the app's error handler) answers what a filter or the route
 * throws. `around(route)` is the route's one handler, composed here once: a path matched by a single handler takes
 * Hono's direct path, with no compose of Hono's per request (a middleware registered beside each route did that,
 * ~1 KB per request).
 */
export function composeFilters(filters: readonly Filter[], onError: ErrorHandler<Env>) {
  const around = (route: Route): ((c: Context<Env>) => Promise<Response | undefined>) => {
    const list: readonly Filter[] = [...filters, route];
    const handler = (c: Context<Env>) => new FilterRun(c, list, noRoute, onError).dispatch(0).then(() => finish(c));
    chained.add(handler);
    return handler;
  };
  return { around };
}

export type HandlerChain = ReturnType<typeof composeFilters>;

/** After the route: nothing (the route answered; an unanswered request is then Hono's not-found, chained too). */
const noRoute: Next = () => answered;

function finish(c: Context<Env>): Response | undefined {
  addPreparedHeaders(c);
  return c.finalized ? c.res : undefined;
}

/** Routes of `app` (all of them behind `chain`, and its not-found answer too). */
export function chainedRoutes(app: Hono<Env>, chain: HandlerChain, notFound: Route) {
  const notFoundHandler = chain.around(notFound);
  app.notFound((c) => notFoundHandler(c) as Promise<Response>);
  return {
    // The path typed into the route's context, as Hono types a route's params.
    get<P extends string>(path: P, route: (c: Context<Env, P>) => Response | Promise<Response>): void {
      app.get(path, chain.around(route as Route));
    },
    all<P extends string>(path: P, route: (c: Context<Env, P>) => Response | Promise<Response>): void {
      app.all(path, chain.around(route as Route));
    },
  };
}

export type Routes = ReturnType<typeof chainedRoutes>;

/**
 * Refuses an app with a handler that the chain is not around: its requests would skip authentication and
 * authorization. Called once every route is in.
 */
export function assertChained(app: Hono<Env>): void {
  for (const r of app.routes) if (!chained.has(r.handler)) throw new Error(`${r.method} ${r.path} is not behind the handler chain`);
}
