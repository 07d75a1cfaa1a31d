/**
 * Decoding of managedFields entries' FieldsV1 into field sets, kept between writes (see decodedSets): every create
 * and update decodes every entry it reads.
 */
import { FieldSet } from './smd/index.ts';

/**
 * Sets already decoded, by their FieldsV1 text. Every write decodes every entry of the object (the stored one's or
 * the client's), and they repeat: the managers a write does not touch keep their sets, and objects made by one
 * client have the same fields. The text costs one native JSON.stringify, far less than building the set again; the
 * sets are shared, which is safe because a FieldSet is never changed once built (operations return new ones).
 * Bounded by the text it holds (a set takes some 25 times its text in memory, so a few MB at most); emptied when
 * full. Entries come from JSON, so the text is all there is to them (no undefined members, no toJSON).
 */
const decodedSets = new Map<string, FieldSet>();
let decodedChars = 0;
const maxDecodedChars = 1 << 17;
/** Larger sets are decoded each time rather than crowd out the common ones. */
const maxCachedSetChars = 1 << 13;

export function decodeFieldsV1(fieldsV1: Record<string, unknown>): FieldSet {
  let text: string;
  try {
    text = JSON.stringify(fieldsV1);
  } catch {
    return FieldSet.fromFieldsV1(fieldsV1); // its own error says what is wrong
  }
  let set = decodedSets.get(text);
  if (set === undefined) {
    set = FieldSet.fromFieldsV1(fieldsV1);
    if (text.length <= maxCachedSetChars) {
      if (decodedChars + text.length > maxDecodedChars) {
        decodedSets.clear();
        decodedChars = 0;
      }
      decodedSets.set(text, set);
      decodedChars += text.length;
    }
  }
  return set;
}
