/**
 * Kubernetes version strings as k8s.io/apimachinery's util/version reads them (version.go of v0.32): `Parse` tries
 * a semantic version (three numbers, an optional `-pre.release` and `+build`), then a generic one (two or more
 * numbers, anything after them ignored); either may start with `v` and spaces. The errors are upstream's, from the
 * generic attempt when both fail.
 */
import { goQuote } from './gofmt.ts';

export interface Version {
  /** The dot-separated numbers: major, minor, and patch when given. */
  components: number[];
  preRelease: string;
  buildMetadata: string;
}

const versionMatch = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s;
const extraMatch = /^(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\s*$/;
/** Go's strconv.ParseUint(s, 10, 0) on a 64-bit machine. */
const maxUint = 2n ** 64n - 1n;

function parseWith(text: string, semver: boolean): Version {
  const parts = versionMatch.exec(text);
  if (!parts) throw new Error(`could not parse ${goQuote(text)} as version`);
  const [, numbers, extra] = parts;
  const components = numbers.split('.');
  if ((semver && components.length !== 3) || (!semver && components.length < 2)) throw new Error(`illegal version string ${goQuote(text)}`);
  const out: Version = { components: [], preRelease: '', buildMetadata: '' };
  components.forEach((c, i) => {
    if ((i === 0 || semver) && c.startsWith('0') && c !== '0') throw new Error(`illegal zero-prefixed version component ${goQuote(c)} in ${goQuote(text)}`);
    if (BigInt(c) > maxUint) throw new Error(`illegal non-numeric version component ${goQuote(c)} in ${goQuote(text)}: strconv.ParseUint: parsing ${goQuote(c)}: value out of range`);
    out.components.push(Number(c));
  });
  if (semver && extra !== '') {
    const m = extraMatch.exec(extra);
    if (!m) throw new Error(`could not parse pre-release/metadata (${extra}) in version ${goQuote(text)}`);
    out.preRelease = m[1] ?? '';
    out.buildMetadata = m[2] ?? '';
    for (const c of out.preRelease.split('.')) {
      if (/^[0-9]+$/.test(c) && c.startsWith('0') && c !== '0') throw new Error(`illegal zero-prefixed version component ${goQuote(c)} in ${goQuote(text)}`);
    }
  }
  return out;
}

/** util/version.Parse: a semantic version if the text is one, else a generic one; throws upstream's error. */
export function parseVersion(text: string): Version {
  try {
    return parseWith(text, true);
  } catch {
    return parseWith(text, false);
  }
}

/** Version.String(): the numbers joined by dots, then `-preRelease` and `+buildMetadata` when present. */
export function versionString(v: Version): string {
  return v.components.join('.') + (v.preRelease ? `-${v.preRelease}` : '') + (v.buildMetadata ? `+${v.buildMetadata}` : '');
}
