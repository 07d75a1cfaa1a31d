/**
 * CPU time (user + system, all threads) a server process has used so far, in ms, from Linux /proc (0 elsewhere):
 * with `tree`, also the processes it started (the `--workers`), which a parent's own counters leave out until they
 * exit. /proc counts in ticks of 10 ms, so a figure per request needs a phase of a second or more.
 */
import { readFileSync } from 'node:fs';
import type { TestServer } from '../test/support/server.ts';

function processCpuMs(pid: number, tree: boolean): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = (Number(f[11]) + Number(f[12])) * 10;
    if (!tree) return own;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
    return own + children.reduce((sum, c) => sum + processCpuMs(Number(c), true), 0);
  } catch {
    return 0;
  }
}

export function serverCpuMs(server: TestServer, opts: { tree?: boolean } = {}): number {
  return server.process.pid ? processCpuMs(server.process.pid, opts.tree ?? false) : 0;
}
