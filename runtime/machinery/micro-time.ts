/**
 * metav1.MicroTime as Go writes it (RFC 3339 with six fractional digits), for the times Leases carry. JavaScript
 * clocks have milliseconds, so the last three digits are zeros.
 */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
