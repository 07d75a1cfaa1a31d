/**
 * Static tokens (`--token-auth-file`): a CSV file read once at start-up, one `token,user,uid[,"group1,group2"]`
 * per line, as upstream's tokenfile authenticator. A token that is not in the file is not this authenticator's.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { UserInfo } from '../user.ts';
import { bearerToken, type Authenticator } from './types.ts';

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and newlines; leading spaces of a field are skipped. */
export function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
    atFieldStart = true;
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (atFieldStart && (ch === ' ' || ch === '\t')) {
      i++;
      continue;
    }
    if (atFieldStart && ch === '"') {
      quoted = true;
      atFieldStart = false;
      i++;
      continue;
    }
    atFieldStart = false;
    if (ch === ',') endField();
    else if (ch === '\n') endRecord();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += ch;
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) endRecord();
  return records;
}

export function loadTokenFile(path: string, log?: Logger): Map<string, UserInfo> {
  let records: string[][];
  try {
    records = parseCSV(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--token-auth-file ${path}: ${(e as Error).message}`);
  }
  const tokens = new Map<string, UserInfo>();
  records.forEach((record, i) => {
    if (record.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    const [token, name, uid] = record as [string, string, string];
    if (!token) {
      log?.warn({ path, record: i + 1 }, 'empty token in token file, ignored');
      return;
    }
    if (tokens.has(token)) log?.warn({ path, record: i + 1 }, 'duplicate token in token file, the later record wins');
    const user: UserInfo = { name, uid, groups: [] };
    if (record.length >= 4) user.groups = record[3]!.split(',').map((g) => g.trim());
    tokens.set(token, user);
  });
  return tokens;
}

export function tokenFileAuthenticator(tokens: Map<string, UserInfo>): Authenticator {
  return {
    name: 'token-file',
    authenticate(req) {
      const token = bearerToken(req);
      const user = token === undefined ? undefined : tokens.get(token);
      return user ? { user: { ...user, groups: [...user.groups] } } : undefined;
    },
  };
}
