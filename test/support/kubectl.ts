/**
 * Runs the real kubectl binary against a test server, with a fresh HOME and cache dir so discovery caches from
 * other runs never leak in.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function kubectlBinary(): string {
  for (const p of ['/usr/bin/kubectl', '/usr/local/bin/kubectl']) if (existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  throw new Error('kubectl is not installed: run `apt-get install -y kubernetes-client` (.ci/run does this)');
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The runners' HOME dirs (a few MB of discovery cache each), removed when the test process exits. */
const homes: string[] = [];
process.once('exit', () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

export function kubectlRunner(kubeconfig: string) {
  const home = mkdtempSync(join(tmpdir(), 'kube-ts-kubectl-'));
  homes.push(home);
  const bin = kubectlBinary();
  const env = { ...process.env, HOME: home, KUBECONFIG: kubeconfig };
  const base = ['--cache-dir', join(home, 'cache')];
  const runner = {
    /** Runs kubectl to completion; `input` goes to stdin (for `-f -`). */
    run(args: string[], input?: string): Promise<KubectlResult> {
      return new Promise((resolve, reject) => {
        const child = spawn(bin, [...base, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        // A kubectl that exits before reading stdin (most commands never read it) closes the pipe under our write:
        // that EPIPE says nothing about the command, whose outcome 'close' reports.
        child.stdin.on('error', () => {});
        child.stdin.end(input ?? '');
      });
    },
    /** Starts a long-running kubectl (e.g. `get -w`); read its output as it comes. */
    start(args: string[]) {
      const child = spawn(bin, [...base, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      return {
        output: () => stdout,
        errors: () => stderr,
        stop: () => child.kill('SIGTERM'),
      };
    },
    /** Runs kubectl and asserts it exits 0, showing its stderr when it does not. */
    async ok(args: string[], input?: string): Promise<KubectlResult> {
      const r = await runner.run(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
      return r;
    },
    /** Runs kubectl and asserts it exits non-zero, showing its stdout when it does not. */
    async fails(args: string[], input?: string): Promise<KubectlResult> {
      const r = await runner.run(args, input);
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should fail:\n${r.stdout}`);
      return r;
    },
  };
  return runner;
}

/** Polls `check` until it returns true or the deadline passes (generous: CI machines are slow). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
