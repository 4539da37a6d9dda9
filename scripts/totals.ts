/** One finished test from any runner. */
export interface TestOutcome {
  name: string;
  outcome: 'pass' | 'fail' | 'skip';
}

/** Tests (and subtests) that `go test -json` reported as finished. */
export function goTestResults(jsonl: string): TestOutcome[] {
  const out: TestOutcome[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { Action?: string; Test?: string; Package?: string };
    if (!event.Test) continue;
    if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') {
      out.push({ name: `${event.Package}.${event.Test}`, outcome: event.Action });
    }
  }
  return out;
}

/** Tests from vitest's JSON reporter (Jest-compatible shape). */
export function vitestResults(json: string): TestOutcome[] {
  const report = JSON.parse(json) as {
    testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
  };
  return report.testResults.flatMap((file) =>
    file.assertionResults.map((a) => ({
      name: `${file.name} > ${a.fullName}`,
      outcome: a.status === 'passed' ? 'pass' : a.status === 'failed' ? 'fail' : 'skip',
    })),
  );
}
