/**
 * The request a resource handler serves (RestRequest), made from Hono's context. A class on purpose, not an object
 * literal: a literal with a getter (the abort signal, made on first read) gets a new getter closure per request, and
 * V8 keeps an accessor in the object's hidden class, so every request made a hidden class of its own, linked from the
 * long-lived ones. Each request's objects then outlived scavenges until the next full GC: ~5 KB promoted to old space
 * per GET, where a getter on the prototype promotes nothing (issue 11).
 */
import type { Context } from 'hono';
import type { UserInfo } from '../auth/user.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import type { RestRequest } from '../endpoints/rest.ts';
import type { ProtobufCodec } from '../machinery/protobuf.ts';
import type { Cancellation } from '../machinery/cancellation.ts';
import type { Env } from './filters.ts';
import { RequestCancellation } from './request-cancellation.ts';

export class ResourceRequest implements RestRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly headers: RestRequest['headers'];
  readonly user: UserInfo;
  /** The timeout filter's (the request's deadline and client); a request without a deadline follows its client alone. */
  readonly cancellation: Cancellation;
  warnings?: string[];

  constructor(
    private readonly c: Context<Env>,
    readonly info: RequestInfo,
    readonly protobuf: ProtobufCodec | undefined,
  ) {
    this.method = c.req.method;
    this.query = info.query;
    this.headers = { accept: c.req.header('accept'), contentType: c.req.header('content-type'), userAgent: c.req.header('user-agent') };
    this.user = c.get('user');
    this.cancellation = c.get('cancellation') ?? new RequestCancellation(c, undefined);
  }

  async body(): Promise<Uint8Array> {
    return new Uint8Array(await this.c.req.arrayBuffer());
  }

  /** Read only by the handlers that outlive a response (watches, proxies): the adapter makes the signal on first read. */
  get signal(): AbortSignal {
    return this.c.req.raw.signal;
  }
}
