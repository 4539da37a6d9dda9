import type { NodeState } from '../../model/viewTree.ts';

/** One resource's bar: what workloads use, what children hold (parents), and the budget. */
export interface BarView {
  resource: string;
  label: string;
  used: string;
  allocated?: string;
  budget?: string;
  free?: string;
  /** Percentages of the budget, for the bar widths; absent without a budget. */
  usedPercent?: number;
  allocatedPercent?: number;
  over: boolean;
}

/** One point of the live chart: the time and each charted resource's use as a percentage of its budget. */
export interface HistoryPoint {
  at: number;
  percent: Record<string, number>;
}

/** A row below a parent: one child with its usage summary. */
export interface ChildView {
  kind: string;
  name: string;
  state: NodeState;
  summary: string;
}

/** Everything the dashboard shows for one scope at one moment. */
export interface DashboardView {
  /** `Space acme/payments/dev`. */
  title: string;
  kind: string;
  state: NodeState;
  stateText: string;
  namespace?: string;
  message?: string;
  /** When the snapshot was taken (ISO 8601). */
  at: string;
  bars: BarView[];
  children: ChildView[];
  /** Resources the chart draws (those with a budget), and their recent history. */
  charted: { resource: string; label: string }[];
  history: HistoryPoint[];
  /**
   * Since when this editor session has watched the scope (ISO 8601): the
   * history is what it saw. Metered history at minute resolution is not
   * available from the meter (its buckets are an hour), so the chart says so.
   */
  historySince?: string;
}

/** A period the metered report covers, as the SDK's duration syntax. */
export const REPORT_PERIODS = ['1h', '24h', '7d', '30d'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** The metered resource-minutes of the dashboard's scope over a period. */
export interface ReportView {
  since: ReportPeriod;
  from: string;
  to: string;
  /** How much of the period the meter covered, 0–100. */
  coveragePercent: number;
  rows: { label: string; value: string; unit: string }[];
  /** Why part of the period has no data, when it has gaps. */
  notice?: string;
}

/** Messages from the extension to the dashboard. */
export type ToDashboard =
  | { type: 'view'; view: DashboardView }
  | { type: 'report'; report: ReportView }
  | { type: 'reportUnavailable'; since: ReportPeriod; reason: string }
  | { type: 'problem'; message: string };

/** Messages from the dashboard to the extension. */
export type FromDashboard =
  | { type: 'ready' }
  | { type: 'requestReport'; since: ReportPeriod }
  | { type: 'showLogs' }
  /** The page's Content Security Policy blocked something: a bug in the page, logged for the developer. */
  | { type: 'cspViolation'; directive: string; blocked: string };

/**
 * Checks a message from the webview before acting on it. The webview is our
 * own page, but it is a separate process and its messages are plain data.
 */
export function isFromDashboard(message: unknown): message is FromDashboard {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'showLogs':
      return true;
    case 'requestReport':
      return typeof m.since === 'string' && (REPORT_PERIODS as readonly string[]).includes(m.since);
    case 'cspViolation':
      return typeof m.directive === 'string' && typeof m.blocked === 'string';
    default:
      return false;
  }
}
