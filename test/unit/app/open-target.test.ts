import { describe, expect, it } from 'vitest';
import { openTarget } from '../../../src/app/open-browser.js';

describe('openTarget', () => {
  it('opens a path on the service URL', () => {
    expect(openTarget('/admin', 'http://localhost:3000')).toBe('http://localhost:3000/admin');
    expect(openTarget('docs', 'http://localhost:3000')).toBe('http://localhost:3000/docs');
  });
  it('uses a full URL as given', () => {
    expect(openTarget('https://example.test/x', null)).toBe('https://example.test/x');
  });
  it('has nothing to open for a path on a service without a port', () => {
    expect(openTarget('/x', null)).toBeNull();
  });
});
