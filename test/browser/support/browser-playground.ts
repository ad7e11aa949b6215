import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { chromiumStatus, launchChromium } from './chromium.js';
import { PEOPLE, openPage } from './flows.js';
import { openPlayground, type OpenOptions, type PlaygroundSession } from './playground.js';

export interface ChromiumDescribeOptions {
  /** Print the reason in the run's output when Chromium is missing and the tests are skipped. Default true. */
  warnWhenSkipped?: boolean;
}

/**
 * A describe block for tests that need Chromium: on CI without Chromium it fails, elsewhere without
 * Chromium it is skipped with the reason; otherwise Chromium is launched once for the block and
 * `body` gets the running browser (valid from the block's tests and hooks on).
 */
export function describeInChromium(name: string, options: ChromiumDescribeOptions, body: (browser: () => Browser) => void): void {
  describe(name, () => {
    const chromium = chromiumStatus();
    if (chromium.kind === 'fail') {
      it('has Chromium to run in', () => {
        throw new Error(chromium.reason);
      });
      return;
    }
    if (chromium.kind === 'skip') {
      if (options.warnWhenSkipped ?? true) console.warn(`\n⚠️  ${chromium.reason}\n`);
      it.skip(chromium.reason, () => {});
      return;
    }

    let browser: Browser | undefined;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });
    body(() => {
      if (!browser) throw new Error('Chromium is not running yet: use the browser from a test or a hook');
      return browser;
    });
  });
}

export interface BrowserPlaygroundOptions extends OpenOptions {
  /** Who the page opens as. Default Ana. */
  as?: string;
}

export interface BrowserPlayground extends PlaygroundSession {
  /** The messages of the errors the page threw so far. */
  pageErrors: string[];
}

/** A fresh playground with a page on it, opened as `options.as`, recording the page's errors. */
export async function startBrowserPlayground(browser: Browser, options: BrowserPlaygroundOptions = {}): Promise<BrowserPlayground> {
  const { as = PEOPLE.ana, ...openOptions } = options;
  const session = await openPlayground(browser, openOptions);
  const pageErrors: string[] = [];
  session.page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await openPage(session.page, session.playground.url, as);
  } catch (error) {
    await session.close();
    throw error;
  }
  return { ...session, pageErrors };
}

export interface PlaygroundPerTestOptions extends BrowserPlaygroundOptions {
  /** Keep a full-page screenshot of a failed test (and its scratch folder), and print its path. Default true. */
  screenshotOnFailure?: boolean;
}

/**
 * A fresh playground page for each test of the block (see startBrowserPlayground), closed after
 * the test, which then fails if the page threw any error. The returned object holds the current
 * test's playground (it is filled in before each test).
 */
export function playgroundPerTest(browser: () => Browser, options: PlaygroundPerTestOptions = {}): Omit<BrowserPlayground, 'close'> {
  const { screenshotOnFailure = true, ...startOptions } = options;
  const current = {} as Omit<BrowserPlayground, 'close'>;
  let close: BrowserPlayground['close'] | undefined;

  beforeEach(async () => {
    const { close: closeSession, ...session } = await startBrowserPlayground(browser(), startOptions);
    Object.assign(current, session);
    close = closeSession;
  });

  afterEach(async (ctx: TestContext) => {
    if (!close) return; // It did not open: beforeEach has failed the test already.
    const closeSession = close;
    close = undefined;
    const failed = ctx.task.result?.state === 'fail';
    if (failed && screenshotOnFailure) {
      // What the page showed when the test failed; the folder is kept for the developer.
      const path = join(current.dir, `${ctx.task.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await current.page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`Screenshot of the failed test: ${path}`);
    }
    await closeSession({ keepDir: failed && screenshotOnFailure });
    expect(current.pageErrors).toEqual([]);
  });

  return current;
}
