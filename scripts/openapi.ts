/**
 * `npm run openapi [-- <dir>]`: writes the served OpenAPI documents to files for publishing, exactly as the
 * server serves them: `<dir>/v2/swagger.json` and one `<dir>/v3/<path>.json` per entry of the /openapi/v3 index
 * (`api/v1`, `apis/apps/v1`, ...). Default dir: `./openapi-spec`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addToScheme } from '../generated/index.ts';
import { openapiV2Document, openapiV3Document, openapiV3Index } from '../runtime/endpoints/openapi.ts';
import { Scheme } from '../runtime/machinery/scheme.ts';

const outDir = process.argv[2] ?? 'openapi-spec';
const scheme = new Scheme();
addToScheme(scheme);

function write(path: string, doc: unknown): void {
  const full = join(outDir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, JSON.stringify(doc, null, 2) + '\n');
}

write('v2/swagger.json', openapiV2Document(scheme));
const index = openapiV3Index(scheme) as { paths: Record<string, unknown> };
let count = 1;
for (const path of Object.keys(index.paths).sort()) {
  const doc = openapiV3Document(scheme, path);
  if (!doc) continue;
  write(`v3/${path}.json`, doc);
  count++;
}
console.log(`wrote ${count} OpenAPI documents to ${outDir}/`);
