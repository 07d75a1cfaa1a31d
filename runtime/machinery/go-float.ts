/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64), which `%v` of a float64 prints too: the shortest digits that read back
 * as f, in exponent form (at least two exponent digits) when the exponent is below -4 or 6 and up (`1e+06`,
 * `1.5e-05`), else as a decimal (`123456.5`). For finite f: each caller spells infinities and NaN as its format does.
 */
export function formatGoFloat(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, e] = f.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  // Within these exponents JavaScript's shortest form is a decimal with the same digits.
  return String(f);
}
