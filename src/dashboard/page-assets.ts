/** The page's files, bundled into the handlers' chunk as text (minified at build time). */

import script from './page/app.js?raw';
import html from './page/index.html?raw';
import style from './page/style.css?raw';

export interface Asset {
  type: string;
  body: string;
}

export function pageAssets(token: string): Record<string, Asset> {
  // The token is base64url: nothing in it needs escaping in an attribute.
  return {
    '/': { type: 'text/html; charset=utf-8', body: html.replaceAll('__TOKEN__', token) },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: script },
    '/app.css': { type: 'text/css; charset=utf-8', body: style },
  };
}
