// Browser steps for the Ask panel, run by run.mjs inside its journey (same page, same user).
//
// The browser-test stack has no model configured, so the rule-based answerer answers: the
// steps check its answers against what the API itself computes from the same session.

/** The fastest lap of each driver in a session, from the API's laps table. */
async function fastestLaps(baseUrl, token, key) {
  const response = await fetch(`${baseUrl}/api/v1/telemetry/sessions/${key}/laps`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`laps answered ${response.status}`);
  const { laps } = await response.json();
  const best = new Map();
  laps.driver.forEach((driver, i) => {
    const time = laps.lap_time_s[i];
    if (time === null || laps.deleted?.[i]) return;
    if (!best.has(driver) || time < best.get(driver)) best.set(driver, time);
  });
  return best;
}

/** Both ways the answers may write a lap time: 1:15.227 or 75.227 s. */
function lapTimePattern(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = (seconds - minutes * 60).toFixed(3).padStart(6, '0');
  return new RegExp(`${minutes}:${rest.replace('.', '\\.')}|${seconds.toFixed(3).replace('.', '\\.')}`);
}

async function newestAnswer(page, question) {
  const card = page.getByTestId('answer').filter({ has: page.getByRole('heading', { name: question, exact: true }) });
  await card.waitFor({ timeout: 60_000 });
  return card;
}

export async function askSteps({ step, page, baseUrl, keep, expect, noHorizontalOverflow, LAPTOP, PHONE, state }) {
  const session = '2024/Hungary/Q';

  await step('ask: who was fastest, answered by the rules from the session’s laps', ['log out and log in'], async () => {
    await page.setViewportSize(LAPTOP);
    await page.goto(`${baseUrl}/sessions/${session}`);
    const panel = page.getByRole('region', { name: 'Ask about this session' });
    await panel.waitFor({ timeout: 120_000 });
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('pitwall.session')).access);
    const best = await fastestLaps(baseUrl, token, session);
    const [driver, time] = [...best.entries()].sort((a, b) => a[1] - b[1])[0];
    state.askBest = best;

    // By keyboard: type the question and press Enter. The answer must come over the event
    // stream, not the plain request the panel falls back to.
    const asked = [];
    const record = (request) => {
      if (request.url().includes('/api/v1/analysis/ask')) asked.push(new URL(request.url()).pathname);
    };
    page.on('request', record);
    const streamed = page.waitForResponse((r) => r.url().endsWith('/api/v1/analysis/ask/stream'));
    await panel.getByLabel('Your question').fill('Who was fastest?');
    await panel.getByLabel('Your question').press('Enter');
    const stream = await streamed;
    expect(/text\/event-stream/.test(stream.headers()['content-type'] ?? ''), `stream content type: ${stream.headers()['content-type']}`);
    const card = await newestAnswer(page, 'Who was fastest?');
    page.off('request', record);
    expect(asked.join(',') === '/api/v1/analysis/ask/stream', `ask requests: ${asked.join(', ')}`);
    const badge = await card.getByTestId('answerer').innerText();
    expect(/rules/i.test(badge), `answerer badge: ${badge}`);
    const text = await card.locator('.answer-text').innerText();
    expect(text.includes(driver), `expected ${driver} in the answer: ${text}`);
    expect(lapTimePattern(time).test(text), `expected ${time} s in the answer: ${text}`);
    expect((await card.locator('.tool-call').count()) > 0, 'the answer lists no tool calls');
    expect(/conversation=/.test(page.url()), `the conversation is not in the address: ${page.url()}`);
  });

  await step('ask: compare NOR and PIA, then open the compare page from a tool call', ['ask: who was fastest, answered by the rules from the session’s laps'], async () => {
    const panel = page.getByRole('region', { name: 'Ask about this session' });
    // Typed: the examples name the user's favourite drivers first, which earlier steps chose.
    await panel.getByLabel('Your question').fill('Compare NOR and PIA');
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    const card = await newestAnswer(page, 'Compare NOR and PIA');
    expect(/rules/i.test(await card.getByTestId('answerer').innerText()), 'the comparison was not answered by the rules');
    const text = await card.locator('.answer-text').innerText();
    const gap = Math.abs(state.askBest.get('NOR') - state.askBest.get('PIA')).toFixed(3);
    expect(text.includes('NOR') && text.includes('PIA'), `both drivers should be named: ${text}`);
    expect(text.includes(gap), `expected the ${gap} s gap in the answer: ${text}`);
    // Answers sit newest first, under the question box.
    const questions = await panel.locator('.answer-question').allInnerTexts();
    expect(questions.join(' | ') === 'Compare NOR and PIA | Who was fastest?', `answer order: ${questions}`);
    state.askConversation = new URL(page.url()).searchParams.get('conversation');
    await page.mouse.move(0, 0); // no hover outline on the example just clicked
    await keep(page, 'ask-laptop');

    const link = card.locator('.tool-call a[href*="/compare?"]').first();
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: 'NOR vs PIA: traces' }).waitFor();
    await page.locator('.trace-chart svg path.delta').waitFor();
  }, 120_000);

  await step('ask on a race page: what a driver’s pit stops cost, as the strategy analysis measured it', ['log out and log in'], async () => {
    await page.goto(`${baseUrl}/sessions/2018/Azerbaijan/R?tab=ask`);
    const panel = page.getByRole('region', { name: 'Ask about this session' });
    await panel.waitFor({ timeout: 120_000 });
    const example = panel.getByRole('button', { name: /pit stops cost\?$/ });
    const question = await example.innerText();
    const driver = question.match(/^What did (\w+)'s/)[1];
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('pitwall.session')).access);
    const strategy = await fetch(`${baseUrl}/api/v1/analysis/sessions/2018/Azerbaijan/R/strategy`, {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json());
    const measured = strategy.facts.pit_stops.filter((s) => s.driver === driver && s.time_loss_s !== null);
    expect(measured.length > 0, `no measured pit stop for ${driver}`);
    await example.click();
    const card = await newestAnswer(page, question);
    expect(/rules/i.test(await card.getByTestId('answerer').innerText()), 'the pit-stop question was not answered by the rules');
    const text = await card.locator('.answer-text').innerText();
    for (const stop of measured) {
      expect(text.includes(stop.time_loss_s.toFixed(3)), `expected ${driver}'s lap ${stop.in_lap} stop cost ${stop.time_loss_s} s in: ${text}`);
    }
  }, 150_000);

  await step('ask: the conversation on a phone', ['ask: compare NOR and PIA, then open the compare page from a tool call'], async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${baseUrl}/sessions/${session}?conversation=${state.askConversation}`);
    await newestAnswer(page, 'Compare NOR and PIA');
    await newestAnswer(page, 'Who was fastest?');
    await noHorizontalOverflow(page);
    await keep(page, 'ask-phone');
    await page.goto(`${baseUrl}/conversations`);
    await page.getByRole('list', { name: 'Conversations' }).waitFor();
    await noHorizontalOverflow(page);
    await page.setViewportSize(LAPTOP);
  });

  await step('ask: conversations list, open and delete', ['ask: compare NOR and PIA, then open the compare page from a tool call'], async () => {
    await page.goto(`${baseUrl}/conversations`);
    const rows = page.locator('.conversation-row');
    await rows.first().waitFor();
    const before = await rows.count();
    const hungary = rows.filter({ has: page.getByRole('heading', { name: 'Who was fastest?', exact: true }) });
    expect((await hungary.count()) === 1, 'the Hungary conversation is not listed once');
    const summary = await hungary.innerText();
    expect(/2 answers/.test(summary), `conversation summary: ${summary}`);
    const open = hungary.locator('button[aria-expanded]');
    expect(/^Open /.test(await open.getAttribute('aria-label')), 'the conversation does not offer Open');
    await open.focus();
    await page.keyboard.press('Enter');
    await hungary.getByTestId('answer').nth(1).waitFor();
    expect(await open.getAttribute('aria-expanded') === 'true', 'the opened conversation is not marked expanded');
    page.once('dialog', (dialog) => void dialog.accept());
    await hungary.getByRole('button', { name: /^Delete / }).click();
    await hungary.waitFor({ state: 'detached' });
    await page.reload();
    await rows.first().waitFor();
    expect((await rows.count()) === before - 1, `after deleting one of ${before} conversations, ${await rows.count()} are left`);
    expect((await hungary.count()) === 0, 'the deleted conversation is back after a reload');
  });
}
