/**
 * IPv6 text to its sixteen bytes, the one reading both of upstream's parsers share (groups of 1-4 hex digits, at most
 * one `::`, an IPv4 tail only at the end, no zone). How the IPv4 tail is read is the caller's: Go's netip refuses
 * octets with leading zeros, ParseIPSloppy (what v1.32 validation uses) takes them.
 */

/** Bytes of an IPv4 text, or why it is no address (the caller's words). */
export type IPv4Reader = (text: string) => number[] | string;

const unparsable = 'unable to parse IP';

/** The sixteen bytes of `s`, or why it is no IPv6 address (netip's words, or the IPv4 reader's for the tail). */
export function parseIPv6Bytes(s: string, ipv4: IPv4Reader): number[] | string {
  const halves = s.split('::');
  if (halves.length > 2) return unparsable;
  // An IPv4 tail may only end the address.
  if (halves.length === 2 && halves[0].includes('.')) return unparsable;
  const groupsOf = (h: string): number[] | string => {
    if (h === '') return [];
    const bytes: number[] = [];
    const groups = h.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = ipv4(g);
        if (typeof v4 === 'string') return v4;
        bytes.push(...v4);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        const n = parseInt(g, 16);
        bytes.push(n >> 8, n & 0xff);
      } else return unparsable;
    }
    return bytes;
  };
  const head = groupsOf(halves[0]);
  if (typeof head === 'string') return head;
  if (halves.length === 1) return head.length === 16 ? head : unparsable;
  const tail = groupsOf(halves[1]);
  if (typeof tail === 'string') return tail;
  if (head.length + tail.length > 14) return unparsable;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}
