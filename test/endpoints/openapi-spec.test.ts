/**
 * Every OpenAPI document the server publishes (`npm run openapi`, /openapi/v2, /openapi/v3/...) is valid against
 * the OpenAPI specification itself, checked by an independent validator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { addToScheme } from '../../generated/index.ts';
import { openapiV2Document, openapiV3Document, openapiV3Index } from '../../runtime/endpoints/openapi.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';

const scheme = new Scheme();
addToScheme(scheme);

async function assertValid(doc: unknown, what: string): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(doc as never);
  if (!result.valid) assert.fail(`${what} is not valid OpenAPI: ${String(JSON.stringify(result.errors)).slice(0, 2000)}`);
}

describe('published OpenAPI documents', () => {
  it('v2 (swagger 2.0) is valid', async () => {
    await assertValid(openapiV2Document(scheme), '/openapi/v2');
  });

  const index = openapiV3Index(scheme) as { paths: Record<string, unknown> };
  for (const path of Object.keys(index.paths).sort()) {
    it(`v3 ${path} is valid`, async () => {
      await assertValid(openapiV3Document(scheme, path), `/openapi/v3/${path}`);
    });
  }
});
