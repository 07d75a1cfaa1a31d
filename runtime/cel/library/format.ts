/**
 * The Kubernetes `format` library (upstream's library/format.go, in the base environment since 1.31): named string
 * formats, `format.dns1123Label()` and the like or `format.named(name)` (an optional, none for an unknown name), and
 * `<format>.validate(s)`: optional.none() when s is valid, else the optional list of what is wrong with it.
 */
import { celList, type CelFunc, type CelValue } from '@bufbuild/cel';
import { formatCheck } from '../../apiextensions/schema/formats.ts';
import { isQualifiedName, isValidLabelValue } from '../../machinery/string-checks.ts';
import { nameFormatProblems } from '../../registry/objectmeta.ts';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';
import { none, optionalOf } from './optional.ts';
import { GoURLError, parseGoRequestURI } from '../../machinery/go-url.ts';

const F = 'kubernetes.NamedFormat';

export class NamedFormat extends OpaqueValue {
  readonly typeName = F;
  constructor(
    readonly name: string,
    readonly problems: (s: string) => string[],
    /** The length of the pattern upstream checks with: `validate` is charged as a regex match of that length. */
    readonly maxRegexSize: number,
  ) {
    super();
  }
  protected identity(): string {
    return this.name;
  }
}

/** A CRD schema format's check, with upstream's one message. */
const schemaFormat = (format: string, message: string) => (s: string) => (formatCheck(format)!(s) ? [] : [message]);

/** Go's url.ParseRequestURI error, the one message of format.uri (`parse "x": invalid URI for request`). */
function uriProblems(s: string): string[] {
  try {
    parseGoRequestURI(s);
    return [];
  } catch (e) {
    if (e instanceof GoURLError) return [e.message];
    throw e;
  }
}

const formats: Record<string, NamedFormat> = {
  dns1123Label: new NamedFormat('DNS1123Label', (s) => nameFormatProblems(s, 'dns1123-label'), 30),
  dns1123Subdomain: new NamedFormat('DNS1123Subdomain', (s) => nameFormatProblems(s, 'dns1123-subdomain'), 60),
  dns1035Label: new NamedFormat('DNS1035Label', (s) => nameFormatProblems(s, 'dns1035-label'), 30),
  qualifiedName: new NamedFormat('QualifiedName', isQualifiedName, 60),
  dns1123LabelPrefix: new NamedFormat('DNS1123LabelPrefix', (s) => nameFormatProblems(s, 'dns1123-label', true), 30),
  dns1123SubdomainPrefix: new NamedFormat('DNS1123SubdomainPrefix', (s) => nameFormatProblems(s, 'dns1123-subdomain', true), 60),
  dns1035LabelPrefix: new NamedFormat('DNS1035LabelPrefix', (s) => nameFormatProblems(s, 'dns1035-label', true), 30),
  labelValue: new NamedFormat('LabelValue', isValidLabelValue, 40),
  // Charged as govalidator's URL pattern (1103 characters at the version apiserver v0.32.0 pins), as upstream does
  // though ParseRequestURI checks it.
  uri: new NamedFormat('URI', uriProblems, 1103),
  // kube-openapi strfmt's UUIDPattern, 70 characters.
  uuid: new NamedFormat('uuid', schemaFormat('uuid', 'does not match the UUID format'), 70),
  byte: new NamedFormat('byte', schemaFormat('byte', 'invalid base64'), 84),
  date: new NamedFormat('date', schemaFormat('date', 'invalid date'), 71),
  datetime: new NamedFormat('datetime', schemaFormat('datetime', 'invalid datetime'), 71),
};

export const format: CelFunc[] = [
  ...Object.entries(formats).map(([name, f]) => global(`format.${name}`, [], F, () => f)),
  global('format.named', ['string'], 'optional_type', (name: string) => (Object.hasOwn(formats, name) ? optionalOf(formats[name] as unknown as CelValue) : none)),
  method('validate', F, ['string'], 'optional_type', (f: NamedFormat, s: string) => {
    const problems = f.problems(s);
    return problems.length ? optionalOf(celList(problems)) : none;
  }),
];
