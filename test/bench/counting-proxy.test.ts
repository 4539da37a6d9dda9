import { describe, expect, it } from 'vitest';
import { headBytes, isWrite } from './counting-proxy.ts';

describe('isWrite', () => {
  it('counts every method but the reads (lists and watches are GETs)', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(isWrite(method)).toBe(true);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(isWrite(method)).toBe(false);
  });
});

describe('headBytes', () => {
  it('is the request line, each header line and the blank line, as HTTP/1.1 sends them', () => {
    const head = 'PUT /apis/x/status HTTP/1.1\r\nhost: 127.0.0.1:1\r\ncontent-length: 2\r\n\r\n';
    expect(headBytes('PUT', '/apis/x/status', ['host', '127.0.0.1:1', 'content-length', '2'])).toBe(head.length);
    expect(headBytes('GET', '/', [])).toBe('GET / HTTP/1.1\r\n\r\n'.length);
  });

  it('counts bytes, not characters', () => {
    expect(headBytes('GET', '/', ['x', 'é'])).toBe('GET / HTTP/1.1\r\nx: é\r\n\r\n'.length + 1);
  });
});
