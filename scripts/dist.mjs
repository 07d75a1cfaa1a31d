/** Where the build puts the server (build.mjs writes it, start.mjs runs it). */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const entry = join(root, 'dist/kube-ts.cjs');
/** V8's code cache of the bundle, written by the first start after a build, read by the next ones. */
export const codeCache = `${entry}.v8-cache`;
