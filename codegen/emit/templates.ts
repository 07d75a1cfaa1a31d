/** Loads the Handlebars templates of codegen/templates: strict (a missing value is an error) and unescaped (code, not HTML). */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../templates/', import.meta.url));

export function loadTemplate(name: string): Handlebars.TemplateDelegate {
  return Handlebars.compile(readFileSync(dir + name, 'utf8'), { noEscape: true, strict: true });
}
