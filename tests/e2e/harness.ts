// Browser-test harness: playwright-core driving Debian's Chromium (no browser download), a fresh profile per
// session, login through the real console login page, and a watch on the page that fails the test on any
// uncaught page error or failed API call the test did not expect. Screenshots on failure go to screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot, sandboxUser } from '../sandbox/src/env.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(repoRoot, 'screenshots');

/** The selector of the element our pages mark with `data-testid={id}`. */
export const byId = (id: string): string => `[data-testid="${id}"]`;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Not ours: noise of the production console (console-local.md §9) and console pages' calls the sandbox's
 * ks-apiserver stand-in does not serve yet (reported to its owner; remove when it does).
 */
const KNOWN_CONSOLE_NOISE = [
  /already declared as an observer component/i,
  /^404 GET \/clusters\/[^/]+\/kapis\/resources\.kubesphere\.io\/v1alpha3\/metrics/,
];

export interface Problem {
  kind: 'pageerror' | 'requestfailed' | 'http';
  text: string;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Every problem seen so far (expected or not). */
  problems: Problem[];
  /** Problems not matched by `expect`; a test asserts this is empty (see `assertClean`). */
  unexpected(): Problem[];
  /** Allows problems whose text matches (e.g. a 403 the test provokes). */
  expect(pattern: RegExp): void;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Browser language; the console picks its language from it when the user has none set. */
  locale?: 'en-US' | 'zh-CN';
  viewport?: { width: number; height: number };
}

export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-chromium-'));
  const locale = opts.locale ?? 'en-US';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--lang=${locale}`],
    locale,
    viewport: opts.viewport ?? { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: Problem[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (error) =>
    problems.push({ kind: 'pageerror', text: `${error.name}: ${error.message}` }),
  );
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // Navigations away from a page abort its pending requests; that is not a failed API call.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push({ kind: 'requestfailed', text: `${request.method()} ${request.url()} ${failure}` });
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    const isApi =
      /^\/(clusters\/[^/]+\/)?(api|apis|kapis)\//.test(url.pathname) || url.pathname.startsWith('/pstatic/');
    if (isApi && response.status() >= 400) {
      problems.push({
        kind: 'http',
        text: `${response.status()} ${response.request().method()} ${url.pathname}${url.search}`,
      });
    }
  });
  const isNoise = (p: Problem) => KNOWN_CONSOLE_NOISE.some((re) => re.test(p.text));
  return {
    context,
    page,
    problems,
    unexpected: () => problems.filter((p) => !isNoise(p) && !allowed.some((re) => re.test(p.text))),
    expect: (pattern) => void allowed.push(pattern),
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the real login page as a sandbox user; resolves when the console has left /login. */
export async function login(session: Session, consoleUrl: string, username: string): Promise<void> {
  const { page } = session;
  const user = sandboxUser(username);
  await page.goto(`${consoleUrl}/login`, { waitUntil: 'domcontentloaded' });
  // The login inputs have no name attributes (console-local.md §5).
  await page.locator('input[placeholder="user@example.com"]').fill(user.name, { timeout: 30_000 });
  await page.locator('input[type="password"]').fill(user.password);
  await page.locator('input[type="password"]').press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
}

/**
 * Runs `fn` with a fresh logged-in session; on failure saves `screenshots/<name>.png` and adds the page's
 * problems to the error. Afterwards fails if the page had an unexpected error or failed API call.
 */
export async function withSession<T>(
  name: string,
  opts: SessionOptions & { consoleUrl: string; user: string },
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(opts);
  try {
    await login(session, opts.consoleUrl, opts.user);
    const result = await fn(session);
    const unexpected = session.unexpected();
    if (unexpected.length)
      throw new Error(
        `unexpected problems on the page:\n${unexpected.map((p) => `  ${p.kind}: ${p.text}`).join('\n')}`,
      );
    return result;
  } catch (error) {
    let shot = '';
    try {
      shot = await session.screenshot(`${name}-failure`);
    } catch {
      // the page may be gone
    }
    const problems = session.problems.map((p) => `  ${p.kind}: ${p.text}`).join('\n');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${name}: ${message}${shot ? `\nscreenshot: ${shot}` : ''}${problems ? `\npage problems:\n${problems}` : ''}`,
      {
        cause: error,
      },
    );
  } finally {
    await session.close();
  }
}
