/**
 * matchConditions on the server's CEL engine (runtime/cel): each condition compiled once per webhook with upstream's
 * variables (`object`, `oldObject`, `request`, `authorizer`), evaluated per request with the per-call cost limit.
 * Errors read as upstream's: `expression '<expr>' resulted in error: <why>`.
 */
import { AuthorizationSession, AuthorizerValue, compile, evaluateAsync, type CelAuthorize } from '../../cel/index.ts';
import type { MatchCondition } from './config.ts';
import type { MatchConditionCompiler, MatchConditionInput, MatchConditionResult } from './matching.ts';

const variables = { object: 'dyn', oldObject: 'dyn', request: 'dyn', authorizer: 'kubernetes.authorization.Authorizer' } as const;

/** `authorize`: the server's authorizers, for `authorizer` checks (absent: every check is denied with an error). */
export function celMatchConditions(authorize?: CelAuthorize): MatchConditionCompiler {
  const noAuthorizer: CelAuthorize = async () => {
    throw new Error('no authorizer is configured for match conditions');
  };
  return {
    compile(conditions: readonly MatchCondition[]) {
      const programs = conditions.map((c) => ({ condition: c, compiled: compile(c.expression, { variables: { ...variables }, resultKinds: ['bool'] }) }));
      return {
        async evaluate(input: MatchConditionInput): Promise<MatchConditionResult[]> {
          const session = new AuthorizationSession(authorize ?? noAuthorizer);
          const authorizer = new AuthorizerValue(session, input.user, input.requestResource);
          const activation = { object: input.object, oldObject: input.oldObject, request: input.request, authorizer };
          const out: MatchConditionResult[] = [];
          for (const { condition, compiled } of programs) {
            const base = { name: condition.name, expression: condition.expression };
            if (compiled.error !== undefined) {
              out.push({ ...base, error: `expression '${condition.expression}' resulted in error: ${compiled.error}` });
              continue;
            }
            const r = await evaluateAsync(compiled.program, activation, { session });
            if (r.error !== undefined) out.push({ ...base, error: `expression '${condition.expression}' resulted in error: ${r.error}` });
            else out.push({ ...base, value: r.value });
            // Any false decides: the rest need not run.
            if (r.value === false) break;
          }
          return out;
        },
      };
    },
  };
}
