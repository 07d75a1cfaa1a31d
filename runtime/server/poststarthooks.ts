/**
 * Post-start hooks: named start-up steps that run once the server listens (bootstrap objects, controllers), as
 * upstream's. Each is retried until it succeeds, and reports as `poststarthook/<name>` in /healthz and /readyz
 * until then. A name may be registered once.
 */
import type { Logger } from 'pino';
import type { HealthChecks } from './healthz.ts';

export type PostStartHook = () => Promise<void>;

export class PostStartHooks {
  private readonly hooks = new Map<string, PostStartHook>();
  private readonly done = new Set<string>();
  /** Hooks that run (and retry) without holding /healthz and /readyz: controllers upstream runs in another process. */
  private readonly background = new Set<string>();

  constructor(private readonly log: Logger) {}

  /**
   * `holdsReadiness: false` for controllers kube-controller-manager runs upstream: the server is ready without
   * them (a Secret that cannot be decrypted must not keep /readyz red because a controller cannot list Secrets).
   */
  add(name: string, hook: PostStartHook, opts: { holdsReadiness?: boolean } = {}): void {
    if (this.hooks.has(name)) throw new Error(`post-start hook "${name}" is registered twice`);
    this.hooks.set(name, hook);
    if (opts.holdsReadiness === false) this.background.add(name);
  }

  /** Adds one check per hook to each of `checks`, failing until that hook has finished. */
  reportTo(...checks: HealthChecks[]): void {
    for (const name of this.hooks.keys()) {
      if (this.background.has(name)) continue;
      for (const c of checks) c.add(`poststarthook/${name}`, this.finished(name));
    }
  }

  /**
   * The same checks on /livez, passing during `graceMs` after start (upstream's `--livez-grace-period` for boot
   * sequence checks), so a slow start does not get the server restarted.
   */
  reportToLivez(livez: HealthChecks, graceMs: number): void {
    for (const name of this.hooks.keys()) if (!this.background.has(name)) livez.add(`poststarthook/${name}`, this.finished(name), { graceMs });
  }

  private finished(name: string) {
    return async () => {
      if (!this.done.has(name)) throw new Error('not finished');
    };
  }

  /**
   * Starts every hook; a failed one is retried a second later. Resolves once each hook that holds readiness has
   * finished (the start-up is over then; background hooks may still be retrying).
   */
  runAll(): Promise<void> {
    const holding: Promise<void>[] = [];
    for (const [name, hook] of this.hooks) {
      const finished = new Promise<void>((resolve) => {
        const attempt = (): void => {
          hook().then(
            () => {
              this.done.add(name);
              resolve();
            },
            (e) => {
              this.log.warn({ err: e, hook: name }, 'post-start hook failed; retrying');
              setTimeout(attempt, 1000).unref();
            },
          );
        };
        attempt();
      });
      if (!this.background.has(name)) holding.push(finished);
    }
    return Promise.all(holding).then(() => undefined);
  }
}
