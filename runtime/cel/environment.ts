/**
 * Upstream's two CEL environments (k8s.io/apiserver/pkg/cel/environment, base.go): every library is registered
 * with the Kubernetes version it came in. An expression a user writes now (a new CRD rule, a policy being created)
 * compiles with the libraries of the server's compatibility version, one minor behind the binary, so a cluster
 * rolled back one version still runs it; an expression already stored (a rule unchanged by an update, anything
 * evaluated at run time) compiles with every library the binary has. A library is thus usable in new expressions
 * one release after it ships.
 */
import type { CelFunc } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { authz } from './library/authorizer.ts';
import { comprehensionsV2 } from './library/comprehensions.ts';
import { format } from './library/format.ts';
import { cidrLibrary, ipLibrary } from './library/ip.ts';
import { lists } from './library/lists.ts';
import { optional } from './library/optional.ts';
import { quantity } from './library/quantity.ts';
import { regex } from './library/regex.ts';
import { sets } from './library/sets.ts';
import { standardAdditions } from './library/standard.ts';
import { urls } from './library/urls.ts';

/** NewExpressions: written now; StoredExpressions: already persisted (upstream's environment.Type). */
export type EnvironmentType = 'NewExpressions' | 'StoredExpressions';

/** The Kubernetes version whose libraries the server runs (kube-apiserver v1.32). */
export const newestVersion = 32;
/**
 * DefaultCompatibilityVersion: the effective version's minimum compatibility version, whose libraries new
 * expressions get. Unless the server says otherwise at start-up (useCompatibilityVersion, from
 * runtime/server/version-options.ts), the binary's minor less one.
 */
let compatibilityVersion = newestVersion - 1;

/** Language features a library adds to the parser (cel-go macros), beside its functions. */
export interface Syntax {
  /** cel-go's TwoVarComprehensions macros: `all(k, v, p)`, `exists`, `existsOne`, `transformList/Map/MapEntry`. */
  twoVarComprehensions: boolean;
}

interface VersionedLibrary {
  /** upstream's name for it, for readers comparing with base.go. */
  name: string;
  /** Minor version of Kubernetes 1.x it was introduced in. */
  introduced: number;
  funcs: readonly CelFunc[];
  syntax?: Partial<Syntax>;
}

/**
 * base.go of v1.32, in its order. Options without functions (HomogeneousAggregateLiterals, CrossTypeNumericComparisons,
 * the literal validators) are always on here. Strings is cel-go's ext.Strings version 2 (since 1.29).
 */
const libraries: readonly VersionedLibrary[] = [
  { name: 'stdlib (what @bufbuild/cel lacks)', introduced: 0, funcs: standardAdditions },
  { name: 'URLs', introduced: 0, funcs: urls },
  { name: 'Regex', introduced: 0, funcs: regex },
  { name: 'Lists', introduced: 0, funcs: lists },
  { name: 'Authz', introduced: 27, funcs: authz },
  { name: 'OptionalTypes', introduced: 28, funcs: optional },
  { name: 'Quantity', introduced: 28, funcs: quantity },
  { name: 'ext.Strings', introduced: 0, funcs: strings },
  { name: 'ext.Sets', introduced: 29, funcs: sets },
  { name: 'IP', introduced: 30, funcs: ipLibrary },
  { name: 'CIDR', introduced: 30, funcs: cidrLibrary },
  { name: 'Format', introduced: 31, funcs: format },
  { name: 'ext.TwoVarComprehensions', introduced: 32, funcs: comprehensionsV2, syntax: { twoVarComprehensions: true } },
];

/** Every library function the server can run (planning needs them all; the checker decides what a text may call). */
export const allLibraryFuncs: readonly CelFunc[] = libraries.flatMap((l) => l.funcs);

export interface Environment {
  type: EnvironmentType;
  /** The minor version of Kubernetes 1.x whose libraries it has. */
  version: number;
  /** The library functions expressions of this environment may call. */
  funcs: readonly CelFunc[];
  syntax: Syntax;
}

function environmentAt(type: EnvironmentType, version: number): Environment {
  const present = libraries.filter((l) => l.introduced <= version);
  const syntax: Syntax = { twoVarComprehensions: false };
  for (const l of present) Object.assign(syntax, l.syntax);
  return { type, version, funcs: present.flatMap((l) => l.funcs), syntax };
}

const environments: Record<EnvironmentType, Environment> = {
  NewExpressions: environmentAt('NewExpressions', compatibilityVersion),
  StoredExpressions: environmentAt('StoredExpressions', newestVersion),
};

/**
 * Sets the compatibility version (a minor of Kubernetes 1.x) the NewExpressions environment follows, as upstream's
 * environment follows the component's effective version. StoredExpressions keeps every library of the binary.
 */
export function useCompatibilityVersion(minor: number): void {
  if (minor === compatibilityVersion) return;
  compatibilityVersion = Math.min(minor, newestVersion);
  environments.NewExpressions = environmentAt('NewExpressions', compatibilityVersion);
}

export function environment(type: EnvironmentType): Environment {
  return environments[type];
}

/**
 * The environment of one expression of an object being written: StoredExpressions when the old object already
 * had the same text (upstream compares expression strings, wherever they stood), else NewExpressions.
 */
export function environmentFor(expression: string, preexisting: ReadonlySet<string> | undefined): EnvironmentType {
  return preexisting?.has(expression) ? 'StoredExpressions' : 'NewExpressions';
}
