/** `npm run messages:doc`: rewrites README.md's Japanese alert table and docs/messages.md from the catalogue. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueDoc, withReadmeTable } from './lib/messages-doc';
import { REPO } from './lib/genw';

const readme = join(REPO, 'README.md');
writeFileSync(readme, withReadmeTable(readFileSync(readme, 'utf8')));
writeFileSync(join(REPO, 'docs', 'messages.md'), catalogueDoc());
console.log('README.md (messages:alerts) and docs/messages.md written');
