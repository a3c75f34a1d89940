/** WAL positions (LSNs) as PostgreSQL prints them, `X/Y` in hex. Pure. */

/** `X/Y` LSN text to a comparable number (bigint: bytes since the start of WAL); null for null or malformed. */
export function lsnValue(lsn: string | null | undefined): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null;
}
