import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { operations, type DocumentName } from '@wa-contacts/test-kit/contract';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';
import { launchChromium } from './chromium.js';

const TIMEOUT = 120_000;
/** How long Redoc may take to render a page's operations. */
const RENDER_MS = 30_000;
const require = createRequire(import.meta.url);

const summariesOf = (document: DocumentName) =>
  operations.filter((op) => op.document === document).map((op) => op.operation.summary ?? `(no summary: ${op.path})`);

interface Visit {
  /** The summaries shown as a visible heading, in the document's order. */
  visible: string[];
  /** Requests to anywhere but the page's own origin (data: and blob: are the page's own). */
  outside: string[];
  /** Console errors (a refusal of the page's security policy is one) and uncaught exceptions. */
  errors: string[];
}

/** Opens `url` and waits until every summary is a visible heading, or RENDER_MS passed. */
async function visit(page: Page, url: string, summaries: string[]): Promise<Visit> {
  const origin = new URL(url).origin;
  const outside: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const target = request.url();
    if (!/^(data|blob):/.test(target) && new URL(target).origin !== origin) outside.push(target);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load', timeout: RENDER_MS });
  // Redoc's operation heading: an aria-labelled share link, then the summary.
  const heading = (summary: string) =>
    page
      .locator('h2')
      .filter({ hasText: new RegExp(`^\\s*${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
      .first();
  await Promise.allSettled(summaries.map((s) => heading(s).waitFor({ state: 'visible', timeout: RENDER_MS })));
  const visible: string[] = [];
  for (const summary of summaries) if (await heading(summary).isVisible()) visible.push(summary);
  return { visible, outside, errors };
}

/** The reference pages in a real browser: Debian's Chromium, driven by playwright-core. */
describe('the reference pages in Chromium', () => {
  const start = useServerProcesses();

  it.each([
    ['contacts', '/docs'],
    ['sandbox', '/docs/sandbox'],
  ] as const)(
    'shows every operation summary of the %s document at %s, with no outside request and no error',
    async (document, path) => {
      const server = await start({ WA_DATA_DIR: 'memory', WA_ADMIN_PASSWORD: TEST_PASSWORD });
      // Closed before the server stops: its open keep-alive connections would hold the stop up.
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        const summaries = summariesOf(document);
        expect(await visit(page, `${server.url}${path}`, summaries)).toEqual({
          visible: summaries,
          outside: [],
          errors: [],
        });
      } finally {
        await browser.close();
      }
    },
    TIMEOUT,
  );

  it(
    'shows every operation summary from the spec package’s reference.html opened as a file',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        const summaries = summariesOf('contacts');
        const file = pathToFileURL(require.resolve('@wa-contacts/spec/reference.html')).href;
        const seen = await visit(page, file, summaries);
        expect({ visible: seen.visible, errors: seen.errors }).toEqual({ visible: summaries, errors: [] });
      } finally {
        await browser.close();
      }
    },
    TIMEOUT,
  );
});
