// Graceful shutdown under load: SIGTERM turns /readyz red at once, requests keep being served through
// --shutdown-delay-duration, a slow request accepted before the listener closes still completes, no accepted request
// fails (a refused connection is not an accepted request), an open watch ends cleanly, and the process exits 0.
// With --shutdown-send-retry-after, requests arriving while the server drains get 429 with Retry-After instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer } from '../support/webhook-server.ts';
import type { Teardown } from '../support/teardown.ts';

interface Outcome {
  at: number;
  /** Why a request that never reached the server failed (its error is reported as ECONNREFUSED). */
  notSent?: string;
  status?: number;
  error?: string;
  retryAfter?: string;
  connection?: string;
  body?: string;
}

function credentials(server: TestServer) {
  const cfg = readFileSync(server.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

function send(server: TestServer, opts: RequestOptions, path: string, body?: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${server.url}${path}`, { ...opts, headers: payload ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ at: Date.now(), status: res.statusCode, retryAfter: res.headers['retry-after'], connection: res.headers.connection, body: text }));
      res.on('error', (e) => resolve({ at: Date.now(), error: `response: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
    });
    // A request counts as sent once its connection is up (a new one: after the TLS handshake; a reused one: at once).
    let sent = false;
    req.on('socket', (socket) => {
      if (req.reusedSocket || !socket.connecting) sent = true;
      else socket.once('secureConnect', () => (sent = true));
    });
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code ?? e.message;
      // A connection the server never accepted (refused, or reset in its listen queue as the listener closed) is
      // not an accepted request. Nor is one written on a kept-alive connection as the server closed it idle: the
      // request may not have reached it, which is why HTTP clients (Go's transport, Node's reusedSocket advice)
      // send such a request again.
      const idleRace = req.reusedSocket && code === 'ECONNRESET';
      const accepted = sent && !idleRace;
      resolve({ at: Date.now(), error: accepted ? code : 'ECONNREFUSED', ...(accepted ? {} : { notSent: idleRace ? 'ECONNRESET on a reused connection' : code }) });
    });
    req.end(payload);
  });
}

/**
 * `workers` clients sending creates and reads over keep-alive connections until the server refuses connections;
 * resolves with every outcome.
 */
function load(server: TestServer, workers: number, stopAt: () => boolean): Promise<Outcome[]> {
  const agent = new Agent({ ...credentials(server), keepAlive: true });
  const outcomes: Outcome[] = [];
  let n = 0;
  const worker = async (w: number) => {
    while (!stopAt()) {
      const i = n++;
      const o = i % 2 === 0 ? await send(server, { method: 'POST', agent }, '/api/v1/namespaces/default/configmaps', { metadata: { name: `load-${w}-${i}` } }) : await send(server, { method: 'GET', agent }, '/api/v1/namespaces/default/configmaps?limit=5');
      outcomes.push(o);
      if (o.error === 'ECONNREFUSED') return; // the listener is closed: nothing more will be accepted
      if (o.status === 429) await new Promise((r) => setTimeout(r, 20));
    }
  };
  return Promise.all(Array.from({ length: workers }, (_, w) => worker(w))).then(() => {
    agent.destroy();
    return outcomes;
  });
}

/** A raw watch: resolves when the response ends, telling whether it ended cleanly (the whole chunked body arrived). */
function watchUntilEnd(server: TestServer, path: string): Promise<{ status: number; complete: boolean; ended: boolean; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ...credentials(server), agent: false }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => (ended = true));
      res.on('close', () => resolve({ status: res.statusCode!, complete: res.complete, ended, lines: text.split('\n').filter(Boolean) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A validating webhook that answers after `ms`: creates of configmaps labelled slow=yes take that long. Closed
 * after the test `t`, as the server is.
 */
async function slowWebhook(server: TestServer, ms: number, t: Teardown) {
  const hook = await startWebhookServer(async () => {
    await new Promise((r) => setTimeout(r, ms));
    return { response: { allowed: true } };
  }, { t });
  await inForce(server, hook);
  return hook;
}

/** Registers the webhook and waits until admission calls it (the configuration reaches admission through a watch). */
async function inForce(server: TestServer, hook: Awaited<ReturnType<typeof startWebhookServer>>) {
  const res = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'slow' },
    webhooks: [
      {
        name: 'slow.example.com',
        clientConfig: { url: `${hook.url}/slow`, caBundle: hook.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        objectSelector: { matchLabels: { slow: 'yes' } },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 30,
      },
    ],
  });
  assert.equal(res.status, 201, res.text);
  // Wait until the webhook is in force (the configuration reaches admission through a watch).
  for (let i = 0; ; i++) {
    const probe = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'probe-', labels: { slow: 'yes' } } });
    assert.equal(probe.status, 201, probe.text);
    if (hook.received.length > 0) break;
    assert.ok(i < 100, 'the webhook was never called');
  }
}

const exited = (server: TestServer) => new Promise<number | null>((resolve) => (server.process.exitCode !== null ? resolve(server.process.exitCode) : server.process.once('exit', (code) => resolve(code))));

test('SIGTERM under load: readyz red, delay, drain, watches end cleanly, no accepted request fails, exit 0', async (t) => {
  const server = await startServer({ args: ['--shutdown-delay-duration', '2s', '-v=1'], t });
  let done = false;
  try {
    await slowWebhook(server, 2500, t);
    const rv = (await server.request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    const watch = watchUntilEnd(server, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    const loadDone = load(server, 16, () => done);
    await new Promise((r) => setTimeout(r, 1000));

    const sigterm = Date.now();
    server.process.kill('SIGTERM');
    const exit = exited(server);
    await new Promise((r) => setTimeout(r, 300));
    // During the delay: not ready (on a new connection), and still serving.
    const fresh = { ...credentials(server), agent: false } as RequestOptions;
    // A slow request accepted during the delay outlives the listener and still succeeds.
    const slowSent = Date.now();
    const slow = send(server, { ...fresh, method: 'POST' }, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'slow-during-shutdown', labels: { slow: 'yes' } } });
    const readyz = await send(server, { ...fresh, method: 'GET' }, '/readyz?verbose');
    assert.equal(readyz.status, 500);
    assert.match(readyz.body!, /^\[-\]shutdown failed: reason withheld$/m);
    assert.match(readyz.body!, /readyz check failed\n$/);

    const code = await exit;
    done = true;
    const outcomes = await loadDone;
    const w = await watch;
    const s = await slow;

    assert.equal(code, 0, `exit code\n${server.logs().slice(-3000)}`);
    assert.equal(s.status, 201, `the slow create: ${JSON.stringify(s)} sent at ${slowSent - sigterm}\n${server.logs().split('\n').filter((l) => l.includes('graceful')).join('\n')}`);
    assert.ok(s.at - sigterm >= 2000, 'it finished after the shutdown delay');

    const failures = outcomes.filter((o) => (o.error && o.error !== 'ECONNREFUSED') || (o.status !== undefined && o.status !== 200 && o.status !== 201));
    assert.deepEqual(failures, [], `failed requests (of ${outcomes.length})`);
    const servedAfterSigterm = outcomes.filter((o) => o.status && o.at > sigterm + 300);
    assert.ok(servedAfterSigterm.length > 0, 'requests were served during the shutdown delay');
    assert.ok(outcomes.some((o) => o.error === 'ECONNREFUSED'), 'new connections are refused once the server stops accepting');
    assert.ok(outcomes.some((o) => o.status && o.connection === 'close'), 'requests on open connections after that are served with Connection: close');

    assert.equal(w.status, 200);
    assert.ok(w.ended && w.complete, `the watch ended cleanly: ${JSON.stringify(w)}`);
    assert.ok(w.lines.length > 0 && w.lines.every((l) => JSON.parse(l).type === 'ADDED'), 'it saw the creates and no ERROR event');

    const logs = server.logs();
    for (const event of ['ShutdownInitiated', 'AfterShutdownDelayDuration', 'NotAcceptingNewRequest', 'InFlightRequestsDrained', 'HTTPServerStoppedListening']) {
      assert.ok(logs.includes(`"name":"${event}"`), `logged ${event}`);
    }
  } finally {
    done = true; // ends the load; the server and webhook are stopped after the test
  }
});

test('--shutdown-send-retry-after: new requests get 429 with Retry-After while in-flight ones drain, then exit 0', async (t) => {
  const server = await startServer({ args: ['--shutdown-delay-duration', '2s', '--shutdown-send-retry-after=true', '-v=1'], t });
  let done = false;
  try {
    await slowWebhook(server, 4000, t);
    const loadDone = load(server, 8, () => done);
    await new Promise((r) => setTimeout(r, 500));
    const fresh = { ...credentials(server), agent: false } as RequestOptions;
    server.process.kill('SIGTERM');
    const exit = exited(server);
    await new Promise((r) => setTimeout(r, 200));
    const slow = send(server, { ...fresh, method: 'POST' }, '/api/v1/namespaces/default/configmaps', { metadata: { name: 'slow-retry-after', labels: { slow: 'yes' } } });
    // Past the delay, while the slow request holds the drain, a new request is turned away.
    let refused: Outcome;
    for (;;) {
      refused = await send(server, { ...fresh, method: 'GET' }, '/api/v1/namespaces/default/configmaps');
      if (refused.status !== 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const probe = await send(server, { ...fresh, method: 'GET' }, '/livez');

    const code = await exit;
    done = true;
    const outcomes = await loadDone;
    assert.equal(code, 0, server.logs().slice(-3000));
    assert.equal((await slow).status, 201, 'the request in flight completed');

    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, '5');
    assert.equal(refused.connection, 'close');
    assert.equal(refused.body, 'The apiserver is shutting down, please try again later.\n');
    assert.equal(probe.status, 200, 'health probes are still answered');

    const failures = outcomes.filter((o) => (o.error && o.error !== 'ECONNREFUSED') || (o.status !== undefined && ![200, 201, 429].includes(o.status)));
    assert.deepEqual(failures, [], `failed requests (of ${outcomes.length})`);
    assert.ok(outcomes.some((o) => o.status === 429 && o.retryAfter === '5'), 'the load saw 429s');
  } finally {
    done = true; // ends the load; the server and webhook are stopped after the test
  }
});
