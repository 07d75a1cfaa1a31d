/**
 * Named health checks behind /healthz, /livez and /readyz, as upstream's healthz package: each endpoint runs its
 * checks in the order they were added and answers `ok` (or, with `?verbose`, one `[+]<name> ok` line per check and
 * `<endpoint> check passed`); any failure answers 500 with every line, failures as `[-]<name> failed: reason
 * withheld` (the reason goes to the log only: the root endpoints are public), and `<endpoint> check failed`.
 * `?exclude=<name>` (repeatable) skips a check (`[+]<name> excluded: ok`); excluding a name that no check has is
 * reported in a `warn:` line. `/<endpoint>/<name>` runs one check and answers `ok` or `internal server error: <reason>`.
 */

export type HealthCheck = () => Promise<void>;

export interface HealthLogger {
  info(obj: object, msg: string): void;
}

export interface HealthResponse {
  code: number;
  body: string;
}

/** How long one check may take before it counts as failed. */
const checkTimeoutMs = 5000;

export class HealthChecks {
  private readonly checks = new Map<string, HealthCheck>();
  /** Where a check is listed: by this rank, then in the order checks were added (see orderBy). */
  private rank: (name: string) => number = () => 0;

  constructor(private readonly log?: HealthLogger) {}

  /**
   * Lists the checks by `rank` (lowest first; equal ranks in the order they were added). Upstream lists checks in
   * the order its chain of servers registers them, which differs from the order kube-ts starts its parts in.
   */
  orderBy(rank: (name: string) => number): void {
    this.rank = rank;
  }

  private ordered(): [string, HealthCheck][] {
    return [...this.checks].map((e, i) => ({ e, i, r: this.rank(e[0]) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e);
  }

  /**
   * Adds a check. `graceMs`: the check passes for this long after it is added (upstream's `--livez-grace-period`
   * for boot-sequence checks on /livez, so a slow start is not mistaken for a dead server).
   */
  add(name: string, check: HealthCheck, opts: { graceMs?: number } = {}): void {
    if (this.checks.has(name)) throw new Error(`health check "${name}" is registered twice`);
    if (opts.graceMs && opts.graceMs > 0) {
      const until = Date.now() + opts.graceMs;
      const inner = check;
      check = async () => {
        if (Date.now() > until) await inner();
      };
    }
    this.checks.set(name, check);
  }

  names(): string[] {
    return this.ordered().map(([name]) => name);
  }

  has(name: string): boolean {
    return this.checks.has(name);
  }

  /** Runs every check not excluded (`/<endpoint>`). */
  async runAll(endpoint: string, opts: { verbose: boolean; exclude: string[] }): Promise<HealthResponse> {
    const excluded = new Set(opts.exclude);
    const results = await Promise.all(
      this.ordered().map(async ([name, check]) => {
        if (excluded.delete(name)) return { name, excluded: true, error: undefined };
        return { name, excluded: false, error: await failure(check) };
      }),
    );
    const lines: string[] = [];
    const failed: string[] = [];
    for (const r of results) {
      if (r.excluded) lines.push(`[+]${r.name} excluded: ok`);
      else if (r.error === undefined) lines.push(`[+]${r.name} ok`);
      else {
        lines.push(`[-]${r.name} failed: reason withheld`);
        failed.push(`[-]${r.name} failed: ${r.error}`);
      }
    }
    if (excluded.size) lines.push(`warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((n) => JSON.stringify(n)).join(',')}`);
    if (failed.length) {
      this.log?.info({ endpoint, failed }, `${endpoint} check failed`);
      return { code: 500, body: `${lines.join('\n')}\n${endpoint} check failed\n` };
    }
    if (!opts.verbose) return { code: 200, body: 'ok' };
    return { code: 200, body: `${lines.join('\n')}\n${endpoint} check passed\n` };
  }

  /** Runs the check named `name` (`/<endpoint>/<name>`); undefined when there is none (the path is not found). */
  async runOne(name: string): Promise<HealthResponse | undefined> {
    const check = this.checks.get(name);
    if (!check) return undefined;
    const error = await failure(check);
    return error === undefined ? { code: 200, body: 'ok' } : { code: 500, body: `internal server error: ${error}\n` };
  }
}

/** The check's failure reason, or undefined when it passed within the timeout. */
async function failure(check: HealthCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return undefined;
  } catch (e) {
    return (e as Error)?.message ?? String(e);
  } finally {
    clearTimeout(timer);
  }
}
