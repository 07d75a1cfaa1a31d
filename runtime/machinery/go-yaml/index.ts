/**
 * `Accept: application/yaml` answers as kube-apiserver writes them: its YAML serializer writes the object's JSON,
 * then sigs.k8s.io/yaml's JSONToYAML reads that JSON into untyped Go values with go-yaml v2 and marshals them with
 * go-yaml v2. This reads the JSON text kube-ts would answer with the same way (a number's Go type from its text,
 * map keys sorted as go-yaml sorts them), and writes it with go-yaml's emitter (emitter.ts).
 */
import { emitYamlDocument, type YamlNode } from './emitter.ts';
import { goYamlKeyCompare, goYamlNumber } from './scalars.ts';

export function jsonToYaml(json: string): string {
  const reader = new JsonReader(json);
  const root = reader.value();
  return emitYamlDocument(root);
}

/** Reads JSON text (valid: kube-ts wrote it) into go-yaml's view of it, keeping each number's text. */
class JsonReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  value(): YamlNode {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', text: this.string() };
    const m = /-?[0-9.eE+-]+|true|false|null/y;
    m.lastIndex = this.pos;
    const word = m.exec(this.text)![0];
    this.pos += word.length;
    if (word === 'true' || word === 'false' || word === 'null') return { kind: 'plain', text: word };
    const n = goYamlNumber(word);
    return n === undefined ? { kind: 'string', text: word } : { kind: 'plain', text: n };
  }

  private object(): YamlNode {
    this.pos++;
    const entries: [string, YamlNode][] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'map', entries };
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.pos++; // ':'
      entries.push([key, this.value()]);
      this.skipSpace();
      if (this.text[this.pos++] === '}') break;
    }
    // go-yaml decodes into a Go map: a repeated key keeps its last value.
    const byKey = new Map(entries);
    return { kind: 'map', entries: [...byKey].sort((a, b) => goYamlKeyCompare(a[0], b[0])) };
  }

  private array(): YamlNode {
    this.pos++;
    const items: YamlNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'seq', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.pos++] === ']') break;
    }
    return { kind: 'seq', items };
  }

  private string(): string {
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (c === 0x22) break;
      i += c === 0x5c ? 2 : 1;
    }
    this.pos = i + 1;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }
}
