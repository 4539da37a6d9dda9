// Prints the totals over every suite as the last line: "N passed, N failed".
// A suite whose report is missing (its runner crashed) counts as one failure,
// and so does a failed typecheck, so a broken run can never look green.
import { existsSync, readFileSync } from 'node:fs';
import { goTestResults, type TestOutcome, vitestResults } from './totals.ts';

let passed = 0;
let failed = 0;
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--typecheck-failed=')) {
    failed += Number(arg.split('=')[1]);
    continue;
  }
  // A check that is one pass or one failure as a whole, such as the quick benchmark run: --check=NAME:ok|failed.
  if (arg.startsWith('--check=')) {
    if (arg.endsWith(':ok')) passed += 1;
    else failed += 1;
    continue;
  }
  if (!existsSync(arg) || readFileSync(arg, 'utf8').trim() === '') {
    console.log(`no report at ${arg}: counted as a failure`);
    failed += 1;
    continue;
  }
  const text = readFileSync(arg, 'utf8');
  const results: TestOutcome[] = arg.endsWith('.jsonl') ? goTestResults(text) : vitestResults(text);
  passed += results.filter((r) => r.outcome === 'pass').length;
  failed += results.filter((r) => r.outcome === 'fail').length;
}
console.log(`${passed} passed, ${failed} failed`);
