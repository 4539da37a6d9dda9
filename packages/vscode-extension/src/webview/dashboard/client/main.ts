// The dashboard page's script. It runs in the webview (a browser), draws what
// the extension sends, and asks for metered reports. It holds no cluster logic.
import type { BarView, DashboardView, FromDashboard, ReportPeriod, ReportView, ToDashboard } from '../protocol.ts';
import { type ChartBox, stepPoints, timeSpan, yTop } from './chart.ts';
import { radioTarget } from './radio.ts';

declare function acquireVsCodeApi(): { postMessage(message: FromDashboard): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const CHART_WINDOW_MS = 30 * 60 * 1000;
const STATE_ICONS: Record<DashboardView['state'], string> = {
  ready: 'pass-filled',
  provisioning: 'loading',
  overBudget: 'warning',
  failed: 'error',
  terminating: 'trash',
  unreadable: 'lock',
};

let current: DashboardView | undefined;
let period: ReportPeriod = (vscode.getState() as { period?: ReportPeriod } | undefined)?.period ?? '24h';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent?.appendChild(element);
  return element;
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

function renderHeader(view: DashboardView): void {
  byId('title').textContent = view.title;
  const icon = byId('state-icon');
  icon.className = `codicon codicon-${STATE_ICONS[view.state]} state-${view.state}${view.state === 'provisioning' ? ' codicon-modifier-spin' : ''}`;
  const parts = [
    view.stateText,
    view.namespace ? `namespace ${view.namespace}` : '',
    `updated ${new Date(view.at).toLocaleTimeString()}`,
  ].filter(Boolean);
  byId('subtitle').textContent = parts.join(' · ');
  const problem = byId('problem');
  problem.hidden = !view.message;
  problem.textContent = view.message ?? '';
}

function renderBar(bar: BarView): HTMLElement {
  const row = document.createElement('div');
  row.className = `bar-row${bar.over ? ' over' : ''}`;
  row.dataset.resource = bar.resource;
  row.appendChild(html('span', bar.label, 'bar-label'));
  const track = svg('svg', {
    class: 'bar',
    viewBox: '0 0 100 10',
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': `${bar.label} used ${bar.used} of ${bar.budget ?? 'no budget'}`,
  });
  svg('rect', { class: 'budget', x: 0, y: 0, width: 100, height: 10 }, track);
  if (bar.allocatedPercent !== undefined)
    svg('rect', { class: 'allocated', x: 0, y: 0, width: Math.min(bar.allocatedPercent, 100), height: 10 }, track);
  svg('rect', { class: 'used', x: 0, y: 2.5, width: Math.min(bar.usedPercent ?? 0, 100), height: 5 }, track);
  row.appendChild(track);
  const numbers = [`used ${bar.used}`];
  if (bar.allocated !== undefined) numbers.push(`allocated ${bar.allocated}`);
  numbers.push(bar.budget !== undefined ? `budget ${bar.budget}` : 'no budget');
  if (bar.free !== undefined) numbers.push(`free ${bar.free}`);
  row.appendChild(html('span', numbers.join(' · '), 'bar-numbers'));
  return row;
}

function renderBars(view: DashboardView): void {
  const bars = byId('bars');
  bars.replaceChildren(...view.bars.map(renderBar));
  if (view.bars.length === 0) bars.replaceChildren(html('p', 'No budget and no usage yet.', 'muted'));
}

function renderChart(view: DashboardView): void {
  const chart = byId('chart');
  const box: ChartBox = { width: 600, height: 160, left: 36, right: 8, top: 8, bottom: 20 };
  const root = svg('svg', {
    viewBox: `0 0 ${box.width} ${box.height}`,
    class: 'chart-svg',
    role: 'img',
    'aria-label': 'Use as a percentage of budget over the last 30 minutes',
  });
  const top = yTop(view.history);
  for (const level of [0, 50, 100, top].filter((v, i, all) => all.indexOf(v) === i && v <= top)) {
    const y = box.top + (1 - level / top) * (box.height - box.top - box.bottom);
    svg('line', { class: level === 100 ? 'grid budget-line' : 'grid', x1: box.left, x2: box.width - box.right, y1: y, y2: y }, root);
    svg('text', { class: 'axis', x: box.left - 4, y: y + 3, 'text-anchor': 'end' }, root).textContent = `${level}%`;
  }
  const now = Date.now();
  const { from } = timeSpan(view.history, now, CHART_WINDOW_MS);
  svg('text', { class: 'axis', x: box.left, y: box.height - 4 }, root).textContent = new Date(from).toLocaleTimeString();
  svg('text', { class: 'axis', x: box.width - box.right, y: box.height - 4, 'text-anchor': 'end' }, root).textContent = 'now';
  view.charted.forEach((series, index) => {
    const last = view.history.findLast((p) => p.percent[series.resource] !== undefined)?.percent[series.resource];
    // The value the line ends on, for assistive technology and tests: the chart must end where usage is now.
    svg(
      'polyline',
      {
        class: `series series-${index}`,
        points: stepPoints(view.history, series.resource, now, CHART_WINDOW_MS, box),
        'data-resource': series.resource,
        'data-last-percent': last ?? '',
      },
      root,
    );
  });
  const legend = document.createElement('p');
  legend.className = 'legend';
  view.charted.forEach((series, index) => {
    legend.appendChild(html('span', '', `swatch series-${index}`));
    legend.appendChild(document.createTextNode(` ${series.label} `));
  });
  // Say where the line comes from: this editor session's watches, since it first saw the scope.
  const source = html(
    'p',
    view.historySince
      ? `As this window has seen it since ${new Date(view.historySince).toLocaleTimeString()}; the meter's minute-by-minute history is not available yet.`
      : 'As this window sees it from now on.',
    'muted history-source',
  );
  chart.replaceChildren(root, legend, source);
}

function renderChildren(view: DashboardView): void {
  byId('children-section').hidden = view.children.length === 0;
  const table = byId<HTMLTableElement>('children');
  const rows = view.children.map((child) => {
    const tr = document.createElement('tr');
    const icon = html('span', '', `codicon codicon-${STATE_ICONS[child.state]} state-${child.state}`);
    const name = document.createElement('td');
    name.append(icon, document.createTextNode(` ${child.name}`));
    tr.append(name, html('td', child.kind, 'muted'), html('td', child.summary));
    return tr;
  });
  table.replaceChildren(...rows);
}

function renderReport(report: ReportView): void {
  const target = byId('report');
  target.className = '';
  const rows = report.rows.map((r) => {
    const tr = document.createElement('tr');
    tr.append(html('td', r.label), html('td', r.value, 'number'), html('td', r.unit, 'muted'));
    return tr;
  });
  const table = document.createElement('table');
  table.replaceChildren(...rows);
  const summary = html(
    'p',
    `${new Date(report.from).toLocaleString()} – ${new Date(report.to).toLocaleString()} · meter coverage ${report.coveragePercent}%`,
    'muted',
  );
  const parts: HTMLElement[] = [rows.length > 0 ? table : html('p', 'No metered usage in this period.', 'muted'), summary];
  if (report.notice) parts.push(html('p', report.notice, 'muted'));
  target.replaceChildren(...parts);
}

function periodButtons(): HTMLButtonElement[] {
  return [...document.querySelectorAll<HTMLButtonElement>('.periods button')];
}

function selectPeriod(since: ReportPeriod): void {
  period = since;
  vscode.setState({ period });
  // A radio group: one tab stop, on the checked radio; the arrows move between them (WAI-ARIA radio group pattern).
  for (const button of periodButtons()) {
    const checked = button.dataset.since === since;
    button.setAttribute('aria-checked', String(checked));
    button.tabIndex = checked ? 0 : -1;
  }
  byId('report').textContent = 'Reading the meter…';
  vscode.postMessage({ type: 'requestReport', since });
}

window.addEventListener('message', (event: MessageEvent<ToDashboard>) => {
  const message = event.data;
  switch (message.type) {
    case 'view':
      current = message.view;
      document.body.classList.remove('stale');
      byId('problem').hidden = !current.message;
      renderHeader(current);
      renderBars(current);
      renderChart(current);
      renderChildren(current);
      break;
    case 'report':
      if (message.report.since === period) renderReport(message.report);
      break;
    case 'reportUnavailable':
      if (message.since === period) {
        const target = byId('report');
        target.className = 'muted';
        target.replaceChildren(html('span', '', 'codicon codicon-info'), document.createTextNode(` ${message.reason}`));
      }
      break;
    case 'problem': {
      // What is shown no longer holds (the context changed, the scope went, access was taken away): never keep saying "Ready".
      const problem = byId('problem');
      problem.hidden = false;
      problem.textContent = message.message;
      byId('state-icon').className = 'codicon codicon-warning state-overBudget';
      byId('subtitle').textContent = current ? `Not available · last seen ${new Date(current.at).toLocaleTimeString()}` : 'Not available';
      document.body.classList.add('stale');
      break;
    }
  }
});

for (const button of periodButtons()) {
  button.addEventListener('click', () => selectPeriod(button.dataset.since as ReportPeriod));
  button.addEventListener('keydown', (event) => {
    const buttons = periodButtons();
    const index = buttons.indexOf(button);
    const next = radioTarget(event.key, index, buttons.length);
    if (next === undefined) return;
    event.preventDefault();
    const target = buttons[next];
    if (!target) return;
    target.focus();
    selectPeriod(target.dataset.since as ReportPeriod);
  });
}

// The last value holds until now: move the chart's right edge along between changes.
setInterval(() => current && renderChart(current), 5000);

// Anything the CSP blocks is a bug in this page: report it to the extension's log rather than fail silently.
document.addEventListener('securitypolicyviolation', (event) => {
  vscode.postMessage({ type: 'cspViolation', directive: event.violatedDirective, blocked: event.blockedURI || 'inline' });
});

vscode.postMessage({ type: 'ready' });
selectPeriod(period);
