import { describe, expect, it } from 'vitest';
import { isFromDashboard } from './protocol.ts';

describe('messages from the dashboard page', () => {
  it('are accepted only in the shapes the extension handles', () => {
    expect(isFromDashboard({ type: 'ready' })).toBe(true);
    expect(isFromDashboard({ type: 'requestReport', since: '7d' })).toBe(true);
    expect(isFromDashboard({ type: 'requestReport', since: '1y' })).toBe(false);
    expect(isFromDashboard({ type: 'cspViolation', directive: 'style-src', blocked: 'inline' })).toBe(true);
    expect(isFromDashboard({ type: 'cspViolation', directive: 1 })).toBe(false);
    expect(isFromDashboard({ type: 'runCommand', command: 'rm' })).toBe(false);
    expect(isFromDashboard('ready')).toBe(false);
    expect(isFromDashboard(null)).toBe(false);
  });
});
