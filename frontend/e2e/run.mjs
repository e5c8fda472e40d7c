// End-to-end tests of the web app in Debian's Chromium against a running Pitwall stack.
//
//   PITWALL_URL=http://127.0.0.1:8000 npm run e2e
//
// The gateway must serve the built app (GATEWAY_STATIC_DIR=frontend/dist). Steps run in order
// as one user's journey; a step that fails makes the ones depending on it fail too. Screenshots
// go to frontend/test-artifacts/. Exits non-zero when anything failed.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '..', 'test-artifacts');
const baseUrl = (process.env.PITWALL_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = Number(process.env.PITWALL_E2E_STEP_TIMEOUT_MS ?? 60_000);
const REPORT_TIMEOUT_MS = Number(process.env.PITWALL_E2E_REPORT_TIMEOUT_MS ?? 150_000);
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const results = [];
const state = {};

async function step(name, needs, body, timeoutMs = STEP_TIMEOUT_MS) {
  const missing = needs.filter((n) => !results.find((r) => r.name === n && r.ok));
  if (missing.length) {
    results.push({ name, ok: false, error: `skipped: needs ${missing.join(', ')}` });
    console.log(`✗ ${name} (skipped: needs ${missing.join(', ')})`);
    return;
  }
  const started = Date.now();
  let timer;
  try {
    await Promise.race([
      body(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    results.push({ name, ok: true });
    console.log(`✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, error: String(error?.stack ?? error) });
    console.log(`✗ ${name}\n    ${String(error?.message ?? error).split('\n').join('\n    ')}`);
    await shot(state.page, `FAILED-${slug(name)}`).catch(() => {});
  } finally {
    clearTimeout(timer);
  }
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function shot(page, name, options = {}) {
  if (!page) return;
  // A sticky header and a focused skip link would otherwise land mid-picture.
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), ...options });
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function noHorizontalOverflow(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll <= width + 1, `page is ${scroll}px wide in a ${width}px viewport`);
}

async function main() {
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  const health = await fetch(`${baseUrl}/healthz`).catch((error) => error);
  if (!(health instanceof Response) || !health.ok) {
    console.error(`The gateway at ${baseUrl} is not answering /healthz: ${health}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }

  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: LAPTOP, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  state.page = page;
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));

  const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = 'Grid-Walk-2024!';

  try {
    await step('unknown visitors are sent to log in', [], async () => {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { name: 'Log in to Pitwall' }).waitFor();
      await shot(page, '01-login');
    });

    await step('a wrong password shows the server’s problem detail', ['unknown visitors are sent to log in'], async () => {
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByLabel('Password').fill('Wrong-password-1');
      await page.getByRole('button', { name: 'Log in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(/password|credentials|email/i.test(text), `unexpected error text: ${text}`);
    });

    await step('register', ['unknown visitors are sent to log in'], async () => {
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Display name').fill('E2E Driver');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await shot(page, '02-register');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Explore a session' }).waitFor();
    });

    await step('log out and log in', ['register'], async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in to Pitwall' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Explore a session' }).waitFor();
      expect((await page.locator('.user-name').innerText()) === 'E2E Driver', 'display name not shown');
    });

    await step('pick 2024 -> Hungarian Grand Prix -> Qualifying', ['log out and log in'], async () => {
      await page.getByLabel('Season', { exact: true }).selectOption('2024');
      const event = page.getByLabel('Grand Prix', { exact: true });
      await page.locator('#event option', { hasText: 'Hungarian Grand Prix' }).waitFor({ state: 'attached' });
      const value = await page
        .locator('#event option', { hasText: 'Hungarian Grand Prix' })
        .getAttribute('value');
      await event.selectOption(value);
      await page.getByLabel('Session', { exact: true }).selectOption('Q');
      await shot(page, '03-explore');
      await page.getByRole('button', { name: 'Open session' }).click();
      await page.getByRole('heading', { name: 'Results' }).waitFor();
      const rows = page.locator('table.results tbody tr');
      await rows.first().waitFor();
      expect((await rows.count()) === 20, `expected 20 classified drivers, got ${await rows.count()}`);
      const first = await rows.first().innerText();
      expect(first.includes('NOR'), `expected NOR on pole, first row: ${first}`);
      await page.locator('.lap-chart svg').first().waitFor();
      await shot(page, '04-session', { fullPage: true });
    });

    await step('compare NOR and PIA', ['pick 2024 -> Hungarian Grand Prix -> Qualifying'], async () => {
      await page.getByLabel('Driver A', { exact: true }).selectOption('NOR');
      await page.getByLabel('Driver B', { exact: true }).selectOption('PIA');
      await page.getByRole('button', { name: 'Compare laps' }).click();
      await page.getByRole('heading', { name: 'NOR vs PIA: traces' }).waitFor();
      await page.locator('.trace-chart svg path.delta').waitFor();
      const traces = await page.locator('.trace-chart svg path.trace').count();
      expect(traces === 7, `expected 7 trace lines (3 channels x 2 laps + delta), got ${traces}`);
      await page.locator('.track-colour path').first().waitFor();
      const summary = await page.locator('.lap-summary').innerText();
      expect(/1:1\d\.\d{3}/.test(summary), `lap times missing from summary: ${summary}`);
      // Keyboard: focus the chart and move the cursor to the finish line.
      await page.locator('.trace-chart svg').focus();
      await page.keyboard.press('End');
      const readout = await page.locator('.trace-readout').innerText();
      expect(/km\/h/.test(readout) && /Δ/.test(readout), `readout did not follow the keyboard: ${readout}`);
      await page.keyboard.press('Escape');
    });

    await step('read insights', ['compare NOR and PIA'], async () => {
      const source = page.getByTestId('insight-source');
      await source.waitFor();
      const text = await source.innerText();
      expect(/model|deterministic/i.test(text), `insight source not shown: ${text}`);
      const items = await page.locator('.insight-list li').count();
      expect(items > 0, 'no insights listed');
      state.insightSource = text;
      await shot(page, '05-compare-laptop', { fullPage: true });
      await page.getByLabel('Speed', { exact: true }).check();
      await page.locator('.ramp-legend').waitFor();
      await shot(page, '05b-track-map-speed', { fullPage: true });
      await page.getByLabel('Who is faster').check();
    });

    await step('download a server-drawn chart', ['compare NOR and PIA'], async () => {
      const button = page.getByRole('button', { name: 'Download Speed trace as PNG' });
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
      const target = path.join(artifacts, 'speed-trace.png');
      await file.saveAs(target);
      const bytes = await readFile(target);
      expect(bytes.subarray(1, 4).toString() === 'PNG', 'the chart download is not a PNG');
    }, 90_000);

    await step('create a report, watch its progress and download it', ['compare NOR and PIA'], async () => {
      await page.getByRole('button', { name: 'Create PDF report' }).click();
      await page.getByRole('progressbar').waitFor();
      const download = page.getByRole('button', { name: 'Download PDF' });
      // Rendering the PDF (charts + WeasyPrint) takes seconds, more on a busy machine.
      await download.waitFor({ timeout: REPORT_TIMEOUT_MS });
      const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
      const target = path.join(artifacts, 'report.pdf');
      await file.saveAs(target);
      const bytes = await readFile(target);
      expect(bytes.subarray(0, 5).toString() === '%PDF-', 'the download is not a PDF');
      expect(bytes.length > 10_000, `the PDF is suspiciously small (${bytes.length} bytes)`);
      await shot(page, '06-report-ready');
    }, REPORT_TIMEOUT_MS + 15_000);

    await step('my reports lists the report', ['create a report, watch its progress and download it'], async () => {
      await page.getByRole('link', { name: 'My reports' }).first().click();
      await page.getByRole('heading', { name: 'My reports' }).waitFor();
      await page.locator('.report-row').first().waitFor();
      const rows = await page.locator('.report-row').count();
      expect(rows === 1, `expected one report, got ${rows}`);
      await page.getByRole('button', { name: 'Download PDF' }).waitFor();
      await shot(page, '07-reports');
    });

    await step('preferences are saved and kept', ['log out and log in'], async () => {
      await page.getByRole('link', { name: 'Preferences' }).click();
      await page.getByLabel('Dark').check();
      await page.getByLabel('Driver code').fill('pia');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByText('Saved.').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Preferences' }).waitFor();
      await page.getByRole('button', { name: 'Remove PIA' }).waitFor();
      expect(await page.getByLabel('Dark').isChecked(), 'dark style not kept after reload');
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      expect(theme === 'dark', `app theme is ${theme}`);
      await shot(page, '08-preferences-dark');
    });

    await step('a missing session shows the problem detail', ['log out and log in'], async () => {
      await page.goto(`${baseUrl}/sessions/2024/Atlantis/Q`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.length > 20 && !/undefined|\[object/i.test(text), `unhelpful error: ${text}`);
      // A 404 is not worth retrying: the page offers another session instead.
      expect((await page.getByRole('button', { name: 'Try again' }).count()) === 0, 'retry offered for a 404');
      await page.getByRole('link', { name: 'Choose another session' }).waitFor();
      await shot(page, '09-error');
    });

    await step('keyboard: skip link and labelled controls', ['log out and log in'], async () => {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { name: 'Explore a session' }).waitFor();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent);
      expect(focused === 'Skip to content', `first Tab focused "${focused}"`);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, button')].filter((el) => {
          const labelled = el.labels?.length || el.getAttribute('aria-label') || el.textContent?.trim();
          return !labelled;
        }).length,
      );
      expect(unlabelled === 0, `${unlabelled} controls without a label`);
    });

    await step('phone layout: no sideways scrolling', ['compare NOR and PIA'], async () => {
      await page.setViewportSize(PHONE);
      // Back to the light style so the phone shots match the laptop ones.
      await page.goto(`${baseUrl}/preferences`);
      await page.getByLabel('Light').check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByText('Saved.').waitFor();
      await page.goto(`${baseUrl}/sessions/2024/Hungary/Q/compare?a=NOR&la=fastest&b=PIA&lb=fastest`);
      await page.locator('.trace-chart svg path.delta').waitFor();
      await page.getByTestId('insight-source').waitFor();
      await noHorizontalOverflow(page);
      await shot(page, '10-compare-phone', { fullPage: true });
      await page.goto(`${baseUrl}/sessions/2024/Hungary/Q`);
      await page.locator('table.results tbody tr').first().waitFor();
      await noHorizontalOverflow(page);
      await shot(page, '11-session-phone');
      await page.setViewportSize(LAPTOP);
    });

    await step('no uncaught errors in the page', [], async () => {
      expect(consoleErrors.length === 0, `page errors:\n${consoleErrors.join('\n')}`);
    });
  } finally {
    await browser.close();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (state.insightSource) console.log(`insights: ${state.insightSource}`);
  console.log(`screenshots: ${artifacts}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
