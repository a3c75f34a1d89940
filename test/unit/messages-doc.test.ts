/** README's Japanese alert table and docs/messages.md are what the catalogue says (regenerate: npm run messages:doc). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueDoc, readmeAlertTable, withReadmeTable } from '../../scripts/lib/messages-doc';

const REPO = join(__dirname, '..', '..');

describe('generated message docs', () => {
  it('README.md holds the current Japanese alert table', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(readmeAlertTable());
    expect(withReadmeTable(readme)).toBe(readme);
  });
  it('docs/messages.md is the current catalogue', () => {
    expect(readFileSync(join(REPO, 'docs', 'messages.md'), 'utf8')).toBe(catalogueDoc());
  });
  it('the check can fail: a changed text shows', () => {
    expect(withReadmeTable(`x\n${readmeAlertTable().replace('復旧', '回復')}\ny`)).toContain('復旧');
  });
});
