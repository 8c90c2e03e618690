import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** CHROMIUM is Debian's Chromium, which scripts/test-deps.sh installs; SCIA_CHROMIUM names another. */
export const CHROMIUM = process.env['SCIA_CHROMIUM'] ?? '/usr/bin/chromium';

/** chromiumSkip is why browser tests cannot run here, in one line, or null when they can. */
export function chromiumSkip(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}: install it with \`sudo bash scripts/test-deps.sh\` (Debian's chromium)`;
}

/** SCREENSHOTS is where browser tests save what each view looks like (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));


// playwright adds --headless and a fresh --user-data-dir itself.
// Without the background-networking flags Chromium reaches for Google's hosts at every start;
// this machine's network is closed, and tests talk to loopback only.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * launchChromium starts headless Chromium driven by playwright-core, with a
 * fresh --user-data-dir (its profile, removed on close). Each user of a test
 * gets a context of its own: no storage is shared between them.
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** newUser opens a context for one user: its own storage, a phone-free desktop viewport unless told. */
export async function newUser(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport });
}
