/**
 * Preloaded into the server by `scripts/alloc.ts` (`--import`): on SIGUSR2 starts a sampling heap profile that
 * keeps objects GC has already collected (so it counts every byte allocated, not what survives; with
 * ALLOC_PROBE_SURVIVORS, only what outlived a scavenge) plus a CPU profile; on the next SIGUSR2 stops both and
 * writes them, with the process CPU time between, to $ALLOC_PROBE_OUT. Counts do not depend on how busy the
 * machine is.
 */
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
let started;
process.on('SIGUSR2', async () => {
  if (!started) {
    if (!process.env.ALLOC_PROBE_CPU_ONLY) await post('HeapProfiler.enable');
    if (!process.env.ALLOC_PROBE_CPU_ONLY) await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !process.env.ALLOC_PROBE_SURVIVORS });
    if (process.env.ALLOC_PROBE_CPU) {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    }
    started = { cpu: process.cpuUsage() };
    writeFileSync(process.env.ALLOC_PROBE_OUT + '.ready', '1');
    return;
  }
  const cpu = process.cpuUsage(started.cpu);
  const heap = process.env.ALLOC_PROBE_CPU_ONLY ? { head: { callFrame: {}, selfSize: 0, children: [] } } : (await post('HeapProfiler.stopSampling')).profile;
  const prof = process.env.ALLOC_PROBE_CPU ? (await post('Profiler.stop')).profile : { nodes: [], samples: [], timeDeltas: [] };
  started = undefined;
  // Written whole, then renamed: the reader waits for the name and must never see half a profile.
  writeFileSync(process.env.ALLOC_PROBE_OUT + '.tmp', JSON.stringify({ cpuMicros: cpu.user + cpu.system, heap, prof }));
  renameSync(process.env.ALLOC_PROBE_OUT + '.tmp', process.env.ALLOC_PROBE_OUT);
});
