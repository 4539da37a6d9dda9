import { randomBytes } from 'node:crypto';

/** What the page needs from VS Code: webview URIs of the shipped files, and the source the CSP allows. */
export interface DashboardPage {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  title: string;
}

/** A fresh nonce for the page's one script. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The Content Security Policy: nothing by default; styles and fonts only from
 * the extension's own files; the one script by nonce. No inline styles, no
 * eval, no network: the page gets its data as messages.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

// Attributes are double-quoted, so single quotes (the CSP's 'none') stay as they are.
const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The dashboard's HTML shell; the script fills it from messages. */
export function dashboardHtml(page: DashboardPage): string {
  const attr = (text: string) => escapeHtml(text);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.codiconsUri)}">
<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<header>
  <h1><span id="state-icon" class="codicon codicon-loading codicon-modifier-spin"></span> <span id="title">${escapeHtml(page.title)}</span></h1>
  <p id="subtitle" class="muted">Connecting…</p>
  <p id="problem" class="problem" hidden></p>
</header>
<section aria-labelledby="usage-heading">
  <h2 id="usage-heading"><span class="codicon codicon-dashboard"></span> Usage</h2>
  <div id="bars" class="bars"></div>
  <p class="legend"><span class="swatch used"></span> used <span class="swatch allocated"></span> allocated to children <span class="swatch budget"></span> budget</p>
</section>
<section aria-labelledby="history-heading">
  <h2 id="history-heading"><span class="codicon codicon-graph-line"></span> Recent history <span class="muted">(% of budget)</span></h2>
  <div id="chart" class="chart"></div>
</section>
<section aria-labelledby="children-heading" id="children-section" hidden>
  <h2 id="children-heading"><span class="codicon codicon-list-tree"></span> Below</h2>
  <table id="children"></table>
</section>
<section aria-labelledby="report-heading">
  <h2 id="report-heading"><span class="codicon codicon-history"></span> Metered resource-minutes</h2>
  <div class="periods" role="radiogroup" aria-label="Period">
    <button data-since="1h" role="radio" aria-checked="false" tabindex="-1">1 hour</button>
    <button data-since="24h" role="radio" aria-checked="false" tabindex="-1">24 hours</button>
    <button data-since="7d" role="radio" aria-checked="false" tabindex="-1">7 days</button>
    <button data-since="30d" role="radio" aria-checked="false" tabindex="-1">30 days</button>
  </div>
  <div id="report" class="muted">Choose a period.</div>
</section>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}
