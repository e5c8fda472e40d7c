// End-to-end tests of the web app in Debian's Chromium against a running Pitwall stack.
//
//   PITWALL_URL=http://127.0.0.1:8000 npm run e2e
//
// The gateway must serve the built app (GATEWAY_STATIC_DIR=frontend/dist). Steps run in order
// as one user's journey; a step that fails makes the ones depending on it fail too. Screenshots
// go to frontend/test-artifacts/; with PITWALL_SCREENSHOTS_DIR=../docs/screenshots the ones the
// README shows are written there too. Exits non-zero when anything failed.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '..', 'test-artifacts');
const baseUrl = (process.env.PITWALL_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = Number(process.env.PITWALL_E2E_STEP_TIMEOUT_MS ?? 60_000);
const REPORT_TIMEOUT_MS = Number(process.env.PITWALL_E2E_REPORT_TIMEOUT_MS ?? 150_000);
const KEEP_DIR = process.env.PITWALL_SCREENSHOTS_DIR ? path.resolve(process.env.PITWALL_SCREENSHOTS_DIR) : null;
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

/** A screenshot the README shows: kept in docs/screenshots when asked to. */
async function keep(page, name, options = {}) {
  await shot(page, name, options);
  if (KEEP_DIR) {
    await mkdir(KEEP_DIR, { recursive: true });
    await copyFile(path.join(artifacts, `${name}.png`), path.join(KEEP_DIR, `${name}.png`));
  }
}

/** Save a download and return its name and text. */
async function savedDownload(page, trigger) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), trigger()]);
  const target = path.join(artifacts, file.suggestedFilename());
  await file.saveAs(target);
  return { name: file.suggestedFilename(), text: await readFile(target, 'utf8') };
}

async function openTab(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  // The choice goes through the router's URL (`?tab=`), rendered a moment after the click:
  // reading aria-selected at once raced that render.
  await page
    .getByRole('tab', { name, exact: true, selected: true })
    .waitFor({ timeout: 10_000 })
    .catch(() => expect(false, `tab ${name} is not selected`));
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
      const rows = page.getByRole('region', { name: 'Session results' }).locator('tbody tr');
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
      await keep(page, 'compare-laptop', { fullPage: true });
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

    await step('qualifying overview: gap to pole, segments, ideal laps', ['pick 2024 -> Hungarian Grand Prix -> Qualifying'], async () => {
      await page.goto(`${baseUrl}/sessions/2024/Hungary/Q`);
      await page.locator('.quali-gaps svg').waitFor();
      const bars = await page.locator('.quali-row').count();
      expect(bars === 20, `expected 20 drivers in the gap-to-pole chart, got ${bars}`);
      const first = await page.locator('.quali-row').first().getAttribute('data-driver');
      expect(first === 'NOR', `expected NOR on pole, got ${first}`);
      const segments = await page.getByRole('region', { name: 'Qualifying segments', exact: true }).innerText();
      expect(/Q1/.test(segments) && /Q3/.test(segments), `segments table: ${segments}`);
      await page.getByRole('region', { name: 'Best and ideal laps', exact: true }).waitFor();
      await page.getByRole('heading', { name: 'Compare two laps' }).waitFor();
      await keep(page, 'qualifying-laptop', { fullPage: true });
    });

    await step('race page: a session not stored yet shows its loading progress', ['log out and log in'], async () => {
      const token = await page.evaluate(() => JSON.parse(localStorage.getItem('pitwall.session')).access);
      const status = await fetch(`${baseUrl}/api/v1/telemetry/sessions/2018/Azerbaijan/R/status`, {
        headers: { Authorization: `Bearer ${token}` },
      }).then((r) => r.json());
      await page.goto(`${baseUrl}/sessions/2018/Azerbaijan/R`);
      if (status.state !== 'ready') {
        await page.getByRole('progressbar', { name: 'Loading the session' }).waitFor({ timeout: 10_000 });
        await keep(page, 'session-loading');
      }
      await page.getByRole('tab', { name: 'Overview' }).waitFor({ timeout: 120_000 });
    }, 150_000);

    await step('race page: overview with results, insights and a lap-time comparison', ['race page: a session not stored yet shows its loading progress'], async () => {
      await page.goto(`${baseUrl}/sessions/2018/Azerbaijan/R`);
      await openTab(page, 'Overview');
      const rows = page.getByRole('region', { name: 'Session results' }).locator('tbody tr');
      await rows.first().waitFor();
      expect((await rows.count()) === 20, `expected 20 classified drivers, got ${await rows.count()}`);
      expect((await rows.first().innerText()).includes('HAM'), 'HAM did not win 2018 Azerbaijan');
      await page.getByTestId('insight-source').first().waitFor();
      // No car telemetry in this session: drivers are compared lap by lap instead of traces.
      const summary = await page.getByTestId('lap-delta-summary').innerText();
      expect(/Over \d+ laps both timed/.test(summary), `lap-time comparison summary: ${summary}`);
      expect((await page.getByRole('button', { name: 'Compare laps' }).count()) === 0, 'a trace comparison is offered without telemetry');
      await keep(page, 'race-overview-laptop', { fullPage: true });
    });

    await step('race page: pace tab', ['race page: overview with results, insights and a lap-time comparison'], async () => {
      await openTab(page, 'Pace');
      await page.locator('.pace-box').first().waitFor();
      const boxes = await page.locator('.pace-box').count();
      expect(boxes >= 15, `expected a pace box per driver with clean laps, got ${boxes}`);
      const order = await page.locator('.pace-box').evaluateAll((els) => els.slice(0, 3).map((e) => e.dataset.driver));
      expect(order.join(',') === 'HAM,RAI,PER', `pace boxes are not in finishing order: ${order}`);
      const teams = await page.locator('.team-row').count();
      expect(teams === 10, `expected 10 teams ranked, got ${teams}`);
      await page.getByRole('region', { name: 'Team-mate pace', exact: true }).waitFor();
      await keep(page, 'race-pace-laptop', { fullPage: true });
    });

    await step('race page: strategy tab with the real cost of each stop', ['race page: overview with results, insights and a lap-time comparison'], async () => {
      await openTab(page, 'Strategy');
      await page.locator('.stint-bars svg').waitFor();
      const stops = page.locator('table.pit-stops tbody tr');
      await stops.first().waitFor();
      const text = await page.locator('table.pit-stops').innerText();
      expect(/not measurable/.test(text), 'no stop is marked as not measurable (the safety-car stops)');
      expect(/\+\d+\.\d{3} s/.test(text), 'no stop has a measured time loss');
      await page.locator('.deg-stint').first().waitFor();
      await keep(page, 'race-strategy-laptop', { fullPage: true });
    });

    await step('race page: race trace, highlight a driver, download the trace as CSV', ['race page: overview with results, insights and a lap-time comparison'], async () => {
      await openTab(page, 'Race trace');
      await page.locator('.race-trace svg').waitFor();
      const before = await page.locator('.race-trace g.series.on').count();
      await page.getByRole('button', { name: 'VET', exact: true }).first().click();
      expect(await page.getByRole('button', { name: 'VET', exact: true }).first().getAttribute('aria-pressed') === 'true', 'VET not highlighted');
      await page.locator('.race-trace g.series.on[data-driver="VET"]').waitFor();
      const after = await page.locator('.race-trace g.series.on').count();
      expect(after === before + 1, `highlighting VET: ${before} -> ${after} highlighted lines`);
      const bands = await page.locator('.race-trace .band').count();
      expect(bands >= 1, 'no safety-car period shaded in 2018 Azerbaijan');
      await page.locator('.race-trace svg').hover({ position: { x: 400, y: 100 } });
      const readout = await page.locator('.race-trace .trace-readout').innerText();
      expect(/Lap \d+: .*VET P\d+/.test(readout), `hover readout: ${readout}`);
      await page.locator('.positions-chart svg').waitFor();
      await keep(page, 'race-trace-laptop', { fullPage: true });
      const [png] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.getByRole('button', { name: 'Download Race trace as PNG' }).click(),
      ]);
      const pngPath = path.join(artifacts, 'race-trace.png');
      await png.saveAs(pngPath);
      expect((await readFile(pngPath)).subarray(1, 4).toString() === 'PNG', 'the race trace download is not a PNG');
      const plain = await savedDownload(page, () => page.getByRole('button', { name: 'Download race trace as CSV' }).click());
      expect(plain.name.endsWith('.csv'), `CSV saved as ${plain.name}`);
      expect(/^driver,lap_number,position/.test(plain.text), `CSV header: ${plain.text.slice(0, 200)}`);
      expect(plain.text.trim().split('\n').length > 500, 'the race trace CSV is too short');
      await page.getByLabel('Column names for the race trace CSV').selectOption('fastf1');
      const fastf1 = await savedDownload(page, () => page.getByRole('button', { name: 'Download race trace as CSV' }).click());
      const header = fastf1.text.split('\n')[0].slice(0, 200);
      expect(/Driver/.test(header) && /LapNumber/.test(header) && /Position/.test(header), `FastF1 CSV header: ${header}`);
    }, 120_000);

    await step('sprint page: 2025 Miami', ['log out and log in'], async () => {
      await page.goto(`${baseUrl}/sessions/2025/Miami/S`);
      await page.getByRole('tab', { name: 'Overview' }).waitFor({ timeout: 120_000 });
      const rows = page.getByRole('region', { name: 'Session results' }).locator('tbody tr');
      await rows.first().waitFor();
      expect((await rows.count()) >= 18, `expected the sprint classification, got ${await rows.count()} rows`);
      await openTab(page, 'Race trace');
      await page.locator('.race-trace svg').waitFor();
      await openTab(page, 'Pace');
      await page.locator('.pace-box').first().waitFor();
      await keep(page, 'sprint-pace-laptop', { fullPage: true });
      await openTab(page, 'Strategy');
      await page.locator('.stint-bars svg').waitFor();
    }, 150_000);

    await step('practice page: 2020 Hungary FP2 compares lap times and exports laps with FastF1 names', ['log out and log in'], async () => {
      await page.goto(`${baseUrl}/sessions/2020/Hungary/FP2`);
      await page.getByRole('heading', { name: 'Compare two drivers lap by lap' }).waitFor({ timeout: 120_000 });
      await page.getByTestId('lap-delta-summary').waitFor();
      expect((await page.getByRole('tablist').count()) === 0, 'a practice session shows race tabs');
      await page.getByLabel('Column names for the laps CSV').selectOption('fastf1');
      const laps = await savedDownload(page, () => page.getByRole('button', { name: 'Download laps as CSV' }).click());
      const header = laps.text.split('\n')[0];
      expect(['Driver', 'LapNumber', 'LapTime', 'Compound'].every((c) => header.split(',').includes(c)), `FastF1 laps CSV header: ${header.slice(0, 200)}`);
      expect(laps.name.endsWith('.csv'), `laps CSV saved as ${laps.name}`);
      await keep(page, 'practice-laptop', { fullPage: true });
    }, 150_000);

    await step('phone layout: race page tabs', ['race page: overview with results, insights and a lap-time comparison'], async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${baseUrl}/sessions/2018/Azerbaijan/R?tab=trace`);
      await page.locator('.race-trace svg').waitFor();
      await noHorizontalOverflow(page);
      await keep(page, 'race-trace-phone', { fullPage: true });
      await openTab(page, 'Strategy');
      await page.locator('table.pit-stops').waitFor();
      await noHorizontalOverflow(page);
      await keep(page, 'race-strategy-phone', { fullPage: true });
      await page.setViewportSize(LAPTOP);
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
      await keep(page, 'compare-phone', { fullPage: true });
      await page.goto(`${baseUrl}/sessions/2024/Hungary/Q`);
      await page.locator('table.results tbody tr').first().waitFor();
      await noHorizontalOverflow(page);
      await shot(page, '11-session-phone');
      await page.setViewportSize(LAPTOP);
    });

    await (await import('./ask.mjs')).askSteps({ step, page, baseUrl, keep, expect, noHorizontalOverflow, LAPTOP, PHONE, state });
    await (await import('./apidocs.mjs')).apiDocs({ context, state, step, keep, expect, baseUrl });

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
  // The runner prints the failures again after the services' log tails, where CI's tail sees them.
  await writeFile(path.join(artifacts, 'results.json'), JSON.stringify(results, null, 2));
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
