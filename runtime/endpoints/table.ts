/**
 * Server-side printing: turns objects into a `meta.k8s.io/v1` Table, which is what `kubectl get` asks for. Columns
 * are Name, the kind's printer columns, then Age, as kube-apiserver prints them; kubectl only lays the cells out.
 * Built-in kinds follow upstream's Go printers (absent fields print as zero values, Age is a string column), custom
 * kinds follow the CRD printer (absent fields are null, which kubectl shows as `<none>`; only the CRD's columns,
 * whose default is one `date` column Age).
 */
import type { KindRegistration, TableRowCondition } from '../machinery/registration.ts';
import { evaluateJSONPath, parseSimpleJSONPath, type PathSegment } from '../machinery/jsonpath.ts';
import { ageColumnDescription, nameColumnDescription } from './object-meta-docs.ts';
import { jsonText } from '../machinery/json-text.ts';
import type { MetaApiVersion } from './negotiation.ts';
import { partialObjectMetadata } from './serialize.ts';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: readonly TableRowCondition[];
  object?: unknown;
}

export interface ListMetaForTable {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: MetaApiVersion;
  metadata: ListMetaForTable;
  /** null without headers (TableOptions.noHeaders). */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

export interface TableOptions {
  /** What each row carries besides its cells (`?includeObject=`); kubectl asks for Metadata, or Object to sort. */
  includeObject: 'None' | 'Metadata' | 'Object';
  /** Leave out the column definitions: watch events after the first one. */
  noHeaders?: boolean;
  /** The clock Age is measured against. */
  now?: Date;
  /** The meta.k8s.io version the client asked the Table in (`v=v1beta1`): the Table's and its rows' objects'. */
  apiVersion?: MetaApiVersion;
}


interface Column {
  def: TableColumnDefinition;
  cell: (obj: Record<string, unknown>, now: Date) => unknown;
}

/**
 * A short, human reading of a duration with two or three significant figures (`45s`, `3m20s`, `2d4h`, `1y30d`),
 * as upstream's `duration.HumanDuration`, which kubectl's AGE column shows.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Age of an RFC 3339 timestamp as a Table cell; `<unknown>` without one, `<invalid>` when unparsable. */
export function ageCell(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<invalid>';
  return humanDuration(now.getTime() - t);
}

/** The creation time in RFC 3339 at second precision, UTC (`2026-12-02T07:30:00Z`), as Go's printers write it. */
function createdAtCell(obj: Record<string, unknown>): string {
  const ts = (obj.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '' : `${new Date(t).toISOString().slice(0, 19)}Z`;
}

function zeroValue(type: string): unknown {
  switch (type) {
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    default:
      return null;
  }
}

/**
 * The cell for one printer column value. Counting maps and lists under numeric columns is how ConfigMap/Secret DATA
 * and ServiceAccount SECRETS print; everything else is coerced to the column type or, when it does not fit, null.
 */
function cellFor(type: string, value: unknown, builtIn: boolean, now: Date): unknown {
  if (value === undefined || value === null) return builtIn ? zeroValue(type) : null;
  switch (type) {
    case 'integer':
    case 'number':
      if (Array.isArray(value)) return value.length;
      if (typeof value === 'object') return Object.keys(value).length;
      if (typeof value === 'number') return type === 'integer' ? Math.trunc(value) : value;
      // A custom resource's int64 past 2^53 (machinery/json-int64.ts): exact in an integer cell, a float64 in a number one.
      if (typeof value === 'bigint') return type === 'integer' ? value : Number(value);
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
        return type === 'integer' ? Math.trunc(Number(value)) : Number(value);
      }
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? ageCell(value, now) : null;
    case 'string':
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
      return jsonText(value);
  }
}

/**
 * A computed column's cell: what the printer returned, as Go's printers put it (a string in a boolean column, as
 * CronJob SUSPEND's `False`); only an absent value is coerced.
 */
function computedCell(type: string, value: unknown, builtIn: boolean, now: Date): unknown {
  return value === undefined || value === null ? cellFor(type, value, builtIn, now) : value;
}

const columnCache = new WeakMap<KindRegistration, Column[]>();

function columnsOf(kind: KindRegistration): Column[] {
  const cached = columnCache.get(kind);
  if (cached) return cached;
  const builtIn = kind.builtIn;
  // A kind that declares its own Name column (Events print it last, in -o wide; StorageClasses mark the default
  // one) has no leading one.
  const columns: Column[] = builtIn && kind.printColumns.some((pc) => pc.name === 'Name')
    ? []
    : [
        {
          def: { name: 'Name', type: 'string', format: 'name', description: nameColumnDescription, priority: 0 },
          cell: (obj) => (obj.metadata as { name?: unknown } | undefined)?.name ?? '',
        },
      ];
  for (const pc of kind.printColumns) {
    let path: PathSegment[] | undefined;
    try {
      path = pc.cell ? undefined : parseSimpleJSONPath(pc.jsonPath);
    } catch {
      path = undefined; // an unsupported path prints as null rather than failing the whole list
    }
    // Go printers and upstream's default table convertor print "Created At" as the timestamp itself, not an age.
    const createdAt = builtIn && pc.jsonPath === '.metadata.creationTimestamp' && pc.name.toLowerCase() !== 'age';
    // Go's printers declare no date columns: an age (Age, Last Seen) is a string column there; only the default
    // table's Created At is a date.
    const type = builtIn && pc.type === 'date' && !createdAt ? 'string' : pc.type;
    columns.push({
      def: { name: pc.name, type, format: pc.format ?? (pc.name === 'Name' ? 'name' : ''), description: pc.description, priority: pc.priority },
      cell: (obj, now) =>
        createdAt ? createdAtCell(obj) : pc.cell ? computedCell(pc.type, pc.cell(obj), builtIn, now) : path ? cellFor(pc.type, evaluateJSONPath(obj, path), builtIn, now) : null,
    });
  }
  // Custom resources print exactly their CRD's columns (which default to Age alone), as upstream's CRD printer.
  if (builtIn && !kind.noAgeColumn && !kind.printColumns.some((pc) => pc.name.toLowerCase() === 'age' || pc.jsonPath === '.metadata.creationTimestamp')) {
    columns.push({
      def: { name: 'Age', type: 'string', format: '', description: ageColumnDescription, priority: 0 },
      cell: (obj, now) => ageCell((obj.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp, now),
    });
  }
  columnCache.set(kind, columns);
  return columns;
}

/** The column definitions of a kind's Table. */
export function tableColumns(kind: KindRegistration): TableColumnDefinition[] {
  return columnsOf(kind).map((c) => ({ ...c.def }));
}

function rowObject(obj: Record<string, unknown>, opts: TableOptions): unknown {
  switch (opts.includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    case 'Metadata':
      return partialObjectMetadata(obj, opts.apiVersion);
  }
}

/** Prints `objects` (already selected and paged) as a Table carrying the list's metadata. */
export function toTable(kind: KindRegistration, objects: readonly object[], opts: TableOptions, listMeta: ListMetaForTable = {}): Table {
  const now = opts.now ?? new Date();
  const columns = columnsOf(kind);
  const ordered = kind.printOrder && objects.length > 1 ? [...objects].sort(kind.printOrder) : objects;
  const rows = ordered.map((o) => {
    const obj = o as Record<string, unknown>;
    const row: TableRow = { cells: columns.map((c) => c.cell(obj, now)) };
    const conditions = kind.rowConditions?.(obj);
    if (conditions?.length) row.conditions = conditions;
    const object = rowObject(obj, opts);
    if (object !== undefined) row.object = object;
    return row;
  });
  const metadata: ListMetaForTable = {};
  if (listMeta.resourceVersion !== undefined) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: opts.apiVersion ?? 'meta.k8s.io/v1',
    metadata,
    // Watch events after the first carry no definitions: upstream's table convertors leave the slice nil, which Go
    // writes as `null` (the field has no omitempty).
    columnDefinitions: opts.noHeaders ? null : tableColumns(kind),
    rows,
  };
}
