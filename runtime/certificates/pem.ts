/**
 * PEM blocks read as Go's encoding/pem `Decode` reads them (Go 1.23, what kube-apiserver v1.32 is built with), for
 * the checks whose answers depend on which blocks Go sees: a CSR's `spec.request`, a CSR's `status.certificate`, a
 * webhook's or CRD's `caBundle`.
 *
 * What a looser reader gets wrong: Go takes any type text on the BEGIN line, reads every leading `Key: Value` line as
 * a header (no blank line needed), accepts an END line right after the BEGIN line (an empty block), and skips a block
 * whose body is not standard padded base64 (spaces and tabs dropped, line breaks ignored) as if it were not there,
 * scanning on from just after its BEGIN line.
 *
 * Texts are byte strings (latin1), as the JSON `[]byte` fields decode to.
 */

export interface PemBlock {
  /** The text between `-----BEGIN ` and `-----` (any text, e.g. `CERTIFICATE1`). */
  type: string;
  /** Header lines (`Proc-Type: 4,ENCRYPTED`), keys and values trimmed; empty for most blocks. */
  headers: Map<string, string>;
  /** The decoded body. */
  bytes: Buffer;
}

const pemStart = '\n-----BEGIN ';
const pemEnd = '\n-----END ';
const pemEndOfLine = '-----';

/** Go's getLine: the first line without its `\r\n` or `\n` and trailing spaces and tabs, and what follows it. */
function getLine(data: string): [string, string] {
  let i = data.indexOf('\n');
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === '\r') i--;
  }
  return [data.slice(0, i).replace(/[ \t]+$/, ''), data.slice(j)];
}

/** Go's base64.StdEncoding: padded, standard alphabet; `\r` and `\n` are skipped, anything else foreign fails. */
const stdBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeStdBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  return stdBase64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

/** Go's pem.Decode: the first block of `data` and the text after it, or undefined when there is none. */
export function decodePem(data: string): { block: PemBlock; rest: string } | undefined {
  let rest = data;
  for (;;) {
    if (rest.startsWith(pemStart.slice(1))) rest = rest.slice(pemStart.length - 1);
    else {
      const at = rest.indexOf(pemStart);
      if (at < 0) return undefined;
      rest = rest.slice(at + pemStart.length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith(pemEndOfLine)) continue;
    const type = typeLine.slice(0, -pemEndOfLine.length);
    const headers = new Map<string, string>();
    for (;;) {
      if (rest.length === 0) return undefined;
      const [line, next] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      rest = next;
    }
    // With no headers the END line may follow the BEGIN line at once (an empty block).
    let endIndex: number;
    let endTrailerIndex: number;
    if (headers.size === 0 && rest.startsWith(pemEnd.slice(1))) {
      endIndex = 0;
      endTrailerIndex = pemEnd.length - 1;
    } else {
      endIndex = rest.indexOf(pemEnd);
      endTrailerIndex = endIndex + pemEnd.length;
    }
    if (endIndex < 0) continue;
    const trailerLength = type.length + pemEndOfLine.length;
    const endTrailer = rest.slice(endTrailerIndex, endTrailerIndex + trailerLength);
    if (endTrailer.length < trailerLength || !endTrailer.startsWith(type) || !endTrailer.endsWith(pemEndOfLine)) continue;
    if (getLine(rest.slice(endTrailerIndex + trailerLength))[0].length !== 0) continue;
    const bytes = decodeStdBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ''));
    if (!bytes) continue;
    return { block: { type, headers, bytes }, rest: getLine(rest.slice(endIndex + pemEnd.length - 1))[1] };
  }
}

/** Every block of `data`, in order, as repeated pem.Decode calls find them. */
export function decodePemBlocks(data: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (let next = decodePem(data); next; next = decodePem(next.rest)) blocks.push(next.block);
  return blocks;
}

/** The blocks client-go's cert.ParseCertsPEM (and x509.CertPool.AppendCertsFromPEM) take: CERTIFICATE, no headers. */
export const isCertificateBlock = (b: PemBlock): boolean => b.type === 'CERTIFICATE' && b.headers.size === 0;

/** The CERTIFICATE blocks of `data` that cert.ParseCertsPEM reads, in order; other blocks and junk are skipped. */
export function certificateBlocks(data: string): PemBlock[] {
  return decodePemBlocks(data).filter(isCertificateBlock);
}

/**
 * Go's pem.EncodeToMemory: BEGIN line, headers (Proc-Type first, the rest sorted) and a blank line after them, the
 * body in base64 lines of 64, END line; LF line ends. What Node's PEM readers take back.
 */
export function encodePem(block: PemBlock): string {
  let out = `-----BEGIN ${block.type}-----\n`;
  if (block.headers.size) {
    const keys = [...block.headers.keys()].filter((k) => k !== 'Proc-Type').sort();
    if (block.headers.has('Proc-Type')) keys.unshift('Proc-Type');
    for (const k of keys) out += `${k}: ${block.headers.get(k)}\n`;
    out += '\n';
  }
  const body = block.bytes.toString('base64');
  for (let i = 0; i < body.length; i += 64) out += `${body.slice(i, i + 64)}\n`;
  return `${out}-----END ${block.type}-----\n`;
}
