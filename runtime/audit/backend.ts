/** What every audit backend (log file, webhook) offers the audit filter. */

export interface AuditBackend {
  readonly name: string;
  /**
   * Takes finished event lines (JSON, no newline). Never throws. A batching backend returns at once (a full buffer
   * drops with a log line); a blocking one (`--audit-log-mode=blocking|blocking-strict`) returns the write, which
   * resolves false when it failed and the backend is strict (blocking alone ignores failures, as upstream).
   */
  processEvents(lines: string[]): void | Promise<boolean>;
  /** Writes or sends what is buffered (graceful shutdown). */
  shutdown(): Promise<void>;
}

export interface BackendLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Counts events dropped by a full buffer and logs the first drop and then one line per thousand, as upstream's
 * "Error in audit plugin" line, so a stuck backend cannot flood the server log. Returns the new total.
 */
export function reportDropped(plugin: string, before: number, lost: number, log: BackendLogger): number {
  const total = before + lost;
  if (before === 0 || Math.floor(before / 1000) !== Math.floor(total / 1000)) {
    log.error({ dropped: total }, `Error in audit plugin '${plugin}' affecting ${lost} audit events: audit buffer queue blocked (${total} dropped so far)`);
  }
  return total;
}

/** Sends every event to each backend. */
export function unionBackend(backends: AuditBackend[]): AuditBackend {
  if (backends.length === 1) return backends[0];
  return {
    name: backends.map((b) => b.name).join('+'),
    processEvents: (lines) => {
      const writes = backends.map((b) => b.processEvents(lines)).filter((w): w is Promise<boolean> => w instanceof Promise);
      return writes.length ? Promise.all(writes).then((ok) => ok.every(Boolean)) : undefined;
    },
    shutdown: async () => {
      await Promise.all(backends.map((b) => b.shutdown()));
    },
  };
}
