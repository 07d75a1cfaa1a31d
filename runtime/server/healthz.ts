/**
 * Named health checks behind /healthz, /livez and /readyz, as upstream: each endpoint aggregates its checks,
 * `?verbose` lists them, `/<endpoint>/<name>` runs one, and `?exclude=<name>` skips one.
 */

export type HealthCheck = () => Promise<void>;

export class HealthChecks {
  private readonly checks = new Map<string, HealthCheck>();

  add(name: string, check: HealthCheck): void {
    if (this.checks.has(name)) throw new Error(`health check "${name}" is registered twice`);
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs the checks; returns HTTP status and a plain-text body in upstream's format. */
  async run(endpoint: string, opts: { only?: string; verbose: boolean; exclude: string[] }): Promise<{ code: number; body: string }> {
    const selected = [...this.checks].filter(([name]) => (opts.only ? name === opts.only : !opts.exclude.includes(name)));
    if (opts.only && selected.length === 0) return { code: 404, body: `404 page not found\n` };
    const results = await Promise.all(
      selected.map(async ([name, check]) => {
        try {
          await withTimeout(check(), 5000);
          return { name, ok: true, reason: '' };
        } catch (e) {
          return { name, ok: false, reason: (e as Error).message };
        }
      }),
    );
    const failed = results.filter((r) => !r.ok);
    if (opts.only) return failed.length ? { code: 500, body: `internal server error: ${failed[0].reason}\n` } : { code: 200, body: 'ok' };
    if (!opts.verbose && failed.length === 0) return { code: 200, body: 'ok' };
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
    lines.push(failed.length ? `${endpoint} check failed` : `${endpoint} check passed`);
    return { code: failed.length ? 500 : 200, body: lines.join('\n') + '\n' };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
