/**
 * Overloads of CEL's standard library that cel-go declares and @bufbuild/cel does not: the global form of
 * `matches` (cel-go's `matches(string, string) -> bool`, overload id "matches", beside the method form
 * "matches_string"). Patterns are RE2, run by @bufbuild/re2 as the method form runs them.
 */
import type { CelFunc } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import { global } from './func.ts';

export const standardAdditions: readonly CelFunc[] = [global('matches', ['string', 'string'], 'bool', (s: string, re: string) => RE2JS.compile(re).test(s))];
