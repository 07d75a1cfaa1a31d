/**
 * Go's time.LoadLocation on a Debian machine with tzdata, as far as its answer (a zone, or which error) goes: zone
 * names are the files of the zoneinfo directory, matched case-sensitively, never ICU's idea of them.
 */
import { zoneDirectories, zoneNames, zoneOtherFiles } from './zoneinfo-names.ts';

const zones = new Set(zoneNames);
const directories = new Set(zoneDirectories);
const otherFiles = new Set(zoneOtherFiles);

/** The error text time.LoadLocation(name) gives, or undefined when it loads a location. */
export function loadLocationError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  // Go refuses these before touching the disk.
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return 'time: invalid location name';
  // Go opens the name as a path under the zoneinfo directory, so the kernel skips empty and "." segments; a file
  // met before the last segment, or a trailing slash, fails with ENOTDIR.
  const segments = name.split('/');
  let path = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '' || segment === '.') continue;
    path = path ? `${path}/${segment}` : segment;
    const isFile = zones.has(path) || otherFiles.has(path);
    if (isFile && i < segments.length - 1) return 'not a directory';
    if (!isFile && !directories.has(path)) return `unknown time zone ${name}`;
  }
  if (zones.has(path)) return undefined;
  if (otherFiles.has(path)) return 'malformed time zone information';
  return 'is a directory';
}
