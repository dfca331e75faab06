/**
 * `open:` — once a service is ready, open its page in the browser, as Vite's `--open` does.
 * Only for a person at a terminal: never in CI, in a background supervisor, or with --no-open.
 */
import type { Manifest } from '../manifest/types.js';
import type { EventSink } from '../output/events.js';
import { launchAndForget } from '../process/launch.js';

/** The URL to open: a full URL as given, or a path on the service's own URL. */
export function openTarget(open: string, serviceUrl: string | null): string | null {
  if (/^https?:\/\//i.test(open)) return open;
  if (serviceUrl === null) return null;
  return new URL(open.startsWith('/') ? open : `/${open}`, serviceUrl).toString();
}

export function browserCommand(url: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd.exe built-in; its first quoted argument is the window title.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** A subscriber to the session's events: opens a service's `open:` page once it is ready. */
export function browserOpener(manifest: Manifest, urls: Record<string, string | null>): EventSink {
  return (event) => {
    if (event.type !== 'service-ready') return;
    const open = manifest.services[event.service]?.open;
    if (!open) return;
    const url = openTarget(open, urls[event.service] ?? null);
    if (url !== null) openInBrowser(url);
  };
}

/** Opens `url` in the user's browser; no browser on this machine is not devlaunch's failure. */
export function openInBrowser(url: string): void {
  const [command, args] = browserCommand(url, process.platform);
  launchAndForget(command, args);
}
