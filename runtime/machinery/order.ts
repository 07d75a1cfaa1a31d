/**
 * Go's string order (byte by byte), which upstream's sorts use. Not localeCompare: that orders by locale rules
 * (case folded, punctuation weighed differently) and loads the ICU collation data, megabytes of resident memory.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
