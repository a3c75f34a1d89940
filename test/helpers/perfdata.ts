/**
 * A strict parser of Nagios plugin output (Monitoring Plugins Development Guidelines,
 * "Performance data"): `'label'=value[UOM];[warn];[crit];[min];[max]`, space separated.
 * Throws on anything the grammar does not allow.
 */
export interface PerfItem {
  label: string;
  value: number;
  uom: string;
  warn: string;
  crit: string;
  min: string;
  max: string;
}

const NUM = '-?\\d+(?:\\.\\d+)?';
const RANGE = `@?(?:(?:~|${NUM})?:)?(?:${NUM})?`;
const ITEM = new RegExp(
  `^('(?:[^']|'')+'|[^\\s'=]+)=(${NUM})(us|ms|s|%|B|KB|MB|GB|TB|c)?(?:;(${RANGE})?(?:;(${RANGE})?(?:;(${NUM})?(?:;(${NUM})?)?)?)?)?$`,
);

export function parsePerfdata(text: string): PerfItem[] {
  if (text.trim() === '') return [];
  if (/\s{2,}/.test(text.trim())) throw new Error(`perfdata has repeated spaces: ${text}`);
  // Split on spaces outside quotes.
  const tokens: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of text.trim()) {
    if (ch === "'") quoted = !quoted;
    if (ch === ' ' && !quoted) {
      tokens.push(cur);
      cur = '';
    } else cur += ch;
  }
  tokens.push(cur);
  return tokens.map((t) => {
    const m = ITEM.exec(t);
    if (!m) throw new Error(`invalid perfdata item: ${t}`);
    const label = m[1].startsWith("'") ? m[1].slice(1, -1).replace(/''/g, "'") : m[1];
    return {
      label,
      value: Number(m[2]),
      uom: m[3] ?? '',
      warn: m[4] ?? '',
      crit: m[5] ?? '',
      min: m[6] ?? '',
      max: m[7] ?? '',
    };
  });
}

/** Splits plugin output into status, state, text, perfdata items and long output lines. */
export function parsePluginOutput(stdout: string): { state: string; text: string; perf: PerfItem[]; long: string[] } {
  const [first, ...long] = stdout.split('\n');
  const m = /^PGSR (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?)(?: \| (.*))?$/.exec(first);
  if (!m) throw new Error(`invalid status line: ${first}`);
  return { state: m[1], text: m[2], perf: parsePerfdata(m[3] ?? ''), long };
}
