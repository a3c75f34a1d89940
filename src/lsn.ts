/** WAL positions (LSNs) as PostgreSQL prints them, `X/Y` in hex, and the elections' `tli/LSN` positions. Pure; shared by every layer. */

/** `X/Y` LSN text to a comparable number (bigint: bytes since the start of WAL); null for null or malformed. */
export function lsnValue(lsn: string | null | undefined): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null;
}

/**
 * Orders `tli/XXXXXXXX/YYYYYYYY` positions (a standby's timeline and the furthest LSN it received
 * or replayed): timeline first, then LSN. Negative, 0 or positive as `a` is behind, equal or ahead.
 * @throws Error on malformed input.
 */
export function comparePositions(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^(\d+)\/([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(s);
    if (!m) throw new Error(`malformed WAL position '${s}'`);
    return { tli: Number(m[1]), lsn: (BigInt(`0x${m[2]}`) << 32n) + BigInt(`0x${m[3]}`) };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.tli !== y.tli) return x.tli - y.tli;
  return x.lsn === y.lsn ? 0 : x.lsn > y.lsn ? 1 : -1;
}
