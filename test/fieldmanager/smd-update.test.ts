import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflicts, FieldSet, MissingVersionError, apply, reconcileWithSchema, fieldElement as f, pathToString, typed, update, type ManagedFields, type VersionConverter } from '../../runtime/fieldmanager/smd/index.ts';
import { kindType } from './smd-support.ts';

const t = kindType('apps', 'v1', 'Deployment');
const v = 'apps/v1';

function deployment(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'nginx' }) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', labels }, spec };
}
const containers = (...cs: Array<Record<string, unknown>>) => ({ template: { spec: { containers: cs } } });
const owned = (m: ManagedFields, manager: string) => m.get(manager)?.set.toString().split('\n') ?? [];

describe('smd apply', () => {
  it('creates from nothing, records the applier, and is idempotent', () => {
    const config = typed(deployment({ replicas: 3, ...containers({ name: 'nginx', image: 'nginx:1.14.2' }) }), t);
    const first = apply(typed(null, t), config, v, new Map(), 'kubectl', false);
    assert.deepEqual(first.object.value, config.value);
    assert.equal(first.changed, true);
    const mine = first.managers.get('kubectl')!;
    assert.equal(mine.applied, true);
    assert.equal(mine.apiVersion, v);
    assert.ok(mine.set.equals(config.toFieldSet()));
    const again = apply(first.object, config, v, first.managers, 'kubectl', false);
    assert.equal(again.changed, false);
    assert.deepEqual(again.object.value, first.object.value);
    assert.ok(again.managers.get('kubectl')!.set.equals(mine.set));
  });

  it('conflicts with a manager that set a field to another value, with upstream message', () => {
    const created = apply(typed(null, t), typed(deployment({ replicas: 3 }), t), v, new Map(), 'kubectl', false);
    const scaled = update(created.object, typed(deployment({ replicas: 5 }), t), v, created.managers, 'kube-controller-manager');
    // The updater took the field from the applier.
    assert.deepEqual(owned(scaled.managers, 'kube-controller-manager'), ['.spec.replicas']);
    assert.ok(!owned(scaled.managers, 'kubectl').includes('.spec.replicas'));
    let err: unknown;
    try {
      apply(scaled.object, typed(deployment({ replicas: 3 }), t), v, scaled.managers, 'kubectl', false);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Conflicts);
    assert.equal(err.message, 'conflict with "kube-controller-manager": .spec.replicas');
    assert.deepEqual(err.conflicts.map((c) => [c.manager, pathToString(c.path)]), [['kube-controller-manager', '.spec.replicas']]);
    // Applying the value it already has is no conflict: the field is shared.
    const same = apply(scaled.object, typed(deployment({ replicas: 5 }), t), v, scaled.managers, 'kubectl', false);
    assert.ok(owned(same.managers, 'kubectl').includes('.spec.replicas'));
    assert.deepEqual(owned(same.managers, 'kube-controller-manager'), ['.spec.replicas']);
    // Forced, the applier takes the field and the other manager, owning nothing else, goes.
    const forced = apply(scaled.object, typed(deployment({ replicas: 3 }), t), v, scaled.managers, 'kubectl', true);
    assert.equal((forced.object.value as any).spec.replicas, 3);
    assert.equal(forced.managers.has('kube-controller-manager'), false);
    assert.ok(owned(forced.managers, 'kubectl').includes('.spec.replicas'));
  });

  it('lists every conflict, grouped by manager, as upstream', () => {
    const base = apply(typed(null, t), typed(deployment({ replicas: 1, minReadySeconds: 1 }, { app: 'a' }), t), v, new Map(), 'alpha', false);
    const second = apply(base.object, typed({ ...deployment({}, { tier: 'b' }), metadata: { name: 'nginx', labels: { tier: 'b' } } }, t), v, base.managers, 'beta', false);
    let err: Conflicts | undefined;
    try {
      apply(second.object, typed(deployment({ replicas: 2, minReadySeconds: 2 }, { app: 'x', tier: 'y' }), t), v, second.managers, 'gamma', false);
    } catch (e) {
      err = e as Conflicts;
    }
    assert.equal(err?.message, ['conflicts with "alpha":', '- .metadata.labels.app', '- .spec.minReadySeconds', '- .spec.replicas', 'conflicts with "beta":', '- .metadata.labels.tier'].join('\n'));
  });

  it('removes a field dropped from the configuration unless another manager owns it', () => {
    const first = apply(typed(null, t), typed(deployment({ replicas: 1 }, { app: 'a', tier: 'web', team: 'x' }), t), v, new Map(), 'kubectl', false);
    // Another applier shares the team label.
    const other = apply(first.object, typed({ metadata: { name: 'nginx', labels: { team: 'x' } } }, t), v, first.managers, 'other', false);
    const next = apply(other.object, typed(deployment({ replicas: 1 }, { app: 'a' }), t), v, other.managers, 'kubectl', false);
    assert.deepEqual((next.object.value as any).metadata.labels, { app: 'a', team: 'x' });
    assert.deepEqual(owned(next.managers, 'other'), ['.metadata.name', '.metadata.labels.team']);
    // Dropping every label removes the map.
    const none = apply(next.object, typed({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 1 } }, t), v, next.managers, 'kubectl', false);
    assert.deepEqual((none.object.value as any).metadata.labels, { team: 'x' });
    const alone = apply(none.object, typed({ metadata: { name: 'nginx' } }, t), v, none.managers, 'other', false);
    assert.equal((alone.object.value as any).metadata.labels, undefined);
    assert.deepEqual(alone.object.value, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 1 } });
  });

  it('keeps a map-list item another applier owns, without the fields only the dropping applier set', () => {
    const a = { name: 'a', image: 'a:1' };
    const x = apply(typed(null, t), typed(deployment(containers({ name: 'b', image: 'b:1' })), t), v, new Map(), 'x', false);
    const y = apply(x.object, typed(deployment(containers(a, { name: 'b', image: 'b:1', command: ['sh'] })), t), v, x.managers, 'y', false);
    // The applied order wins for items both sides have.
    assert.deepEqual((y.object.value as any).spec.template.spec.containers, [a, { name: 'b', image: 'b:1', command: ['sh'] }]);
    const dropped = apply(y.object, typed(deployment(containers(a)), t), v, y.managers, 'y', false);
    assert.deepEqual((dropped.object.value as any).spec.template.spec.containers, [a, { name: 'b', image: 'b:1' }]);
    // Once nobody owns it, the item goes.
    const gone = apply(dropped.object, typed(deployment({}), t), v, dropped.managers, 'x', false);
    assert.deepEqual((gone.object.value as any).spec.template.spec.containers, [a]);
  });

  it('takes ownership of what an update wrote before the first apply when the values agree', () => {
    const created = update(typed(null, t), typed(deployment({ replicas: 2, ...containers({ name: 'c', image: 'i' }) }), t), v, new Map(), 'kubectl-client-side-apply');
    const applied = apply(created.object, typed(deployment({ replicas: 2, ...containers({ name: 'c', image: 'i' }) }), t), v, created.managers, 'kubectl', false);
    assert.equal(applied.changed, false);
    assert.ok(owned(applied.managers, 'kubectl').includes('.spec.template.spec.containers[name="c"].image'));
  });

  it('never records ignored fields', () => {
    const ignored = FieldSet.fromPaths([[f('status')]]);
    const r = update(typed(null, t), typed({ ...deployment({ replicas: 1 }), status: { replicas: 1 } }, t), v, new Map(), 'kubectl', { ignored });
    assert.ok(!owned(r.managers, 'kubectl').some((p) => p.startsWith('.status')));
    const a = apply(typed(null, t), typed({ ...deployment({ replicas: 1 }), status: { replicas: 1 } }, t), v, new Map(), 'kubectl', false, { ignored });
    assert.ok(!owned(a.managers, 'kubectl').some((p) => p.startsWith('.status')));
  });

  it('replaces and owns atomic parts whole', () => {
    const first = apply(typed(null, t), typed(deployment({ selector: { matchLabels: { app: 'a', x: 'y' } } }), t), v, new Map(), 'kubectl', false);
    assert.ok(owned(first.managers, 'kubectl').includes('.spec.selector'));
    const next = apply(first.object, typed(deployment({ selector: { matchLabels: { app: 'a' } } }), t), v, first.managers, 'kubectl', false);
    assert.deepEqual((next.object.value as any).spec.selector, { matchLabels: { app: 'a' } });
    assert.throws(() => apply(next.object, typed(deployment({ selector: { matchLabels: { app: 'b' } } }), t), v, next.managers, 'other', false), /conflict with "kubectl": \.spec\.selector/);
  });

  it('reconciles sets recorded before a part became atomic: the part is owned whole', () => {
    const old = FieldSet.fromFieldsV1('{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:selector":{"f:matchLabels":{"f:app":{}}},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:args":{"v:\\"1\\"":{}}}}}}}}');
    const managers: ManagedFields = new Map([['old', { set: old, apiVersion: v, applied: false }]]);
    const out = reconcileWithSchema(managers, t.atom).get('old')!.set;
    assert.equal(out.toFieldsV1String(), '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:args":{}}}}}}}');
    // A set that already fits is passed through untouched.
    const fits = reconcileWithSchema(new Map([['m', { set: out, apiVersion: v, applied: true }]]), t.atom).get('m')!;
    assert.equal(fits.set, out);
    // And an apply by someone else conflicts on the whole selector.
    const live = typed(deployment({ selector: { matchLabels: { app: 'a' } } }), t);
    assert.throws(() => apply(live, typed(deployment({ selector: { matchLabels: { app: 'b' } } }), t), v, managers, 'new', false), /conflict with "old": \.spec\.selector$/);
  });

  it('drops a map whose last owned entry the applier drops, unowned entries with it, as upstream', () => {
    const first = apply(typed(null, t), typed(deployment({ replicas: 1 }, { a: '1' }), t), v, new Map(), 'kubectl', false);
    // A label written with no manager recorded (before managedFields, or after they were reset).
    const live = typed({ ...(first.object.value as object), metadata: { name: 'nginx', labels: { a: '1', z: 'unowned' } } }, t);
    const next = apply(live, typed({ ...deployment({ replicas: 1 }), metadata: { name: 'nginx' } }, t), v, first.managers, 'kubectl', false);
    // The applier owned the labels map through its entry; with no owner left, the map goes whole.
    assert.equal((next.object.value as any).metadata.labels, undefined);
    // Another owner of any entry keeps the map, and the unowned entry in it.
    const shared = new Map(first.managers).set('other', { set: FieldSet.fromFieldsV1('{"f:metadata":{"f:labels":{"f:b":{}}}}'), apiVersion: v, applied: true });
    const liveB = typed({ ...(live.value as object), metadata: { name: 'nginx', labels: { a: '1', b: '2', z: 'unowned' } } }, t);
    const kept = apply(liveB, typed({ ...deployment({ replicas: 1 }), metadata: { name: 'nginx' } }, t), v, shared, 'kubectl', false);
    assert.deepEqual((kept.object.value as any).metadata.labels, { b: '2', z: 'unowned' });
  });

  it('update: removing a field takes it from every manager; the updater owns what it changed', () => {
    const first = apply(typed(null, t), typed(deployment({ replicas: 1, minReadySeconds: 5 }, { a: '1', b: '2' }), t), v, new Map(), 'kubectl', false);
    const edited = deployment({ replicas: 1, paused: true }, { a: '1' });
    const r = update(first.object, typed(edited, t), v, first.managers, 'kubectl-edit');
    assert.equal(r.changed, true);
    assert.deepEqual(owned(r.managers, 'kubectl-edit'), ['.spec.paused']);
    const mine = owned(r.managers, 'kubectl');
    assert.ok(!mine.includes('.spec.minReadySeconds') && !mine.includes('.metadata.labels.b'));
    assert.ok(mine.includes('.spec.replicas') && mine.includes('.metadata.labels.a'));
    assert.equal(r.managers.get('kubectl-edit')!.applied, false);
    // An update that changes nothing records nobody new.
    const same = update(r.object, typed(edited, t), v, r.managers, 'noop');
    assert.equal(same.changed, false);
    assert.equal(same.managers.has('noop'), false);
  });
});

describe('smd across API versions', () => {
  const cm = kindType('', 'v1', 'ConfigMap');
  // Two made-up versions of a ConfigMap-shaped kind: `data.new` in x/v2 is `data.old` in x/v1.
  const rename = (obj: any, from: string, to: string) => {
    if (!obj?.data || !(from in obj.data)) return obj;
    const { [from]: value, ...rest } = obj.data;
    return { ...obj, data: { ...rest, [to]: value } };
  };
  let conversions = 0;
  const converter: VersionConverter = {
    convert(value, from, to) {
      conversions++;
      if (to === 'x/v9') throw new MissingVersionError(to);
      const obj = value.value as any;
      const out = from === 'x/v1' && to === 'x/v2' ? rename(obj, 'old', 'new') : from === 'x/v2' && to === 'x/v1' ? rename(obj, 'new', 'old') : obj;
      return typed(out && typeof out === 'object' ? { ...out, apiVersion: to } : out, cm);
    },
  };
  const inV1 = (data: Record<string, string>) => typed({ apiVersion: 'x/v1', kind: 'ConfigMap', metadata: { name: 'c' }, data }, cm);
  const inV2 = (data: Record<string, string>) => typed({ apiVersion: 'x/v2', kind: 'ConfigMap', metadata: { name: 'c' }, data }, cm);

  it('converts nothing while every entry is in the request version', () => {
    conversions = 0;
    const first = apply(typed(null, cm), inV2({ new: '1', keep: '1' }), 'x/v2', new Map(), 'a', false, { converter });
    const second = apply(first.object, inV2({ keep: '1' }), 'x/v2', first.managers, 'a', false, { converter });
    update(second.object, inV2({ keep: '2' }), 'x/v2', second.managers, 'u', { converter });
    assert.equal(conversions, 0);
  });

  it('finds a conflict in the version of the manager that owns the field, and prints its path there', () => {
    const first = apply(typed(null, cm), inV2({ new: '1' }), 'x/v2', new Map(), 'a', false, { converter });
    const live = typed({ ...(first.object.value as object), apiVersion: 'x/v1', data: { old: '1' } }, cm);
    assert.throws(() => apply(live, inV1({ old: '2' }), 'x/v1', first.managers, 'b', false, { converter }), /^Conflicts: conflict with "a": \.data\.new$/);
    const forced = apply(live, inV1({ old: '2' }), 'x/v1', first.managers, 'b', true, { converter });
    assert.ok(!owned(forced.managers, 'a').includes('.data.new'));
    assert.equal(forced.managers.get('a')!.apiVersion, 'x/v2');
    assert.equal(forced.managers.get('b')!.apiVersion, 'x/v1');
  });

  it('prunes in the version last applied in when its applier moves to another version', () => {
    const first = apply(typed(null, cm), inV2({ new: '1', keep: '1' }), 'x/v2', new Map(), 'a', false, { converter });
    const live = typed({ ...(first.object.value as object), apiVersion: 'x/v1', data: { old: '1', keep: '1' } }, cm);
    const next = apply(live, inV1({ keep: '1' }), 'x/v1', first.managers, 'a', false, { converter });
    assert.deepEqual((next.object.value as any).data, { keep: '1' });
    assert.equal(next.managers.get('a')!.apiVersion, 'x/v1');
  });

  it('drops the entries of a version the kind no longer has', () => {
    const gone: ManagedFields = new Map([['old', { set: FieldSet.fromFieldsV1('{"f:data":{"f:z":{}}}'), apiVersion: 'x/v9', applied: false }]]);
    const r = update(inV2({ z: '1' }), inV2({ z: '1', y: '2' }), 'x/v2', gone, 'u', { converter });
    assert.deepEqual([...r.managers.keys()], ['u']);
  });
});
