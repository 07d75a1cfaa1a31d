/**
 * A watcher as client-go's reflector runs one: list, then watch from the list's resourceVersion; a watch that
 * ends is resumed from the last resourceVersion seen, and a 410 Gone (as the answer or as an ERROR event) or any
 * other ERROR event means the events in between are lost, so it lists again. `names` is what it knows exists.
 */
import type { TestServer } from './server.ts';

export class Reflector {
  readonly names = new Set<string>();
  /** Lists after the first one, and why. */
  readonly relists: string[] = [];
  /** Watches resumed after the stream ended. */
  resumes = 0;
  private resourceVersion?: string;
  private stopped = false;
  private stream?: Awaited<ReturnType<TestServer['watch']>>;
  private loop?: Promise<void>;
  private started!: Promise<void>;

  constructor(private readonly server: TestServer, private readonly path: string) {}

  /** Resolves once the first list is in and the first watch is open. */
  start(): Promise<void> {
    let opened!: () => void;
    this.started = new Promise((r) => (opened = r));
    this.loop = this.run(opened);
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.close();
    await this.loop;
  }

  private async run(opened: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.list();
        const stream = (this.stream = await this.server.watch(`${this.path}?watch=1&allowWatchBookmarks=true&resourceVersion=${this.resourceVersion}`));
        if (stream.status === 410) {
          this.gone('410 answering the watch');
          stream.close();
          continue;
        }
        if (stream.status !== 200) throw new Error(`watch answered ${stream.status}`);
        opened();
        await this.consume(stream);
      } catch {
        // The replica is away or failed the request: try again shortly (on the same replica, as a pinned client).
        if (!this.stopped) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async list(): Promise<void> {
    const res = await this.server.request('GET', this.path);
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    this.names.clear();
    for (const item of res.json.items) this.names.add(item.metadata.name);
    this.resourceVersion = res.json.metadata.resourceVersion;
  }

  private gone(why: string): void {
    this.relists.push(why);
    this.resourceVersion = undefined;
  }

  private async consume(stream: NonNullable<Reflector['stream']>): Promise<void> {
    while (!this.stopped) {
      let event;
      try {
        event = await stream.next(2000);
      } catch {
        if (stream.ended()) {
          this.resumes++;
          return;
        }
        continue; // quiet for 2 s
      }
      if (event.type === 'ERROR') {
        this.gone(`ERROR event ${event.object?.code} ${event.object?.reason ?? ''}`);
        stream.close();
        return;
      }
      const meta = event.object?.metadata ?? {};
      if (meta.resourceVersion) this.resourceVersion = meta.resourceVersion;
      if (event.type === 'ADDED' || event.type === 'MODIFIED') this.names.add(meta.name);
      else if (event.type === 'DELETED') this.names.delete(meta.name);
    }
  }
}
