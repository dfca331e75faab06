/** The page's files are served whole, with the token in the page's links to them. */
import { describe, expect, it } from 'vitest';
import { pageAssets } from '../../../src/dashboard/page-assets.js';

describe('pageAssets', () => {
  const assets = pageAssets('tok-123');

  it('links the script and the stylesheet with the token, and loads nothing from elsewhere', () => {
    const html = assets['/']?.body ?? '';
    expect(html).toContain('/app.js?token=tok-123');
    expect(html).toContain('/app.css?token=tok-123');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the stylesheet and the script themselves, not empty files', () => {
    expect(assets['/app.css']?.body).toMatch(/\.log\s*\{/);
    expect(assets['/app.js']?.body).toMatch(/EventSource/);
  });
});
