/**
 * Seeing objects in the API version a manager's entry was recorded in (upstream's merge.Converter): field sets
 * only make sense in their own version, so the updater compares, finds conflicts and prunes in each manager's
 * version. Without a converter every entry is read as if it were in the request's version.
 */
import type { TypedValue } from './typed.ts';

/** Converts a typed value of one API version of a kind into another version of the same kind. */
export interface VersionConverter {
  /**
   * `value` (of version `from`) as an object of version `to`. Throws MissingVersionError when the kind has no
   * version `to` (its managers are then dropped, as upstream drops entries of versions no longer served); may
   * return `value` itself when it cannot tell the difference (the entry is then compared as it is).
   */
  convert(value: TypedValue, from: string, to: string): TypedValue;
}

/** The kind has no such version (any more): entries recorded in it cannot be compared and are dropped. */
export class MissingVersionError extends Error {
  override name = 'MissingVersionError';
  constructor(readonly version: string) {
    super(`no corresponding type for ${version}`);
  }
}

/**
 * The conversions of one write, each made once: values the updater builds itself are in the request's version
 * unless this made them, and converting a value to the version it is in returns it unchanged, so a write whose
 * entries are all in its own version never converts anything.
 */
export class VersionViews {
  /** The version of every value a conversion produced (anything else is in the request's version). */
  private versionOf?: WeakMap<TypedValue, string>;
  /** Conversions made, by value and version (null: the kind has no such version). */
  private made?: WeakMap<TypedValue, Map<string, TypedValue | null>>;

  constructor(
    readonly requestVersion: string,
    private readonly converter: VersionConverter | undefined,
  ) {}

  /** `value`, made from `source` (removing or merging fields), is in the version `source` is in. */
  derived(source: TypedValue, value: TypedValue): TypedValue {
    const version = this.versionOf?.get(source);
    if (version !== undefined && value !== source) this.versionOf!.set(value, version);
    return value;
  }

  /** `value` in `version`; null when the kind has no such version. */
  of(value: TypedValue, version: string): TypedValue | null {
    const from = this.versionOf?.get(value) ?? this.requestVersion;
    if (from === version || !this.converter) return value;
    this.made ??= new WeakMap();
    let byVersion = this.made.get(value);
    if (!byVersion) this.made.set(value, (byVersion = new Map()));
    let out = byVersion.get(version);
    if (out === undefined) {
      try {
        out = this.converter.convert(value, from, version);
        if (out !== value) (this.versionOf ??= new WeakMap()).set(out, version);
      } catch (e) {
        if (!(e instanceof MissingVersionError)) throw e;
        out = null;
      }
      byVersion.set(version, out);
    }
    return out;
  }
}
