/**
 * What the server must stop when it shuts down, registered by each start-up step as it starts something and
 * stopped in reverse order: request-facing parts first, controllers next, caches and the store last. One failing
 * stop is logged and does not keep the others from running.
 */
import type { Logger } from 'pino';

export type StopFn = () => void | Promise<void>;

export class Lifecycle {
  private readonly stops: { name: string; stop: StopFn }[] = [];

  constructor(private readonly log: Logger) {}

  /** Registers `stop` to run at shutdown, before everything registered earlier. */
  onStop(name: string, stop: StopFn): void {
    this.stops.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    while (this.stops.length) {
      const { name, stop } = this.stops.pop()!;
      try {
        await stop();
      } catch (e) {
        this.log.warn({ err: e, component: name }, 'stopping failed');
      }
    }
  }
}
