/**
 * Watch responses: a 200 stream of newline-terminated JSON events (`{"type":"ADDED","object":{...}}`) that lasts
 * until the client leaves, `timeoutSeconds` passes (default: a random time between the minimum request timeout
 * and twice that, as upstream) or the store ends the watch, which is reported as an ERROR event with a Status.
 */
import type { RegistryStore, RequestContext, WatchOptions } from '../registry/store.ts';
import { StatusError, internalError } from '../machinery/status.ts';
import type { WatchEvent } from '../storage/store.ts';
import type { Negotiated } from './negotiation.ts';
import { encodeWatchFrame, protobufContentType, type ProtobufCodec } from '../machinery/protobuf.ts';
import { toTable } from './table.ts';
import { partialObjectMetadata } from './serialize.ts';
import { spliceRawJson } from '../machinery/raw-json.ts';
import { jsonText } from '../machinery/json-text.ts';
import { watchEventCounter } from '../metrics/watch.ts';
import { EndListeners, withEnding, type WireFraming } from '../machinery/stream-ending.ts';
import { backlogGuard } from './watch-backlog.ts';
import { WatchOutbox } from './watch-outbox.ts';

export const minRequestTimeoutSeconds = 1800;

export interface ServeWatchOptions extends WatchOptions {
  negotiated: Negotiated;
  /** Encodes events as length-prefixed protobuf frames when the client negotiated protobuf. */
  protobuf?: ProtobufCodec;
  includeObject: 'None' | 'Metadata' | 'Object';
  timeoutSeconds?: number;
  signal: AbortSignal;
}

/** What ends a watch whose events cannot be written (send() ends it on any error of encode()). */
const noListViewOfAnEvent = new Error('PartialObjectMetadataList of a watch event');

export function serveWatch(store: RegistryStore, ctx: RequestContext, opts: ServeWatchOptions): { stream: ReadableStream<Uint8Array>; contentType: string; code: number } {
  const timeout = opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : minRequestTimeoutSeconds * (1 + Math.random());
  let sentColumns = false;
  const asTable = opts.negotiated.as === 'Table';
  // A metadata watch (client-go's metadata informers) gets each event's object as PartialObjectMetadata, and a Table
  // watch each as a Table, bookmarks included, as upstream's watchEmbeddedEncoder transforms every event object but
  // a Status.
  const asMetadata = opts.negotiated.as === 'PartialObjectMetadata' ? (opts.negotiated.asApiVersion ?? 'meta.k8s.io/v1') : undefined;
  // A list view of one event's object cannot be made: upstream's encoder then writes the object with the meta
  // codecs, which know no kind but meta's, and the watch ends at that event with nothing of it written.
  const asList = opts.negotiated.as === 'PartialObjectMetadataList';

  const render = (ev: WatchEvent): WatchEvent => {
    if (ev.type === 'ERROR') return ev;
    if (asList) throw noListViewOfAnEvent;
    if (asMetadata) return { type: ev.type, object: partialObjectMetadata(ev.peek?.() ?? ev.object, asMetadata) };
    if (!asTable) return ev;
    const table = toTable(store.kind, [ev.object], { includeObject: opts.includeObject, noHeaders: sentColumns, apiVersion: opts.negotiated.asApiVersion }, { resourceVersion: ev.object.metadata?.resourceVersion });
    sentColumns = true;
    return { type: ev.type, object: table as unknown as WatchEvent['object'] };
  };

  const binary = opts.negotiated.serializer === 'protobuf' && opts.protobuf;
  // Buffers, not plain Uint8Arrays: a Node stream wraps each Uint8Array it is given in a Buffer, once per watcher per
  // event, where a Buffer made once is written as it is.
  // A kind with RawExtension fields has their kept texts written as they are (machinery/raw-json.ts).
  const rawJson = store.kind.rawJsonFields !== undefined;
  const json = rawJson ? (v: unknown) => spliceRawJson(jsonText(v)) : jsonText;
  // A change's object that the watch cache holds as text (WatchEvent.encoded) is framed around that text, as a get
  // sends it: the same bytes as writing the object, without a private copy of it to write.
  // Otherwise the object is written from the cache's own where there is one (WatchEvent.peek): writing only reads it,
  // and the private copy that reading `object` makes would be written once and dropped. A rendered view (a Table, a
  // PartialObjectMetadata) is an object of its own, with no such text.
  const jsonFrame = (ev: WatchEvent): string => {
    const item = ev.encoded?.();
    if (!item) return json({ type: ev.type, object: ev.peek?.() ?? ev.object });
    return `{"type":"${ev.type}","object":${rawJson ? spliceRawJson(item.json) : item.json}}`;
  };
  const frame = (ev: WatchEvent): Uint8Array =>
    binary ? asBuffer(encodeWatchFrame(ev.type, binary.encodeObject(ev.peek?.() ?? ev.object))) : Buffer.from(jsonFrame(ev) + '\n');

  const sent = watchEventCounter(store.kind.group, store.kind.version, store.kind.kind);
  // The bytes of one change are the same for every watcher of this kind and version in this form (metadata views
  // included): made by the first, reused by the rest (tables carry per-watch columns, so they are made each time).
  const sharedKey = asTable ? undefined : `${store.kind.group}/${store.kind.version}/${store.kind.kind};${binary ? 'pb' : opts.negotiated.contentType};${opts.negotiated.as ?? ''};${opts.negotiated.asApiVersion ?? ''}`;
  // Set when the body is given a sink that writes to the connection itself: each event then goes out framed for the
  // wire (an HTTP/1.1 chunk), and the framed bytes are shared too, by every watcher with the same framing.
  let framing: WireFraming | undefined;
  // The keys of each event type, shared by every watch of this form (see memoKeysOf).
  const keys = sharedKey ? memoKeysOf(sharedKey) : {};
  let framedKeys: MemoKeys = {};
  // Run for every watcher of every change: the watchers after the first find the bytes with one lookup, and
  // nothing here allocates (closures made per call cost each delivery a few hundred bytes).
  const encode = (ev: WatchEvent): Uint8Array => {
    const memo = sharedKey && ev.shared;
    if (!memo) {
      const own = frame(render(ev));
      return framing ? framing.frame(own) : own;
    }
    const key = (keys[ev.type] ??= `${ev.type};${sharedKey}`);
    if (!framing) return memo.get(key) ?? remember(memo, key, frame(render(ev)));
    const framedKey = (framedKeys[ev.type] ??= `${key};${framing.key}`);
    return memo.get(framedKey) ?? remember(memo, framedKey, framing.frame(memo.get(key) ?? remember(memo, key, frame(render(ev)))));
  };
  let cleanup = () => {};
  let closed = false;
  const ended = new EndListeners();
  // The chunks made before the body has a consumer: it is either read as a stream (hono's way) or given the Node
  // response to write to (StreamEnding.writeTo, the server's way for watches), whichever comes first.
  let pending: Uint8Array[] | undefined = [];
  let emit = (chunk: Uint8Array): void => void pending!.push(chunk);
  let finish = () => {};
  const consume = (write: (chunk: Uint8Array) => void, end: () => void) => {
    const queued = pending!;
    pending = undefined;
    for (const chunk of queued) write(chunk);
    if (closed) return end();
    emit = write;
    finish = end;
  };
  // The events given in one task go out in one write (see watch-outbox.ts).
  const outbox = new WatchOutbox((chunk) => {
    try {
      emit(chunk);
    } catch {
      close();
    }
  });
  const close = () => {
    if (closed) return;
    closed = true;
    outbox.flush();
    cleanup();
    finish();
    ended.fire();
  };
  const send = (ev: WatchEvent) => {
    if (closed) return;
    try {
      outbox.push(encode(ev));
      sent.inc();
    } catch {
      close();
    }
  };
  // No read ahead (highWaterMark 0): pull is called only when someone reads the stream.
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!pending) return;
        consume(
          (chunk) => controller.enqueue(chunk),
          () => {
            try {
              controller.close();
            } catch {
              // already closed by the client
            }
          },
        );
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 0 },
  );
  const watch = store.watch(ctx, opts, {
    onEvent: (ev) => {
      // A BOOKMARK carries an object of the watched kind with only its resourceVersion (and annotations).
      // Its bytes stay shared (the watch cache's periodic bookmarks): the kind and version are in the memo's key.
      if (ev.type === 'BOOKMARK') ev = { type: 'BOOKMARK', object: { kind: store.kind.kind, apiVersion: store.kind.group ? `${store.kind.group}/${store.kind.version}` : store.kind.version, ...ev.object }, shared: ev.shared };
      send(ev);
    },
    onError: (err) => {
      const st = err instanceof StatusError ? err.status : internalError(err).status;
      send({ type: 'ERROR', object: st as unknown as WatchEvent['object'] });
      close();
    },
  });
  const timer = setTimeout(close, timeout * 1000);
  const onAbort = () => close();
  opts.signal.addEventListener('abort', onAbort);
  cleanup = () => {
    watch.stop();
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  };
  if (closed) cleanup(); // ended while it started
  withEnding(stream, {
    end: () => close(),
    onEnd: (fn) => ended.add(fn),
    writeTo: (out) => {
      if (!pending) return;
      // The client went away, or the response was ended from elsewhere: the watch ends too, with nothing more to write.
      let gone = false;
      out.once('close', () => {
        gone = true;
        close();
      });
      // Frames made so far are not framed for the wire yet: they join the chunks made before a consumer, framed below.
      outbox.flush();
      framing = out.framing;
      if (framing) {
        pending = pending.map((chunk) => framing!.frame(chunk));
        if (sharedKey) framedKeys = memoKeysOf(`${sharedKey};${framing.key}`);
      }
      // A client that stops reading: its watch ends and its queued events are dropped (see watch-backlog.ts).
      const guard = backlogGuard(out, () => {
        close();
        out.destroy();
      });
      consume(
        (chunk) => {
          if (!gone) guard(out.write(chunk));
        },
        () => out.end(),
      );
    },
  });
  return { stream, contentType: binary ? `${protobufContentType};stream=watch` : opts.negotiated.contentType, code: 200 };
}

type MemoKeys = Partial<Record<WatchEvent['type'], string>>;

/**
 * The memo keys of one form of a kind (its group, version, kind, encoding and wire framing), by event type, made once
 * and shared by every watch of that form. A change's watchers then all look its bytes up with the same strings, which
 * the memo compares by identity, and one small object stays in the CPU's cache; with keys of their own a thousand
 * watchers read a thousand equal strings, each compared character by character. The forms are few (kinds x encodings).
 * Each key is `<type>;<form>`, made from the form alone, so two watches of one form can never disagree on it.
 */
const memoKeys = new Map<string, MemoKeys>();

function memoKeysOf(form: string): MemoKeys {
  let keys = memoKeys.get(form);
  if (!keys) memoKeys.set(form, (keys = {}));
  return keys;
}

/** Keeps `bytes` under `key` in an event's shared memo, for the watchers after the first; returns them. */
function remember(memo: Map<string, Uint8Array>, key: string, bytes: Uint8Array): Uint8Array {
  memo.set(key, bytes);
  return bytes;
}

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
