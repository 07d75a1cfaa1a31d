/**
 * The fidelity corpus: YAML files under `test/fidelity/cases/`, each a list of cases, each case a list of steps
 * sent to a real server, each step's answer compared with what kube-apiserver v1.32 answers (see README.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { ExpectedStatus } from './compare.ts';

export type Manifest = { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export interface Expect {
  code: number;
  object?: unknown;
  status?: Omit<ExpectedStatus, 'code'>;
  /** Paths (`spec.clusterIP`, `metadata.managedFields`) left out of the comparison of `object`. */
  ignore?: string[];
  /** The texts of the answer's `Warning: 299 - "..."` headers, exactly and in order (absent: not compared). */
  warnings?: string[];
  /**
   * Texts the answer's body holds as they are, byte for byte: what a parsed comparison cannot see (member order,
   * number forms such as `1.0`, integers past 2^53, spacing), as upstream writes raw JSON fields.
   */
  bodyIncludes?: string[];
}

export interface Step {
  create?: Manifest;
  update?: Manifest;
  get?: Manifest;
  delete?: Manifest;
  patch?: { target: Manifest; type: 'merge' | 'strategic' | 'json' | 'apply'; body: unknown };
  /** A request written out: path relative to the server, body sent as JSON unless `bodyText` is given. */
  request?: { method: string; path: string; body?: unknown; bodyText?: string; contentType?: string; accept?: string; headers?: Record<string, string> };
  /**
   * Waits until the named CRD is Established and its resources answer (a GET on the collection is not 404), so the
   * next steps can use its kinds; it compares nothing and has no `expect`.
   */
  waitEstablished?: string;
  /** Query string added to the request (`fieldManager=x&dryRun=All`). */
  query?: string;
  /**
   * The answer comes from a controller the server runs (the namespace controller's conditions): the request is sent
   * again until it matches, at most 500 times 20 ms apart (bounded by attempts, so no time is asserted).
   */
  poll?: boolean;
  /** Sends the step as this user (impersonated by the admin client, as `kubectl --as --as-group`). */
  as?: { user: string; groups?: string[] };
  expect?: Expect;
}

export interface Case {
  name: string;
  /** Where the expected answers come from (upstream source file, docs, or recorded output). */
  source?: string;
  steps: Step[];
}

export interface CaseFile {
  file: string;
  source: string;
  cases: Case[];
}

const root = new URL('./cases/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every case file, checked for shape so a typo in the corpus fails loudly rather than testing nothing. */
export function loadCaseFiles(): CaseFile[] {
  return walk(root).map((path) => {
    const file = relative(root, path);
    const doc = parse(readFileSync(path, 'utf8')) as Partial<CaseFile>;
    if (!doc || typeof doc.source !== 'string' || !Array.isArray(doc.cases) || doc.cases.length === 0) {
      throw new Error(`${file}: needs a top-level "source" (where the expectations come from) and a non-empty "cases" list`);
    }
    for (const c of doc.cases) {
      if (!c.name || !Array.isArray(c.steps) || c.steps.length === 0) throw new Error(`${file}: every case needs a name and steps`);
      for (const s of c.steps) {
        const actions = ['create', 'update', 'get', 'delete', 'patch', 'request', 'waitEstablished'].filter((k) => k in s);
        if (actions.length !== 1) throw new Error(`${file}: "${c.name}": each step has exactly one of create/update/get/delete/patch/request/waitEstablished, got ${actions.join(',') || 'none'}`);
        if ('waitEstablished' in s) {
          if (typeof s.waitEstablished !== 'string' || 'expect' in s) throw new Error(`${file}: "${c.name}": waitEstablished names a CRD and has no expect`);
        } else if (!s.expect || typeof s.expect.code !== 'number') throw new Error(`${file}: "${c.name}": each step needs expect.code`);
      }
    }
    return { file, source: doc.source, cases: doc.cases };
  });
}

/** Replaces `${ns}` in every string of `value` (manifests and expectations name the case's namespace so). */
export function substitute<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string') return value.replace(/\$\{(\w+)\}/g, (m, k: string) => vars[k] ?? m) as T;
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)])) as T;
  return value;
}
