/**
 * Column widths on a terminal: East Asian wide and fullwidth characters (Unicode UAX #11: CJK,
 * kana, hangul, fullwidth forms) take two cells, so that Japanese headers line up. Pure.
 */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
];

/** Terminal cells `s` takes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += WIDE.some(([lo, hi]) => c >= lo && c <= hi) ? 2 : 1;
  }
  return w;
}

/** `s` padded with spaces to `width` terminal cells. */
export function padCells(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
