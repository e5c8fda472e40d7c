// How much the web app adds on top of the API for the compare page, in a real Chromium.
//
//   PITWALL_URL=http://127.0.0.1:8000 node e2e/bench.mjs [rounds]
//
// Baseline: inside the same page, the five API calls the compare page makes, fetched in
// parallel with the same token (network + server time). Measured: from the navigation's start
// to the frame in which the traces, the track map and the insights are all drawn (HTML, the
// app's code, the token check and rendering included). Both warm (one untimed round first).
// Prints one JSON line with medians and their ratio.
import { chromium } from 'playwright-core';

const baseUrl = (process.env.PITWALL_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const rounds = Number(process.argv[2] ?? 7);
const session = '/sessions/2024/Hungary/Q';
const pick = 'a=NOR&la=fastest&b=PIA&lb=fastest';

async function api(path, init = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const email = `bench-${Date.now()}@example.com`;
const password = 'Bench-Lap-2024!';
await api('/api/v1/auth/register', { method: 'POST', body: JSON.stringify({ email, password, display_name: 'Bench' }) });
const tokens = await api('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
// Timed inside the page (from navigation start to the frame where all three are drawn), so
// the driver's own round trips do not count.
await page.addInitScript(() => {
  const check = () => {
    const drawn = document.querySelector('.trace-chart svg path.delta')
      && document.querySelector('.track-colour path')
      && document.querySelector('[data-testid=insight-source]');
    if (drawn) window.__pitwallDrawnAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
});
await page.goto(`${baseUrl}/login`);
await page.evaluate(
  ([access, refresh]) => localStorage.setItem('pitwall.session', JSON.stringify({ access, refresh })),
  [tokens.access_token, tokens.refresh_token],
);

const apiPaths = [
  `/api/v1/telemetry${session}`,
  `/api/v1/telemetry${session}/laps`,
  `/api/v1/telemetry${session}/circuit`,
  `/api/v1/telemetry${session}/compare?driver_a=NOR&lap_a=fastest&driver_b=PIA&lap_b=fastest&channels=speed,throttle,brake,gear,x,y&points=600`,
  `/api/v1/analysis${session}/lap-comparison?driver_a=NOR&lap_a=fastest&driver_b=PIA&lap_b=fastest`,
];

async function apiRound() {
  return page.evaluate(async ([paths, token]) => {
    const started = performance.now();
    await Promise.all(paths.map(async (p) => {
      const response = await fetch(p, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${p}: ${response.status}`);
      await response.json();
    }));
    return performance.now() - started;
  }, [apiPaths, tokens.access_token]);
}

async function pageRound() {
  await page.goto(`${baseUrl}${session}/compare?${pick}`);
  await page.waitForFunction(() => window.__pitwallDrawnAt !== undefined, null, { timeout: 120_000 });
  return page.evaluate(() => window.__pitwallDrawnAt);
}

await apiRound();
await pageRound();
const apiTimes = [];
const pageTimes = [];
for (let i = 0; i < rounds; i++) {
  apiTimes.push(await apiRound());
  pageTimes.push(await pageRound());
}
await browser.close();
const apiMs = median(apiTimes);
const pageMs = median(pageTimes);
if (process.env.PITWALL_BENCH_VERBOSE) console.error({ apiTimes, pageTimes });
console.log(JSON.stringify({ rounds, api_ms: Math.round(apiMs), page_ms: Math.round(pageMs), ratio: +(pageMs / apiMs).toFixed(2) }));
