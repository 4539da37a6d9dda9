// Prints one line per Go test from `go test -json` output, so CI logs show what ran.
import { readFileSync } from 'node:fs';
import { goTestResults } from './totals.ts';

for (const r of goTestResults(readFileSync(process.argv[2]!, 'utf8'))) {
  console.log(`  ${r.outcome === 'pass' ? '✓' : '✗'} ${r.name}`);
}
