import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardHtml, makeNonce } from './html.ts';

const page = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'n0nce',
  scriptUri: 'https://x/dashboard.js',
  styleUri: 'https://x/dashboard.css',
  codiconsUri: 'https://x/codicon.css',
  title: 'space acme/payments/<web>',
};

describe('the dashboard page', () => {
  it('has a strict Content Security Policy: nothing by default, own files only, the one script by nonce', () => {
    expect(contentSecurityPolicy(page.cspSource, 'abc')).toBe(
      "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abc'",
    );
    const html = dashboardHtml(page);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('loads only its own script, with the nonce, and no inline script or style', () => {
    const html = dashboardHtml(page);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toContain('nonce="n0nce"');
    expect(scripts[0]?.[2]).toBe('');
    expect(html).not.toMatch(/<style|style="/);
    expect(html).toContain('href="https://x/codicon.css"');
  });

  it('escapes the title', () => {
    expect(dashboardHtml(page)).toContain('<title>space acme/payments/&#60;web&#62;</title>');
  });

  it('makes a fresh nonce each time', () => {
    expect(makeNonce()).not.toBe(makeNonce());
    expect(makeNonce()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
