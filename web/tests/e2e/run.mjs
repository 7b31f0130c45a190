// The web player end to end, in Debian's Chromium driven headless by playwright-core, against
// a real `tta serve` on a free port with a fresh data directory: sign up -> onboarding ->
// character -> world -> ten turns mixing typed commands and choices (by key and by click) ->
// reload and resume -> a second tab rebuilt from the stream -> a crisis input shows the
// resources -> "I need help now" offline -> quit -> progress shows the session and its summary
// -> settings. Every screen gets an axe-core audit (no serious or critical violations) and
// screenshots at phone (360 px) and desktop sizes, kept in the output directory.
//
//   node tests/e2e/run.mjs --tta PATH/TO/tta --out DIR [--chromium /usr/bin/chromium]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webRoot = resolve(here, '../..');
const repoRoot = resolve(webRoot, '..');
const { values: args } = parseArgs({
  options: {
    tta: { type: 'string' },
    out: { type: 'string', default: join(repoRoot, 'build', 'web-e2e') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    // Play against a server that is already running (e.g. `npm run dev`) instead of starting one.
    url: { type: 'string' },
  },
});
if (!args.tta && !args.url) throw new Error('usage: run.mjs --tta PATH/TO/tta --out DIR (or --url http://...)');
const webDist = join(webRoot, 'dist');
if (!args.url && !existsSync(join(webDist, 'index.html'))) throw new Error(`${webDist} has no build; run scripts/web.sh`);
if (!existsSync(args.chromium)) throw new Error(`${args.chromium} is missing; run scripts/setup.sh (Debian package chromium)`);
mkdirSync(args.out, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const TIMEOUT = 20000;
const failures = [];
let checks = 0;

function step(name) {
  console.log(`-- ${name}`);
}

function expect(ok, message) {
  checks += 1;
  if (!ok) throw new Error(message);
}

// axe-core on the page as it is; CDP evaluation is not bound by the page's CSP.
async function audit(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  checks += 1;
  for (const v of bad) {
    failures.push(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  }
  const minor = result.violations.length - bad.length;
  console.log(`   axe: ${bad.length} serious/critical, ${minor} minor`);
}

// Audits the screen, then saves it at desktop and phone sizes; at 360 px nothing may need
// sideways scrolling. The play screen is shot as the player sees it (its command box stays at
// the bottom of the window); the others whole.
async function screen(page, name) {
  await audit(page, name);
  const fullPage = !name.includes('play');
  await page.screenshot({ path: join(args.out, `${name}-desktop.png`), fullPage });
  await page.setViewportSize(PHONE);
  if (!fullPage) await page.evaluate(() => (document.querySelector('.story .crisis h2') ?? document.querySelector('.story > :last-child'))?.scrollIntoView({ block: 'nearest' }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) failures.push(`${name}: ${overflow}px wider than a 360px screen`);
  await audit(page, `${name} (phone)`);
  await page.screenshot({ path: join(args.out, `${name}-phone.png`), fullPage });
  await page.setViewportSize(DESKTOP);
}

const completeTurns = (page) => page.locator('.story article.turn[data-kind]').count();

async function waitForTurns(page, n) {
  await page.waitForFunction((want) => document.querySelectorAll('.story article.turn[data-kind]').length >= want, n, { timeout: TIMEOUT });
}

async function say(page, text) {
  const before = await completeTurns(page);
  await page.locator('#command').fill(text);
  await page.locator('#command').press('Enter');
  await waitForTurns(page, before + 1);
  const lastText = await page.locator('.story article.turn[data-kind]').last().innerText();
  // The announcement is the story's answer, not the player's own words.
  await page.waitForFunction(() => document.getElementById('announcer').textContent.length > 0, null, { timeout: TIMEOUT });
  const announced = await page.locator('#announcer').textContent();
  expect(!announced.includes(`> ${text}`), `the announcement echoed the command "${text}"`);
  expect(announced.startsWith(lastText.split('\n')[0].slice(0, 40)), `announced "${announced.slice(0, 80)}" for a turn reading "${lastText.slice(0, 80)}"`);
  return lastText;
}

async function chooseByKey(page, n) {
  await page.locator('.choices button').first().waitFor({ timeout: TIMEOUT });
  const before = await completeTurns(page);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press(String(n));
  await waitForTurns(page, before + 1);
}

async function chooseByClick(page, n) {
  await page.locator(`.choices button[data-choice="${n}"]`).waitFor({ timeout: TIMEOUT });
  const before = await completeTurns(page);
  await page.locator(`.choices button[data-choice="${n}"]`).click();
  await waitForTurns(page, before + 1);
}

const server = args.url ? { url: args.url, output: [], stop: async () => {} } : await startServer({ tta: resolve(args.tta), repoRoot, webDist });
const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce', serviceWorkers: 'allow' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) failures.push(`console error: ${m.text()}`);
  });
  const username = `player${Date.now() % 1e9}`;

  step('sign up, with the consent note');
  await page.goto(server.url + '/');
  await page.waitForURL('**/signup');
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  expect(await page.getByText('not a substitute for professional care').count() > 0, 'no plain-language care note on sign-up');
  await screen(page, '01-signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByRole('alert').filter({ hasText: 'tick the box' }).waitFor();
  await page.getByLabel('I have read what TTA is').check();
  await page.getByRole('button', { name: 'Create my account' }).click();

  step('onboarding in three steps');
  await page.waitForURL('**/welcome');
  await page.getByRole('heading', { name: 'What would you like help with?' }).waitFor();
  await page.getByLabel(/^Anxiety/).check();
  await screen(page, '02-onboarding-goals');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'How would you like to practise?' }).waitFor();
  await page.getByLabel(/^Mindfulness/).check();
  await page.getByLabel(/^Gentle/).check();
  await screen(page, '03-onboarding-approaches');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: /steer clear/ }).waitFor();
  await page.getByLabel('Cold water').check();
  await page.getByLabel('Where are you?').selectOption({ label: 'United Kingdom' });
  await screen(page, '04-onboarding-topics');
  await page.getByRole('button', { name: /Next/ }).click();

  step('character');
  await page.waitForURL('**/character');
  await page.getByLabel('Name').fill('Robin');
  await screen(page, '05-character');
  await page.getByRole('button', { name: 'Create character' }).click();

  step('world choice, with content notes before starting');
  await page.waitForURL('**/worlds**');
  await page.getByRole('heading', { name: 'Content notes' }).first().waitFor();
  await screen(page, '06-worlds');
  await page.getByRole('button', { name: /^Start/ }).first().click();

  step('play ten turns: typed commands, choices by key and by click');
  await page.waitForURL('**/play/*');
  const sessionId = page.url().split('/play/')[1];
  await waitForTurns(page, 1);
  await page.locator('.stream-status', { hasText: 'Live' }).waitFor();
  await screen(page, '07-play-opening');
  await say(page, 'look');
  await say(page, 'west');
  await say(page, 'up');
  await say(page, 'use bed');
  await chooseByKey(page, 1); // rest until the evening
  await say(page, 'down');
  await say(page, 'east');
  await chooseByClick(page, 2); // stay for Lantern Night
  await say(page, 'north');
  const tenth = await say(page, 'I feel a bit nervous');
  expect((await completeTurns(page)) >= 11, 'fewer than ten turns after the opening');
  // History: the up arrow brings back the last command.
  await page.locator('#command').press('ArrowUp');
  expect((await page.locator('#command').inputValue()) === 'I feel a bit nervous', 'the up arrow did not bring back the last command');
  await page.locator('#command').fill('');
  await screen(page, '08-play-ten-turns');

  step('mood check-in');
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByLabel(/From 0/).fill('6');
  await page.getByLabel('Hopeful').check();
  const beforeCheckIn = await completeTurns(page);
  await page.locator('#check-in').getByRole('button', { name: 'Check in' }).click();
  await waitForTurns(page, beforeCheckIn + 1);
  expect((await page.locator('.story article.turn[data-kind]').last().getAttribute('data-kind')) === 'check_in', 'the check-in was not answered as one');

  step('reload and resume');
  const turnsBefore = await completeTurns(page);
  await page.reload();
  await waitForTurns(page, turnsBefore);
  expect((await page.locator('.story').innerText()).includes(tenth.split('\n')[0]), 'the story before the reload is gone');
  await page.locator('.stream-status', { hasText: 'Live' }).waitFor();
  await say(page, 'look');

  step('another tab rebuilds the story from the event stream');
  const second = await context.newPage();
  await second.goto(`${server.url}/play/${sessionId}`);
  // Its story is the log's recorded turns (answers that record nothing, like the check-in,
  // are not in the log), ending with the "look" after the reload.
  await second.waitForFunction((text) => document.querySelector('.story')?.innerText.includes(text), tenth.split('\n')[0], { timeout: TIMEOUT });
  await second.locator('.story article.turn[data-kind]').nth(10).waitFor();
  await second.close();

  step('a crisis input shows the resources');
  await page.locator('#command').fill('I want to kill myself');
  await page.locator('#command').press('Enter');
  const crisis = page.locator('.story .crisis').last();
  await crisis.waitFor();
  const crisisText = await crisis.innerText();
  expect(crisisText.includes('Samaritans') && crisisText.includes('999'), `the crisis reply lacks the UK lines: ${crisisText.slice(0, 200)}`);
  await screen(page, '09-play-crisis');
  await crisis.getByRole('button', { name: /Back to the story/ }).click();
  await page.waitForFunction(() => !document.querySelector('.story article.turn[data-kind]:last-of-type .crisis'));

  step('"I need help now" works with no network');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'I need help now' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const helpText = await dialog.innerText();
  expect(helpText.includes('Samaritans') && helpText.includes('999'), 'the help dialog lacks the UK lines offline');
  await screen(page, '10-help');
  await page.keyboard.press('Escape');
  await context.setOffline(false);

  step('quitting keeps a summary; progress shows the session');
  await say(page, 'quit');
  await page.getByRole('navigation').getByRole('link', { name: 'Progress' }).click();
  await page.getByRole('heading', { name: 'Your progress' }).waitFor();
  const stories = page.locator('section[aria-labelledby="sessions-title"]');
  await stories.getByRole('link', { name: 'The Lantern at Saltmarsh' }).waitFor();
  expect(/\d+ turns/.test(await stories.innerText()), 'progress does not say how many turns the story has');
  const summaries = page.locator('section[aria-labelledby="summaries-title"]');
  await summaries.locator('li').first().waitFor();
  expect(/The Lantern at Saltmarsh: \d+ turns?/.test(await summaries.innerText()), `no session summary: ${await summaries.innerText()}`);
  // Where the server keeps mood over time, the check-in is on the chart.
  const moodRoute = await page.evaluate(async () => (await fetch('/v1/me/mood', { headers: { Authorization: `Bearer ${JSON.parse(localStorage.getItem('tta.session')).access_token}` } })).status);
  if (moodRoute === 200) {
    await page.locator('section[aria-labelledby="mood-title"] svg[role="img"]').waitFor();
  } else {
    console.log(`   (GET /v1/me/mood answered ${moodRoute}: the mood chart is not checked)`);
  }
  await screen(page, '11-progress');

  step('settings: display and the safety plan, then help shows the plan');
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByLabel('Large', { exact: true }).check();
  await page.getByLabel('High contrast').check();
  expect((await page.evaluate(() => document.documentElement.dataset.contrast)) === 'high', 'high contrast did not apply');
  await page.getByLabel('Your reasons for living').fill('My sister\nThe sea in the morning');
  await page.getByLabel('People you can ask for help').fill('Sam: 07700 900123');
  await page.getByRole('button', { name: 'Save my safety plan' }).click();
  await page.getByText(/^Saved/).waitFor();
  await screen(page, '12-settings-high-contrast');
  await page.getByRole('button', { name: 'I need help now' }).click();
  expect((await page.getByRole('dialog').innerText()).includes('The sea in the morning'), 'the help dialog does not show the safety plan');
  await page.keyboard.press('Escape');

  step('sign out, and sign in again');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/signin');
  await screen(page, '13-signin');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your stories' }).waitFor();
  await context.close();
} catch (e) {
  failures.push(e instanceof Error ? e.stack ?? e.message : String(e));
} finally {
  await browser.close();
  await server.stop();
}

if (failures.length) {
  console.error(`\nFAILED (${failures.length}):\n` + failures.map((f) => ` - ${f}`).join('\n'));
  console.error(`\nserver log (last lines):\n${server.output.join('').split('\n').slice(-30).join('\n')}`);
  console.error(`screenshots: ${args.out}`);
  process.exit(1);
}
console.log(`web e2e: ${checks} checks passed; screenshots in ${args.out}`);
