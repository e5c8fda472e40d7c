// The API docs at /docs, as a developer uses them: Swagger UI loads with nothing from outside
// the gateway, Authorize signs in with the OAuth2 password flow (a user registered here), and
// a telemetry operation runs from the page and answers 200 with laps.
//
// Called from run.mjs with its step()/keep()/expect() and the browser context; uses a page of
// its own so the web app's page keeps its state.

const OPERATION = '#operations-telemetry-telemetry_get_laps';

export async function apiDocs({ context, state, step, keep, expect, baseUrl }) {
  const page = await context.newPage();
  const appPage = state.page;
  state.page = page; // a failing step's screenshot shows the docs
  const problems = [];
  const outside = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith('data:')) outside.push(url);
  });
  const email = `docs-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = 'Docs-Authorize-2024!';

  try {
    await step('api docs: Swagger UI loads from the gateway alone', [], async () => {
      const registered = await fetch(`${baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password, display_name: 'Docs Reader' }),
      });
      expect(registered.status === 201, `register answered ${registered.status}`);
      await page.goto(`${baseUrl}/docs`);
      await page.locator(OPERATION).waitFor();
      const locks = await page.locator('.opblock .authorization__btn').count();
      expect(locks >= 30, `only ${locks} operations show a lock`);
      expect(outside.length === 0, `requests left the gateway: ${outside.join(', ')}`);
    });

    await step('api docs: Authorize with the password flow', ['api docs: Swagger UI loads from the gateway alone'], async () => {
      await page.locator('.scheme-container button.authorize').click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      await dialog.waitFor();
      const flow = dialog.locator('.auth-container').filter({ hasText: 'OAuth2PasswordBearer (OAuth2, password)' });
      await flow.locator('#oauth_username').fill(email);
      await flow.locator('#oauth_password').fill(password);
      // Swagger labels its buttons for screen readers ("Apply credentials"), so by class and text.
      await flow.locator('button.authorize', { hasText: 'Authorize' }).click();
      await flow.locator('button', { hasText: 'Logout' }).waitFor();
      const errors = await flow.locator('.errors').allInnerTexts();
      expect(errors.length === 0, `sign-in error: ${errors.join(' ')}`);
      await flow.locator('button.btn-done', { hasText: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      const locked = await page.locator('.scheme-container button.authorize.locked').count();
      expect(locked === 1, 'the Authorize button does not show as authorized');
    });

    await step('api docs: run session laps of 2024 Hungary Q', ['api docs: Authorize with the password flow'], async () => {
      const operation = page.locator(OPERATION);
      await operation.locator('.opblock-summary-control').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      for (const [name, value] of [['year', '2024'], ['event', 'Hungary'], ['session', 'Q']]) {
        await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
      }
      const driver = operation.locator('tr[data-param-name="driver"]');
      await driver.getByRole('button', { name: 'Add string item' }).click();
      await driver.locator('input').first().fill('NOR');
      await operation.getByRole('button', { name: 'Execute' }).click();
      const live = operation.locator('.live-responses-table .response');
      await live.first().waitFor({ timeout: 45_000 });
      // Swagger UI highlights the body after the row appears; on a busy machine reading it at
      // once can catch it empty, so wait (bounded) for the laps before judging the text.
      const answer = live.first().locator('.response-col_description pre').first();
      await answer.filter({ hasText: '"lap_number"' }).waitFor({ timeout: 20_000 }).catch(() => {});
      const status = (await live.first().locator('.response-col_status').innerText()).trim();
      expect(status === '200', `Execute answered ${status}`);
      const curl = await operation.locator('.curl-command').innerText();
      expect(/Authorization: Bearer \S+/.test(curl), 'the request carried no bearer token');
      const body = await answer.innerText();
      expect(body.includes('"lap_number"') && body.includes('NOR'), `no laps in the answer: ${body.slice(0, 200)}`);
      expect(/[?&]driver=NOR\b/.test(curl), `the driver filter was not sent: ${curl}`);
      // The answer (status and body; not the curl line with its token), wherever it sits.
      const clip = await operation.locator('.live-responses-table').evaluate((element) => {
        const box = element.getBoundingClientRect();
        return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: Math.min(box.height, 700) };
      });
      await keep(page, 'api-docs-try-it-out', { fullPage: true, clip });
      expect(outside.length === 0, `requests left the gateway: ${outside.join(', ')}`);
      expect(problems.length === 0, `errors in the docs page (CSP?):\n${problems.join('\n')}`);
    }, 90_000);
  } finally {
    state.page = appPage;
    await page.close();
  }
}
