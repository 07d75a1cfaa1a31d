/**
 * Upstream's escaping of property names into CEL identifiers (apiserver v0.32.0 pkg/cel/escaping.go, Escape): a
 * reserved word `w` becomes `__w__`; `__`, `.`, `-` and `/` become `__underscores__`, `__dot__`, `__dash__` and
 * `__slash__`. A name that cannot be escaped (empty, starting with a digit, or with another character) is kept.
 */
const reservedWords = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const replacements: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

export function celEscapedName(name: string): string {
  if (reservedWords.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_./-][a-zA-Z0-9_./-]*$/.test(name)) return name;
  return name.replace(/__|[-./]/g, (m) => replacements[m]!);
}
