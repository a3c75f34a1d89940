/**
 * File order for a clean CI clone, where vitest has no timings cached and would start the largest
 * files first: faults.test.ts is 21 lines and 5 minutes (it drives scripts/faults.ts), so it ran
 * last and alone, ~2 minutes after everything else had finished. Known long files go first,
 * longest first, so that two workers finish together; the rest follow in vitest's own order.
 * Only the order depends on these figures (seconds, CI run of 2026-12-01), never a result.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const KNOWN_S: Record<string, number> = {
  'pacemaker.test.ts': 600,
  'faults.test.ts': 296,
  'versions-matrix.test.ts': 108,
  'package.test.ts': 104,
  'lifecycle.test.ts': 63,
  'watch.test.ts': 51,
  'sync-watch.test.ts': 41,
  'pgpool.test.ts': 36,
  'chaos-pgpool.test.ts': 40,
};

const weight = (s: TestSpecification) => KNOWN_S[s.moduleId.split('/').pop() ?? ''] ?? 0;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    return [...base].sort((a, b) => weight(b) - weight(a));
  }
}
