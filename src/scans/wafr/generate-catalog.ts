/**
 * Rebuilds catalog-data.ts from the Well-Architected sources:
 *   npx tsx src/scans/wafr/generate-catalog.ts ../shared/fixtures/wafr
 * (the folder holding trackit_wafr_questions_*.json and Prowler's aws_well_architected_framework_*_aws.json).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, renderCatalogModule } from './build-catalog.js';

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: tsx src/scans/wafr/generate-catalog.ts <folder with the Well-Architected source files>');
  process.exit(2);
}
const files = readdirSync(dir).sort();
const toolFile = files.find((f) => /^trackit_wafr_questions_.*\.json$/.test(f));
const prowlerFiles = files.filter((f) => /^aws_well_architected_framework_.*_aws\.json$/.test(f));
if (!toolFile || prowlerFiles.length === 0) {
  console.error(`${dir} must hold trackit_wafr_questions_*.json and aws_well_architected_framework_*_aws.json.`);
  process.exit(2);
}
// Small, trusted source files read once at build time, so a whole-file parse is fine here.
const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const data = buildCatalog(read(toolFile), prowlerFiles.map(read));
const out = join(dirname(fileURLToPath(import.meta.url)), 'catalog-data.ts');
writeFileSync(out, renderCatalogModule(data));
console.log(`Wrote ${out}: ${data.questions.length} questions, ${data.practices.length} best practices, ${Object.keys(data.prowlerChecks).length} Prowler checks.`);
