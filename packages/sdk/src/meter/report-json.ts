import { z } from 'zod';

/**
 * A usage report as `formatReport(report, 'json')` writes it and the
 * operator's `/usage/report` serves it: the one shape programs (the SDK, the
 * VS Code extension) read.
 */
export const MeteredReportSchema = z.object({
  by: z.enum(['space', 'tenant', 'organization']),
  window: z.object({ from: z.string(), to: z.string(), durationMs: z.number() }),
  coverage: z.object({ coveredMs: z.number(), percent: z.number() }),
  gaps: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      durationMs: z.number(),
      duration: z.string(),
      kind: z.enum(['before-metering', 'not-metered', 'not-yet-written']),
      reason: z.string(),
    }),
  ),
  resolution: z.string(),
  integralUnit: z.string(),
  unreadableRecords: z.number(),
  rows: z.array(
    z.object({
      organization: z.string(),
      tenant: z.string().optional(),
      space: z.string().optional(),
      /** Resource → total in its unit (`core-minutes`, `GiB-minutes`, `unit-minutes`), with the exact integral. */
      usage: z.record(z.string(), z.object({ value: z.number(), unit: z.string(), integral: z.string() })),
    }),
  ),
});
export type MeteredReport = z.infer<typeof MeteredReportSchema>;
