// Prints one line per Go test from `go test -json` output, so CI logs show what ran.
import { readFileSync } from 'node:fs';
import { goTestResults } from './totals.ts';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/go-test-summary.ts GO_TEST_JSON');
  process.exit(2);
}
for (const r of goTestResults(readFileSync(file, 'utf8'))) {
  console.log(`  ${r.outcome === 'pass' ? '✓' : '✗'} ${r.name}`);
}
