/**
 * API Priority and Fairness through the HTTP API and kubectl: upstream's built-in FlowSchemas and priority levels
 * are served and restored, every response names its FlowSchema and priority level, a user routed to a tiny level
 * gets 429 with Retry-After while others are served, one noisy user cannot starve a quiet one in the same level,
 * and with --enable-priority-and-fairness=false the max-in-flight filter limits requests instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.ts';
import { install, namespace, webhook } from '../admission/webhook-support.ts';
import { eventually, sleep, tokenFile, userClient, userWatch, type Reply } from './support.ts';

const fc = '/apis/flowcontrol.apiserver.k8s.io/v1';

/**
 * A limited level with the given shares and queues, and a schema sending the users' requests to it. It borrows
 * no seats from other levels unless `borrow` is set, so its limit stays what the test expects.
 */
async function route(server: TestServer, name: string, users: string[], shares: number, queuing: { queues: number; handSize: number; queueLengthLimit: number }, borrow = false) {
  let r = await server.request('POST', `${fc}/prioritylevelconfigurations`, {
    metadata: { name },
    spec: { type: 'Limited', limited: { nominalConcurrencyShares: shares, ...(borrow ? {} : { borrowingLimitPercent: 0 }), limitResponse: { type: 'Queue', queuing } } },
  });
  assert.equal(r.status, 201, r.text);
  r = await server.request('POST', `${fc}/flowschemas`, {
    metadata: { name },
    spec: {
      priorityLevelConfiguration: { name },
      matchingPrecedence: 500,
      distinguisherMethod: { type: 'ByUser' },
      rules: [{ subjects: users.map((u) => ({ kind: 'User', user: { name: u } })), resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true }] }],
    },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.metadata.uid as string;
}

describe('API Priority and Fairness', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  // Creates in a namespace named `held-<ms>` wait that long in the webhook: they keep their seat meanwhile.
  const held = new Set<() => void>();
  const heldBorrow = new Set<() => void>();
  let holdBorrowed = true;
  let holdAll = false;

  before(async () => {
    hooks = await startWebhookServer(async (_path, review) => {
      const ns: string = review.request?.namespace ?? '';
      if (ns === 'held') {
        if (holdAll) await new Promise<void>((resolve) => held.add(resolve));
      } else if (ns === 'held-borrow') {
        if (holdBorrowed) await new Promise<void>((resolve) => heldBorrow.add(resolve));
      } else if (ns.startsWith('slow')) {
        await sleep(100);
      }
      return { response: { allowed: true } };
    });
    server = await startServer({
      args: [
        '--authorization-mode', 'AlwaysAllow',
        '--token-auth-file', tokenFile(['noisy', 'quiet', 'bystander', 'flooder', 'calm', 'borrower']),
        // Requests may wait 30 s in a queue (a quarter of this), longer than a borrowing round or two.
        '--request-timeout', '2m',
        // 3 seats for the whole server: small levels get exactly one.
        '--max-requests-inflight', '2', '--max-mutating-requests-inflight', '1',
      ],
    });
    kubectl = kubectlRunner(server.kubeconfig);
    for (const ns of ['held', 'free', 'slow', 'held-borrow']) await namespace(server, ns);
    await install(server, hooks, 'validating', 'apf-hold', [webhook(hooks, 'hold.test.io', '/hold', { rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }] })]);
  });
  after(async () => {
    for (const release of [...held, ...heldBorrow]) release();
    await server?.stop();
    await hooks?.close();
  });

  it('serves upstream\'s mandatory and suggested objects to kubectl, with their printer columns', async () => {
    const fs = await eventually('the suggested FlowSchemas', async () => {
      const r = await kubectl.run(['get', 'flowschemas']);
      return r.stdout.includes('global-default') && r.stdout.includes('service-accounts') && !/\?\s*$/m.test(r.stdout) ? r : undefined;
    });
    const fsLines = fs.stdout.trim().split('\n');
    assert.deepEqual(fsLines[0].split(/\s+/), ['NAME', 'PRIORITYLEVEL', 'MATCHINGPRECEDENCE', 'DISTINGUISHERMETHOD', 'AGE', 'MISSINGPL']);
    const row = (name: string) => fsLines.find((l) => l.startsWith(`${name} `))?.split(/\s+/);
    assert.deepEqual(row('exempt')?.filter((_, i) => i !== 4), ['exempt', 'exempt', '1', '<none>', 'False']);
    assert.deepEqual(row('catch-all')?.filter((_, i) => i !== 4), ['catch-all', 'catch-all', '10000', 'ByUser', 'False']);
    assert.deepEqual(row('kube-system-service-accounts')?.filter((_, i) => i !== 4), ['kube-system-service-accounts', 'workload-high', '900', 'ByNamespace', 'False']);
    for (const name of ['system-nodes', 'system-node-high', 'probes', 'system-leader-election', 'endpoint-controller', 'workload-leader-election', 'kube-controller-manager', 'kube-scheduler', 'service-accounts', 'global-default']) {
      assert.ok(row(name), `flowschema ${name} is listed:\n${fs.stdout}`);
    }
    const pl = await kubectl.run(['get', 'prioritylevelconfigurations']);
    assert.equal(pl.code, 0, pl.stderr);
    const plLines = pl.stdout.trim().split('\n');
    assert.deepEqual(plLines[0].split(/\s+/), ['NAME', 'TYPE', 'NOMINALCONCURRENCYSHARES', 'QUEUES', 'HANDSIZE', 'QUEUELENGTHLIMIT', 'AGE']);
    const plRow = (name: string) => plLines.find((l) => l.startsWith(`${name} `))?.split(/\s+/).slice(0, 6);
    assert.deepEqual(plRow('exempt'), ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>']);
    assert.deepEqual(plRow('catch-all'), ['catch-all', 'Limited', '5', '<none>', '<none>', '<none>']);
    assert.deepEqual(plRow('global-default'), ['global-default', 'Limited', '20', '128', '6', '50']);
    assert.deepEqual(plRow('leader-election'), ['leader-election', 'Limited', '10', '16', '4', '50']);
    for (const name of ['system', 'node-high', 'workload-high', 'workload-low']) assert.ok(plRow(name), `priority level ${name} is listed`);
    // Both kinds at once, as the issue asks.
    const both = await kubectl.run(['get', 'flowschemas,prioritylevelconfigurations', '-o', 'name']);
    assert.match(both.stdout, /flowschema\.flowcontrol\.apiserver\.k8s\.io\/exempt/);
    assert.match(both.stdout, /prioritylevelconfiguration\.flowcontrol\.apiserver\.k8s\.io\/workload-low/);
    const annotated = await kubectl.run(['get', 'flowschema', 'global-default', '-o', 'jsonpath={.metadata.annotations.apf\\.kubernetes\\.io/autoupdate-spec}']);
    assert.equal(annotated.stdout, 'true');
  });

  it('names the FlowSchema and priority level of every response in X-Kubernetes-PF-* headers', async () => {
    const fsUID = (await server.request('GET', `${fc}/flowschemas/global-default`)).json.metadata.uid;
    const plUID = (await server.request('GET', `${fc}/prioritylevelconfigurations/global-default`)).json.metadata.uid;
    const r = await userClient(server, 'bystander')('GET', '/api/v1/namespaces/free/configmaps');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-kubernetes-pf-flowschema-uid'], fsUID);
    assert.equal(r.headers['x-kubernetes-pf-prioritylevel-uid'], plUID);
    const admin = await server.request('GET', '/api/v1/namespaces');
    assert.equal(admin.headers['x-kubernetes-pf-flowschema-uid'], (await server.request('GET', `${fc}/flowschemas/exempt`)).json.metadata.uid);
  });

  it('restores a deleted mandatory object, and refuses to change a mandatory spec', async () => {
    const before = (await server.request('GET', `${fc}/flowschemas/catch-all`)).json.metadata.uid;
    const del = await kubectl.run(['delete', 'flowschema', 'catch-all']);
    assert.equal(del.code, 0, del.stderr);
    const back = await eventually('catch-all to come back', async () => {
      const r = await server.request('GET', `${fc}/flowschemas/catch-all`);
      return r.status === 200 ? r.json : undefined;
    });
    assert.notEqual(back.metadata.uid, before);
    assert.equal(back.spec.matchingPrecedence, 10000);
    const changed = await server.request('PATCH', `${fc}/prioritylevelconfigurations/catch-all`, { spec: { limited: { nominalConcurrencyShares: 50 } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(changed.status, 422, changed.text);
    assert.match(changed.json.message, /spec of 'catch-all' must equal the fixed value/);
  });

  it('keeps the exempt level\'s admin-set shares, marks a suggested object an admin took over `false`, and deletes a server-annotated object no longer built in', async () => {
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const tuned = await server.request('PATCH', `${fc}/prioritylevelconfigurations/exempt`, { spec: { exempt: { nominalConcurrencyShares: 7, lendablePercent: 10 } } }, merge);
    assert.equal(tuned.status, 200, tuned.text);
    // An admin edits a suggested schema and drops its annotation in one write: generation 2, no annotation.
    const taken = await server.request('PATCH', `${fc}/flowschemas/service-accounts`, { metadata: { annotations: { 'apf.kubernetes.io/autoupdate-spec': null } }, spec: { matchingPrecedence: 9001 } }, merge);
    assert.equal(taken.status, 200, taken.text);
    // A schema the server once wrote (annotated true) that is no longer one of its built-in ones.
    const retired = await server.request('POST', `${fc}/flowschemas`, {
      metadata: { name: 'retired', annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' } },
      spec: { priorityLevelConfiguration: { name: 'global-default' }, rules: [{ subjects: [{ kind: 'Group', group: { name: 'nobody' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/retired'] }] }] },
    });
    assert.equal(retired.status, 201, retired.text);
    // An admin's own schema with the annotation false stays.
    const own = await server.request('POST', `${fc}/flowschemas`, {
      metadata: { name: 'own', annotations: { 'apf.kubernetes.io/autoupdate-spec': 'false' } },
      spec: { priorityLevelConfiguration: { name: 'global-default' }, rules: [{ subjects: [{ kind: 'Group', group: { name: 'nobody' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/own'] }] }] },
    });
    assert.equal(own.status, 201, own.text);
    // Deleting a mandatory object makes the producer run a round now rather than within the minute.
    assert.equal((await server.request('DELETE', `${fc}/flowschemas/catch-all`)).status, 200);
    await eventually('retired to be deleted', async () => ((await server.request('GET', `${fc}/flowschemas/retired`)).status === 404 ? true : undefined));
    const sa = await eventually('service-accounts to be marked', async () => {
      const r = await server.request('GET', `${fc}/flowschemas/service-accounts`);
      return r.json.metadata.annotations?.['apf.kubernetes.io/autoupdate-spec'] === 'false' ? r.json : undefined;
    });
    assert.equal(sa.spec.matchingPrecedence, 9001, 'the admin\'s spec is kept');
    assert.equal((await server.request('GET', `${fc}/flowschemas/own`)).status, 200);
    const exempt = (await server.request('GET', `${fc}/prioritylevelconfigurations/exempt`)).json;
    assert.deepEqual(exempt.spec, { type: 'Exempt', exempt: { nominalConcurrencyShares: 7, lendablePercent: 10 } });
    // Handing service-accounts back to the server restores its spec on the next round.
    await server.request('PATCH', `${fc}/prioritylevelconfigurations/exempt`, { spec: { exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } } }, merge);
    await server.request('PATCH', `${fc}/flowschemas/service-accounts`, { metadata: { annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' } } }, merge);
    await server.request('DELETE', `${fc}/flowschemas/own`);
    assert.equal((await server.request('DELETE', `${fc}/flowschemas/catch-all`)).status, 200);
    await eventually('service-accounts to be restored', async () => ((await server.request('GET', `${fc}/flowschemas/service-accounts`)).json.spec.matchingPrecedence === 9000 ? true : undefined));
  });

  it('marks a FlowSchema whose priority level is missing as Dangling', async () => {
    const r = await server.request('POST', `${fc}/flowschemas`, {
      metadata: { name: 'dangling' },
      spec: { priorityLevelConfiguration: { name: 'no-such-level' }, rules: [{ subjects: [{ kind: 'Group', group: { name: 'nobody' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/nothing'] }] }] },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.matchingPrecedence, 1000, 'defaulted');
    const row = await eventually('the Dangling condition', async () => {
      const out = await kubectl.run(['get', 'flowschema', 'dangling', '--no-headers']);
      return /\sTrue\s*$/.test(out.stdout) ? out.stdout : undefined;
    });
    assert.match(row, /^dangling\s+no-such-level\s+1000\s+<none>/);
    const fs = (await server.request('GET', `${fc}/flowschemas/dangling`)).json;
    const cond = fs.status.conditions.find((c: { type: string }) => c.type === 'Dangling');
    assert.equal(cond.reason, 'NotFound');
    assert.equal(cond.message, 'This FlowSchema references the PriorityLevelConfiguration object named "no-such-level" but there is no such object');
  });

  it('rejects invalid objects with upstream\'s field errors', async () => {
    const r = await server.request('POST', `${fc}/prioritylevelconfigurations`, {
      metadata: { name: 'bad' },
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: -1, lendablePercent: 101, limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 8 } } } },
    });
    assert.equal(r.status, 422, r.text);
    const fields = r.json.details.causes.map((c: { field: string }) => c.field).sort();
    assert.deepEqual(fields, ['spec.limited.lendablePercent', 'spec.limited.limitResponse.queuing.handSize', 'spec.limited.nominalConcurrencyShares']);
    const fs = await server.request('POST', `${fc}/flowschemas`, { metadata: { name: 'bad' }, spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 1, rules: [{ subjects: [], resourceRules: [] }] } });
    assert.equal(fs.status, 422, fs.text);
    assert.match(fs.json.message, /only the schema named 'exempt' may have matchingPrecedence 1/);
    assert.match(fs.json.message, /subjects must contain at least one value/);
  });

  it('answers 429 with Retry-After to a user whose tiny level and queue are full, while another user is served', async () => {
    const fsUID = await route(server, 'tiny', ['noisy'], 1, { queues: 1, handSize: 1, queueLengthLimit: 1 });
    const noisy = userClient(server, 'noisy');
    // The new schema is picked up live: the noisy user's requests carry its UID.
    await eventually('the tiny FlowSchema to be in effect', async () => {
      const r = await noisy('GET', '/api/v1/namespaces/free/configmaps');
      return r.headers['x-kubernetes-pf-flowschema-uid'] === fsUID ? r : undefined;
    });
    holdAll = true;
    const running = [0, 1, 2, 3, 4].map((i) => noisy('POST', '/api/v1/namespaces/held/configmaps', { metadata: { name: `n${i}` } }));
    // One runs (held in the webhook), one waits in the only queue, the rest are turned away at once.
    const rejected: Reply[] = [];
    for (const p of running) void p.then((r) => (r.status === 429 ? rejected.push(r) : undefined));
    await eventually('three rejections', async () => (rejected.length >= 3 ? true : undefined), 10_000);
    for (const r of rejected) {
      assert.equal(r.headers['retry-after'], '1');
      assert.equal(r.text, 'Too many requests, please try again later.\n');
      assert.equal(r.headers['x-kubernetes-pf-flowschema-uid'], fsUID);
    }
    // Another user, in another level, is not affected.
    const other = await userClient(server, 'bystander')('POST', '/api/v1/namespaces/free/configmaps', { metadata: { name: 'b1' } });
    assert.equal(other.status, 201, other.text);
    holdAll = false;
    for (const release of held) release();
    held.clear();
    const done = await Promise.all(running);
    assert.deepEqual(done.map((r) => r.status).sort(), [201, 201, 429, 429, 429]);
  });

  it('counts dispatched and rejected requests in /metrics with upstream\'s names and labels', async () => {
    const r = await server.request('GET', '/metrics');
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /apiserver_flowcontrol_rejected_requests_total\{flow_schema="tiny",priority_level="tiny",reason="queue-full"\} 3/);
    // priority-and-fairness.go's reject: RecordRequestTermination(r, requestInfo, "apiserver", 429).
    assert.match(r.text, /^apiserver_request_terminations_total\{verb="POST",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="429"\} 3$/m);
    assert.match(r.text, /apiserver_flowcontrol_dispatched_requests_total\{flow_schema="tiny",priority_level="tiny"\} \d+/);
    assert.match(r.text, /apiserver_flowcontrol_nominal_limit_seats\{priority_level="global-default"\} 1/);
    assert.match(r.text, /apiserver_flowcontrol_request_wait_duration_seconds_bucket\{le="[^"]+",flow_schema="tiny",priority_level="tiny",execute="true"\}/);
    assert.match(r.text, /apiserver_flowcontrol_current_executing_requests\{flow_schema="exempt",priority_level="exempt"\} \d+/);
  });

  it('gives a watch a seat only while it starts', async () => {
    // The noisy user's level has one seat and a queue of one: open watches that kept their seat would leave
    // every later request of that user waiting, then rejected.
    const watches = await Promise.all([0, 1, 2].map(() => userWatch(server, 'noisy', '/api/v1/namespaces/free/configmaps?watch=true')));
    try {
      for (const w of watches) assert.equal(w.status, 200);
      assert.equal(watches[0].headers['x-kubernetes-pf-prioritylevel-uid'], (await server.request('GET', `${fc}/prioritylevelconfigurations/tiny`)).json.metadata.uid);
      const noisy = userClient(server, 'noisy');
      for (let i = 0; i < 3; i++) {
        const r = await noisy('GET', '/api/v1/namespaces/free/configmaps');
        assert.equal(r.status, 200, r.text);
      }
    } finally {
      for (const w of watches) w.close();
    }
  });

  it('keeps a quiet user served while a noisy user floods the same priority level', async () => {
    await route(server, 'shared', ['flooder', 'calm'], 1, { queues: 64, handSize: 1, queueLengthLimit: 50 });
    const flooder = userClient(server, 'flooder');
    const calm = userClient(server, 'calm');
    const plUID = (await server.request('GET', `${fc}/prioritylevelconfigurations/shared`)).json.metadata.uid;
    await eventually('the shared level to be in effect', async () => {
      const r = await calm('GET', '/api/v1/namespaces/free/configmaps');
      return r.headers['x-kubernetes-pf-prioritylevel-uid'] === plUID ? r : undefined;
    });
    // 30 slow creates (100 ms each in the webhook) on one seat: about 3 s of backlog.
    let floodDone = 0;
    const flood = Array.from({ length: 30 }, (_, i) =>
      flooder('POST', '/api/v1/namespaces/slow/configmaps', { metadata: { name: `f${i}` } }).then((r) => {
        floodDone++;
        return r;
      }),
    );
    await sleep(300); // the flood is queued
    const calmResults: { status: number; floodDoneBefore: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await calm('POST', '/api/v1/namespaces/free/configmaps', { metadata: { name: `c${i}` } });
      calmResults.push({ status: r.status, floodDoneBefore: floodDone });
    }
    const floodResults = await Promise.all(flood);
    assert.deepEqual(calmResults.map((r) => r.status), [201, 201, 201]);
    // Fair queuing serves the quiet flow's queue next each time: it never waits behind the flood's backlog (with
    // one queue for everyone, it would finish only after all 30).
    const last = calmResults[2].floodDoneBefore;
    assert.ok(last < 10, `the quiet user finished after ${last} of 30 flood requests`);
    assert.deepEqual([...new Set(floodResults.map((r) => r.status))], [201], 'the flood itself is queued, not rejected');
  });

  it('lets a busy level borrow the seats idle levels lend, at the next adjustment', async () => {
    await route(server, 'borrowing', ['borrower'], 1, { queues: 8, handSize: 2, queueLengthLimit: 10 }, true);
    const borrower = userClient(server, 'borrower');
    const plUID = (await server.request('GET', `${fc}/prioritylevelconfigurations/borrowing`)).json.metadata.uid;
    await eventually('the borrowing level to be in effect', async () => {
      const r = await borrower('GET', '/api/v1/namespaces/free/configmaps');
      return r.headers['x-kubernetes-pf-prioritylevel-uid'] === plUID ? r : undefined;
    });
    const requests = [0, 1, 2].map((i) => borrower('POST', '/api/v1/namespaces/held-borrow/configmaps', { metadata: { name: `b${i}` } }));
    // Its nominal limit is one seat (3 seats shared by 248 shares); upstream adjusts limits every 10 s, so
    // within two rounds more of its requests run at once, on seats idle levels lend.
    await eventually('borrowed seats', async () => (heldBorrow.size >= 2 ? true : undefined), 30_000);
    holdBorrowed = false;
    for (const release of heldBorrow) release();
    heldBorrow.clear();
    assert.deepEqual((await Promise.all(requests)).map((r) => r.status), [201, 201, 201]);
  });
});

describe('API Priority and Fairness turned off', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--enable-priority-and-fairness=false'] });
  });
  after(async () => {
    await server?.stop();
  });

  it('falls back to the max-in-flight filter: no X-Kubernetes-PF-* headers, no built-in objects written', async () => {
    const r = await server.request('GET', '/api/v1/namespaces');
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-kubernetes-pf-flowschema-uid'], undefined);
    await sleep(500);
    const list = await server.request('GET', `${fc}/flowschemas`);
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, 0);
  });
});
