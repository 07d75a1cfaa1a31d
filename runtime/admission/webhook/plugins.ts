/**
 * The two admission plug-ins, as upstream's MutatingAdmissionWebhook and ValidatingAdmissionWebhook:
 * - mutating webhooks are called one after another; each may answer a JSON patch, applied to the object in the
 *   version the webhook was called with; webhooks with reinvocationPolicy IfNeeded are called once more when a
 *   later webhook changed the object;
 * - validating webhooks are called all at once, and the first refusal or failure (under Fail) refuses the request.
 * A failure to get an answer refuses the request with 500 under failurePolicy Fail and is ignored under Ignore; a
 * refusal always refuses. Nothing here throws anything but StatusErrors.
 */
import { patchedRawForms, withRawValues } from '../../machinery/raw-json.ts';
import { keepsInt64Of, parseJsonInt64 } from '../../machinery/json-int64.ts';
import { jsonText } from '../../machinery/json-text.ts';
import { applyJsonPatch } from '../../machinery/jsonpatch.ts';
import { goJson, type Json, type JsonObject } from '../../machinery/json-value.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import { prune } from '../../machinery/prune.ts';
import { badRequest, internalError, StatusError } from '../../machinery/status.ts';
import { requestCancelled } from '../../machinery/cancellation.ts';
import type { StoredObject } from '../../storage/store.ts';
import { addAuditAnnotation, addWarning, admissionForbidden, type AdmissionAttributes, type AdmissionPlugin, type AdmissionResult } from '../types.ts';
import { callWebhook, type ServiceResolver } from './client.ts';
import type { Hook } from './config.ts';
import { evaluateMatchConditions, isExemptAdmissionConfiguration, shouldCallHook, type MatcherDeps } from './matching.ts';
import { buildReview, CallingWebhookError, dryRunUnsupported, rejectionStatus, reviewVersion, verifyResponse, WebhookRejection, type Invocation } from './review.ts';
import type { WebhookConfigurationSource } from './source.ts';
import { observeAdmissionWebhook } from '../../metrics/admission.ts';

export interface WebhookPluginDeps extends MatcherDeps {
  /** The configurations of the plug-in's type (a function: the source may be made after the plug-in). */
  source(): WebhookConfigurationSource;
  serviceResolver?: ServiceResolver;
  log?: { warn(obj: object, msg: string): void };
}

export const mutatingPluginName = 'MutatingAdmissionWebhook';
export const validatingPluginName = 'ValidatingAdmissionWebhook';

/**
 * The request's objects in the version a webhook is called with: converted through the group's storage version
 * (the hub) when a webhook's rule names another version than the request's, as upstream's VersionedAttributes.
 */
class VersionedObjects {
  /** The registration of the objects' version; undefined for objects of another kind (a subresource's Scale). */
  kind: KindRegistration | undefined;
  object?: StoredObject;
  oldObject?: StoredObject;
  /** Set once a patch changed `object`: the request's object must be replaced by it at the end. */
  dirty = false;

  constructor(attrs: AdmissionAttributes) {
    const { group, version, kind } = attrs.objectKind;
    this.kind = attrs.kind.group === group && attrs.kind.version === version && attrs.kind.kind === kind ? attrs.kind : undefined;
    this.object = attrs.object;
    this.oldObject = attrs.oldObject;
  }

  /** Converts to `kind` (no-op for undefined: objects that are not of the resource's kind stay as they are). */
  as(kind: KindRegistration | undefined): this {
    const from = this.kind;
    if (!kind || !from || kind === from || (kind.group === from.group && kind.version === from.version && kind.kind === from.kind)) return this;
    const convert = (o: StoredObject | undefined): StoredObject | undefined => {
      if (!o) return o;
      const out = kind.fromHub(from.toHub(structuredClone(o))) as StoredObject;
      kind.default(out);
      return out;
    };
    this.object = convert(this.object);
    this.oldObject = convert(this.oldObject);
    this.kind = kind;
    return this;
  }
}

function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  if (e instanceof WebhookRejection) return e.status;
  return internalError(e);
}

/** Waits for the first list of configurations; refuses the request if it does not come (as upstream). */
async function ready(deps: WebhookPluginDeps, attrs: AdmissionAttributes): Promise<void> {
  const source = deps.source();
  if (source.hasSynced) return;
  if (await source.waitForSync()) return;
  throw admissionForbidden(attrs, 'not yet ready to handle request');
}

function sideEffectsAllowDryRun(hook: Hook): void {
  const sideEffects = hook.spec.sideEffects;
  if (!sideEffects) throw new CallingWebhookError(hook.name, 'Webhook SideEffects is nil');
  if (sideEffects !== 'None' && sideEffects !== 'NoneOnDryRun') throw dryRunUnsupported(hook.name);
}

/**
 * Lets a request through a webhook that could not be called under failurePolicy Ignore, noting it in the audit
 * event; a call ended because the client went away (context canceled) is only logged, as upstream's dispatchers do.
 */
function failOpen(d: WebhookPluginDeps, attrs: AdmissionAttributes, hook: Hook, error: CallingWebhookError, annotation: string): void {
  if (attrs.cancellation?.err === 'context canceled') {
    d.log?.warn({ webhook: hook.name }, 'Context canceled when calling webhook');
    return;
  }
  d.log?.warn({ webhook: hook.name, err: error.message }, 'Failed calling webhook, failing open');
  annotate(attrs, annotation, hook.name);
}

/** Records an audit annotation; as upstream, a key keeps its first value. */
function annotate(attrs: AdmissionAttributes, key: string, value: string): void {
  if (attrs.auditAnnotations?.[key] === undefined) addAuditAnnotation(attrs, key, value);
}

/**
 * Calls the hook (timed in apiserver_admission_webhook_admission_duration_seconds: rejected when it denied the
 * request or could not be called under failurePolicy Fail).
 */
async function call(hook: Hook, attrs: AdmissionAttributes, invocation: Invocation, objects: VersionedObjects, mutating: boolean, resolver: ServiceResolver | undefined) {
  const started = performance.now();
  let rejected = true;
  try {
    const result = await callUntimed(hook, attrs, invocation, objects, mutating, resolver);
    rejected = false;
    return result;
  } catch (e) {
    if (e instanceof CallingWebhookError && hook.failurePolicy === 'Ignore') rejected = false;
    throw e;
  } finally {
    observeAdmissionWebhook(hook.name, attrs.operation, rejected, mutating ? 'admit' : 'validating', (performance.now() - started) / 1000);
  }
}

/** Calls the hook and returns its checked answer; warnings and audit annotations are recorded on `attrs`. */
async function callUntimed(hook: Hook, attrs: AdmissionAttributes, invocation: Invocation, objects: VersionedObjects, mutating: boolean, resolver: ServiceResolver | undefined) {
  if (attrs.dryRun) sideEffectsAllowDryRun(hook);
  const version = reviewVersion(hook.name, hook.spec.admissionReviewVersions);
  const { uid, body } = buildReview(version, attrs, invocation, objects);
  const review = await callWebhook(hook, body, resolver, attrs.cancellation);
  let result;
  try {
    result = verifyResponse(version, uid, mutating, review);
  } catch (e) {
    throw new CallingWebhookError(hook.name, `received invalid webhook response: ${(e as Error).message}`);
  }
  for (const [k, v] of Object.entries(result.auditAnnotations)) if (typeof v === 'string') annotate(attrs, `${hook.name}/${k}`, v);
  for (const w of result.warnings) addWarning(attrs, w);
  if (!result.allowed) throw new WebhookRejection(rejectionStatus(hook.name, result.result));
  return result;
}

/** The condition check for one invocation: the CEL input in the invocation's version. */
function conditionsFor(hook: Hook, attrs: AdmissionAttributes, objects: VersionedObjects, d: WebhookPluginDeps) {
  return async (invocation: Invocation): Promise<boolean> => {
    objects.as(invocation.registration);
    const { body } = buildReview('v1', attrs, invocation, objects);
    const { object, oldObject, uid: _uid, ...request } = body.request;
    return evaluateMatchConditions(hook, attrs, { object, oldObject, request }, d);
  };
}

/** Applies one webhook's JSON patch to the object; returns whether it changed anything. */
function applyPatch(hook: Hook, attrs: AdmissionAttributes, objects: VersionedObjects, patchBytes: Uint8Array, patchType: string, round: number, index: number): boolean {
  let ops: unknown;
  try {
    // A custom resource's patch is applied to its JSON text upstream: an int64 past 2^53 in it arrives as written.
    const text = Buffer.from(patchBytes).toString('utf8');
    ops = objects.kind && keepsInt64Of(objects.kind) ? parseJsonInt64(text) : JSON.parse(text);
    if (!Array.isArray(ops)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  } catch (e) {
    throw new CallingWebhookError(hook.name, `received undecodable patch in webhook response: ${(e as Error).message}`);
  }
  if (ops.length === 0) return false;
  if (!objects.object) throw internalError(new Error(`admission webhook "${hook.name}" attempted to modify the object, which is not supported for this operation`));
  if (patchType !== 'JSONPatch') throw new CallingWebhookError(hook.name, `unsupported patch type "${patchType}"`);
  const before = objects.object;
  const rawFields = objects.kind?.rawJsonFields ?? [];
  let patched: StoredObject;
  try {
    // RawExtension fields are patched as values (upstream patches the object's JSON text), as evanphx/json-patch does.
    patched = applyJsonPatch(withRawValues(rawFields, structuredClone(before)) as Json, ops as JsonObject[]) as StoredObject;
  } catch (e) {
    throw internalError(new Error((e as Error).message.split('\n')[0]));
  }
  if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw internalError(new Error('the patched object is not a JSON object'));
  // As decoding into the kind's type: the kind stays, undeclared fields go, defaults are applied.
  patched.apiVersion = before.apiVersion;
  patched.kind = before.kind;
  if (rawFields.length) patchedRawForms(rawFields, rawFields.map((f) => before[f] as unknown), patched, true);
  if (objects.kind) {
    prune(patched, objects.kind.schema);
    objects.kind.default(patched);
  }
  const changed = goJson(before) !== goJson(patched);
  objects.object = patched;
  objects.dirty = true;
  annotate(attrs, `patch.webhook.admission.k8s.io/round_${round}_index_${index}`, jsonText({ configuration: hook.configurationName, webhook: hook.name, patch: ops, patchType }));
  return changed;
}

/**
 * Replaces the contents of the request's object in place (its metadata object too), so callers holding the object
 * or its metadata see the webhooks' changes. A webhook may not move the object to another namespace.
 */
function replaceObject(attrs: AdmissionAttributes, next: StoredObject): void {
  const target = attrs.object;
  if (!target) return;
  const namespace = target.metadata?.namespace ?? '';
  if ((next.metadata?.namespace ?? '') !== namespace && attrs.kind.scope === 'Namespaced') {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const meta = target.metadata;
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, next);
  if (meta && next.metadata && typeof next.metadata === 'object') {
    for (const k of Object.keys(meta)) delete meta[k];
    Object.assign(meta, next.metadata);
    target.metadata = meta;
  }
}

/** The dependencies for one request: a namespace's labels are looked up once however many webhooks ask. */
function perRequest(d: WebhookPluginDeps): WebhookPluginDeps {
  const seen = new Map<string, Promise<Record<string, string> | undefined>>();
  return {
    ...d,
    namespaceLabels: (name) => {
      let p = seen.get(name);
      if (!p) seen.set(name, (p = d.namespaceLabels(name)));
      return p;
    },
  };
}

/** The webhooks that may see this request, with per-request deps; undefined when none can (exempt kind, none configured). */
async function activeHooks(deps: WebhookPluginDeps, attrs: AdmissionAttributes) {
  if (isExemptAdmissionConfiguration(attrs.kind)) return undefined;
  await ready(deps, attrs);
  const hooks = deps.source().hooks();
  return hooks.length ? { hooks, d: perRequest(deps) } : undefined;
}

/**
 * Whether no webhook can see this request, known at once: an exempt kind, or a synced source without webhooks
 * (the commonest case: then the plug-in answers without an async frame).
 */
function noHooksNow(deps: WebhookPluginDeps, attrs: AdmissionAttributes): boolean {
  if (isExemptAdmissionConfiguration(attrs.kind)) return true;
  const source = deps.source();
  return source.hasSynced && source.hooks().length === 0;
}

export function mutatingWebhookPlugin(deps: WebhookPluginDeps): AdmissionPlugin {
  const plugin = {
    name: mutatingPluginName,
    admit(attrs: AdmissionAttributes): AdmissionResult {
      return noHooksNow(deps, attrs) ? undefined : plugin.admitWithHooks(attrs);
    },
    async admitWithHooks(attrs: AdmissionAttributes) {
      const active = await activeHooks(deps, attrs);
      if (!active) return;
      const { hooks, d } = active;
      const objects = new VersionedObjects(attrs);
      // Kept between the chain's two runs (upstream's webhookReinvokeContext).
      const ctx = attrs.reinvocation ?? { isReinvoke: false, shouldReinvoke: false, values: new Map() };
      let state = ctx.values.get(mutatingPluginName) as { previouslyInvoked: Set<string>; reinvoke: Set<string>; lastOutput: string } | undefined;
      if (!state) ctx.values.set(mutatingPluginName, (state = { previouslyInvoked: new Set(), reinvoke: new Set(), lastOutput: '' }));
      const requireReinvokingPreviouslyInvoked = () => {
        for (const uid of state!.previouslyInvoked) state!.reinvoke.add(uid);
        state!.previouslyInvoked = new Set();
      };
      // Built-in plug-ins changed the object since the webhooks last saw it: the IfNeeded ones see it again.
      if (ctx.isReinvoke && jsonText(attrs.object ?? null) !== state.lastOutput) requireReinvokingPreviouslyInvoked();

      const round = async (r: number) => {
        for (let i = 0; i < hooks.length; i++) {
          const hook = hooks[i];
          // Selectors see the object as mutated so far (they read only labels, the same in every version).
          const current: AdmissionAttributes = { ...attrs, object: objects.object };
          const invocation = await shouldCallHook(hook, current, d, conditionsFor(hook, attrs, objects, d));
          if (!invocation) continue;
          // A webhook is never called for the first time in the second round.
          if (r === 1 && !state!.reinvoke.has(hook.uid)) continue;
          let changed = false;
          let error: unknown;
          try {
            objects.as(invocation.registration);
            const result = await call(hook, attrs, invocation, objects, true, d.serviceResolver);
            if (result.patch) changed = applyPatch(hook, attrs, objects, result.patch, result.patchType ?? '', r, i);
          } catch (e) {
            error = e;
          }
          annotate(attrs, `mutation.webhook.admission.k8s.io/round_${r}_index_${i}`, JSON.stringify({ configuration: hook.configurationName, webhook: hook.name, mutated: changed }));
          if (changed) {
            requireReinvokingPreviouslyInvoked();
            ctx.shouldReinvoke = true;
          }
          if (hook.reinvokeIfNeeded) state!.previouslyInvoked.add(hook.uid);
          if (error === undefined) continue;
          if (error instanceof CallingWebhookError) {
            if (hook.failurePolicy === 'Ignore') {
              failOpen(d, attrs, hook, error, `failed-open.mutation.webhook.admission.k8s.io/round_${r}_index_${i}`);
              // Only this webhook's own timeout is ignored: a request past its deadline (or whose client went
              // away) goes no further, as upstream's mutating dispatcher.
              if (attrs.cancellation?.err) throw requestCancelled();
              continue;
            }
            d.log?.warn({ webhook: hook.name, err: error.message }, 'Failed calling webhook, failing closed');
            throw internalError(error);
          }
          throw toStatusError(error);
        }
      };

      // The second round is the chain's second run, after the built-in plug-ins ran again (upstream's reinvoker).
      await round(ctx.isReinvoke ? 1 : 0);
      if (objects.dirty && objects.object) {
        objects.as(attrs.kind);
        replaceObject(attrs, objects.object!);
      }
      state.lastOutput = jsonText(attrs.object ?? null);
    },
  };
  return plugin;
}

export function validatingWebhookPlugin(deps: WebhookPluginDeps): AdmissionPlugin {
  const plugin = {
    name: validatingPluginName,
    validate(attrs: AdmissionAttributes): AdmissionResult {
      return noHooksNow(deps, attrs) ? undefined : plugin.validateWithHooks(attrs);
    },
    async validateWithHooks(attrs: AdmissionAttributes) {
      const active = await activeHooks(deps, attrs);
      if (!active) return;
      const { hooks, d } = active;
      // One converted copy per version the webhooks ask for; validating webhooks never change objects.
      const byVersion = new Map<KindRegistration | undefined, VersionedObjects>();
      const objectsFor = (kind: KindRegistration | undefined) => {
        let v = byVersion.get(kind);
        if (!v) byVersion.set(kind, (v = new VersionedObjects(attrs).as(kind)));
        return v;
      };
      const relevant: Array<{ hook: Hook; invocation: Invocation; index: number }> = [];
      for (let i = 0; i < hooks.length; i++) {
        const hook = hooks[i];
        const invocation = await shouldCallHook(hook, attrs, d, async (inv) => {
          const objects = objectsFor(inv.registration);
          const { body } = buildReview('v1', attrs, inv, objects);
          const { object, oldObject, uid: _uid, ...request } = body.request;
          return evaluateMatchConditions(hook, attrs, { object, oldObject, request }, d);
        });
        if (invocation) relevant.push({ hook, invocation, index: i });
      }
      if (!relevant.length) return;
      // No webhook is called for a request already timed out (or whose client went away), as upstream.
      if (attrs.cancellation?.err) throw requestCancelled();
      // The first error to arrive wins, as upstream's channel of errors.
      let first: StatusError | undefined;
      await Promise.all(
        relevant.map(async ({ hook, invocation, index }) => {
          try {
            await call(hook, attrs, invocation, objectsFor(invocation.registration), false, d.serviceResolver);
          } catch (e) {
            let err: StatusError;
            if (e instanceof CallingWebhookError) {
              if (hook.failurePolicy === 'Ignore') {
                failOpen(d, attrs, hook, e, `failed-open.validating.webhook.admission.k8s.io/round_0_index_${index}`);
                return;
              }
              d.log?.warn({ webhook: hook.name, err: e.message }, 'Failed calling webhook, failing closed');
              err = internalError(e);
            } else {
              err = toStatusError(e);
            }
            first ??= err;
          }
        }),
      );
      if (first) throw first;
    },
  };
  return plugin;
}
