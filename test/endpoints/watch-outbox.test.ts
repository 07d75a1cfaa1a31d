// The events a watch is given in one task go to its connection in one write (runtime/endpoints/watch-outbox.ts):
// each event still its own chunk of the chunked coding holding one JSON line, in order; a watch that ends writes
// what it has first; large events are not held back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serveWatch } from '../../runtime/endpoints/watch.ts';
import { chunkedFraming } from '../../runtime/server/direct-bodies.ts';
import { endingOf, type BodySink } from '../../runtime/machinery/stream-ending.ts';
import type { WatchEvent, WatchSink } from '../../runtime/storage/store.ts';
import { expired } from '../../runtime/machinery/status.ts';
import type { RegistryStore, RequestContext } from '../../runtime/registry/store.ts';

/** A watch served to a connection that records each write (and the end) in order. */
function watchToConnection() {
  let sink: WatchSink | undefined;
  const store = {
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    watch: (_ctx: unknown, _opts: unknown, s: WatchSink) => {
      sink = s;
      return { stop: () => {} };
    },
  } as unknown as RegistryStore;
  const aborts = new AbortController();
  const { stream } = serveWatch(store, {} as RequestContext, {
    negotiated: { serializer: 'json', contentType: 'application/json' } as never,
    includeObject: 'Object',
    timeoutSeconds: 60,
    signal: aborts.signal,
  });
  const writes: string[] = [];
  /** The chunks as written (the same bytes as `writes`), to tell shared buffers from equal ones. */
  const written: Uint8Array[] = [];
  const connection = Object.assign(new EventEmitter(), {
    framing: chunkedFraming,
    write: (chunk: Uint8Array) => (written.push(chunk), writes.push(Buffer.from(chunk).toString('latin1')), true),
    end: () => writes.push('<end>'),
    writableLength: 0,
    destroy: () => writes.push('<destroyed>'),
  });
  endingOf(stream)!.writeTo!(connection as unknown as BodySink);
  const event = (name: string, data = 'v'): WatchEvent => ({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: data } } as never });
  return { writes, written, sink: sink!, event, stop: () => aborts.abort() };
}

/** The events of the chunks one write holds (their objects' names), checking each chunk's framing. */
function chunks(write: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < write.length) {
    const line = write.indexOf('\r\n', at);
    const size = parseInt(write.slice(at, line), 16);
    const data = write.slice(line + 2, line + 2 + size);
    assert.equal(write.slice(line + 2 + size, line + 4 + size), '\r\n');
    assert.ok(data.endsWith('\n') && !data.slice(0, -1).includes('\n'), 'one JSON line per chunk');
    const ev = JSON.parse(data);
    out.push(ev.type === 'ERROR' ? `ERROR ${ev.object.reason}` : ev.object.metadata.name);
    at = line + 4 + size;
  }
  return out;
}

test('the events a watch is given in one task go out in one write, one chunk each, in order', async () => {
  const w = watchToConnection();
  for (const name of ['a', 'b', 'c']) w.sink.onEvent(w.event(name));
  assert.deepEqual(w.writes, [], 'nothing written before the task is done');
  await nextTurn();
  assert.deepEqual(w.writes.map(chunks), [['a', 'b', 'c']]);
  w.sink.onEvent(w.event('d'));
  await nextTurn();
  assert.deepEqual(w.writes.map(chunks), [['a', 'b', 'c'], ['d']]);
  w.stop();
});

test('a watch that ends writes its waiting events, then its ERROR, before the end of the body', async () => {
  const w = watchToConnection();
  w.sink.onEvent(w.event('a'));
  w.sink.onError(expired('too old resource version: 1 (5)'));
  assert.deepEqual(chunks(w.writes[0]!), ['a', 'ERROR Expired']);
  assert.deepEqual(w.writes.slice(1), ['<end>']);
  await nextTurn();
  assert.equal(w.writes.length, 2, 'nothing after the end');
});

test('events are not held back once a task has gathered 64 KiB for a watch', () => {
  const w = watchToConnection();
  w.sink.onEvent(w.event('small'));
  w.sink.onEvent(w.event('big', 'x'.repeat(70_000)));
  assert.deepEqual(w.writes.map(chunks), [['small', 'big']]);
  w.stop();
});

test("the watch cache's periodic bookmarks are framed once for all the watches of a kind, not once each", async () => {
  const [a, b] = [watchToConnection(), watchToConnection()];
  // As Cacher.sendBookmarks hands them out: one memo for the tick, a bookmark object per watcher.
  const shared = new Map<string, Uint8Array>();
  for (const w of [a, b]) w.sink.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '42' } } as never, shared });
  await nextTurn();
  assert.equal(a.writes[0], b.writes[0]);
  assert.match(a.writes[0]!, /\{"type":"BOOKMARK","object":\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{"resourceVersion":"42"\}\}\}\n/);
  assert.equal(a.written[0], b.written[0], 'the same bytes, made once');
  a.stop();
  b.stop();
});
