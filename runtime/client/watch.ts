/**
 * Watch streams: the server's newline-delimited JSON events turned into an async iterator. Leaving a
 * `for await` loop (or calling `return()`) closes the request at once, even while no event is pending.
 */
import type { Status } from '../../apis/meta/v1/status.ts';
import type { StreamResponse } from './rest.ts';

/** One event of a watch, as the server sends it; an ERROR event carries a Status instead of an object. */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/** A watch in progress: iterate it for events; `close()` (or `return()`) ends it. */
export interface Watch<T> extends AsyncIterableIterator<WatchEvent<T>> {
  /** Ends the watch: closes the request and makes pending and later `next()` calls report done. */
  return(): Promise<IteratorResult<WatchEvent<T>>>;
  /** The same as `return()`, without the promise. */
  close(): void;
}

/**
 * Reads `stream` as JSON lines. The iterator ends when the server closes the stream (timeout, ERROR) or the
 * caller closes it; a line that is not JSON fails the `next()` after the events before it, and closes the watch.
 */
export function watchEvents<T>(stream: StreamResponse): Watch<T> {
  const events: WatchEvent<T>[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let done = false;
  let failure: Error | undefined;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const finish = () => {
    if (done) return;
    if (buffer.trim()) push(buffer);
    buffer = '';
    done = true;
    wake();
  };
  const push = (line: string) => {
    if (!line.trim() || failure) return;
    try {
      events.push(JSON.parse(line) as WatchEvent<T>);
    } catch {
      failure ??= new Error(`watch: the server sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
  };

  const res = stream.response;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
    wake();
  });
  res.on('end', finish);
  res.on('close', finish);
  res.on('error', finish);

  const close = () => {
    events.length = 0;
    buffer = '';
    done = true;
    stream.close();
    wake();
  };
  const watch: Watch<T> = {
    async next(): Promise<IteratorResult<WatchEvent<T>>> {
      for (;;) {
        if (events.length) return { value: events.shift()!, done: false };
        if (failure) {
          const err = failure;
          close();
          throw err;
        }
        if (done) return { value: undefined, done: true };
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    async return(): Promise<IteratorResult<WatchEvent<T>>> {
      close();
      return { value: undefined, done: true };
    },
    close,
    [Symbol.asyncIterator]() {
      return watch;
    },
  };
  return watch;
}
