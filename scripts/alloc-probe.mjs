/**
 * Preloaded into the server by `scripts/alloc.ts` (`--import`): on SIGUSR2 starts a sampling heap profile that
 * keeps objects GC has already collected (so it counts every byte allocated, not what survives; with
 * ALLOC_PROBE_SURVIVORS, only what outlived a scavenge) plus a CPU profile; on the next SIGUSR2 stops both and
 * writes them, with the process CPU time between, to $ALLOC_PROBE_OUT. Counts do not depend on how busy the
 * machine is.
 */
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
let started;
/**
 * With --survivors, GC on demand (V8's gc extension, exposed here rather than by a flag of the server's): a scavenge
 * when sampling stops, without which everything allocated since the last one, dead or not, counted as surviving (up
 * to a young generation's worth, many MB, spread over the phase: several KB per request that moved from run to run
 * with where the last scavenge fell).
 */
const gc = process.env.ALLOC_PROBE_SURVIVORS ? (setFlagsFromString('--expose-gc'), runInNewContext('gc')) : undefined;
/**
 * Mark-compacts while sampling: each one also frees the young generation's dead objects, and the profile keeps them
 * as collected by a major GC, so with --survivors a phase that had one reads up to a young generation more
 * (compare phases with as many).
 */
let majorGCs = 0;
const gcs = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGCs++; });
if (gc) gcs.observe({ entryTypes: ['gc'] });
/** Node reports a GC's entry from an immediate queued by the GC. */
const gcReported = () => new Promise((resolve) => setImmediate(resolve));
process.on('SIGUSR2', async () => {
  if (!started) {
    if (!process.env.ALLOC_PROBE_CPU_ONLY) await post('HeapProfiler.enable');
    if (!process.env.ALLOC_PROBE_CPU_ONLY) await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !process.env.ALLOC_PROBE_SURVIVORS });
    if (process.env.ALLOC_PROBE_CPU) {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    }
    gcs.takeRecords();
    majorGCs = 0;
    started = { cpu: process.cpuUsage() };
    writeFileSync(process.env.ALLOC_PROBE_OUT + '.ready', '1');
    return;
  }
  const cpu = process.cpuUsage(started.cpu);
  if (gc) (gc({ type: 'minor' }), await gcReported());
  for (const e of gcs.takeRecords()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGCs++;
  const heap = process.env.ALLOC_PROBE_CPU_ONLY ? { head: { callFrame: {}, selfSize: 0, children: [] } } : (await post('HeapProfiler.stopSampling')).profile;
  const prof = process.env.ALLOC_PROBE_CPU ? (await post('Profiler.stop')).profile : { nodes: [], samples: [], timeDeltas: [] };
  started = undefined;
  // Written whole, then renamed: the reader waits for the name and must never see half a profile.
  writeFileSync(process.env.ALLOC_PROBE_OUT + '.tmp', JSON.stringify({ cpuMicros: cpu.user + cpu.system, majorGCs, heap, prof }));
  renameSync(process.env.ALLOC_PROBE_OUT + '.tmp', process.env.ALLOC_PROBE_OUT);
});
