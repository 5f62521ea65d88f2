// Benchmark (not a test): "open a chat with 10,000 messages: first screen
// drawn" in the real app. Alice signs in on the built-in Local test network;
// Bob (Telethon) fills their chat to 10,000 messages; then, each round, the
// page clicks another dialog and then Bob's, and measures with
// performance.now() from the click to the first animation frame after the
// message list holds its first page. Odd rounds are cold (Bob writes while
// another chat is open, so the app's kept page of his chat is dropped), even
// rounds open the chat again unchanged. Prints each round and the medians of
// both kinds.
//
// Usage (scripts/bench-chat-open.sh runs it under Xvfb with a keyring):
//   node bench_chat_open.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// Environment: CHAT_OPEN_MESSAGES (10000), CHAT_OPEN_ROUNDS (10).

import path from 'node:path';
import { By, pageHelpers, parseCommonArgs, startDriver, until } from './harness.mjs';
import { TelethonPeer } from './peer.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('bench_chat_open.mjs');
const MESSAGES = Number(process.env.CHAT_OPEN_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.CHAT_OPEN_ROUNDS ?? 10);
const WAIT_MS = 60_000;

const tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-bench.log' });
const driver = await tauriDriver.open();
const page = pageHelpers(driver, artifacts);
// Started once the app's Local test network runs (it reads its announcement).
let bob;
let status = 0;
try {
  const click = async (css) => (await driver.wait(until.elementLocated(By.css(css)), WAIT_MS)).click();
  const step = async (title) =>
    driver.wait(until.elementTextIs(await page.find('step-title', WAIT_MS), title), WAIT_MS);
  await page.find('sidebar');
  await click('[data-testid="add-account"]');
  await step('Choose a network');
  await click('[data-testid="step-network"] [data-testid="submit"]');
  await step('How do you want to sign in?');
  await click('[data-testid="method-phone"]');
  await (await page.find('step-phone')).findElement(By.id('phone')).sendKeys('+9996621234');
  await click('[data-testid="step-phone"] [data-testid="submit"]');
  await step('Enter the code');
  await (await page.find('step-code')).findElement(By.id('code')).sendKeys('22222');
  await click('[data-testid="step-code"] [data-testid="submit"]');
  await page.find('account-page', WAIT_MS);
  bob = new TelethonPeer(path.join(dataDir, 'localdc', 'announcement.json'), 'bob');
  const signed = await bob.send({ cmd: 'sign_in', phone: '+9996641111', device: 'bench' });
  if (!signed.ok) throw new Error(`bob: ${JSON.stringify(signed)}`);
  const started = Date.now();
  for (let sent = 0; sent < MESSAGES; sent += 200) {
    const texts = Array.from({ length: Math.min(200, MESSAGES - sent) }, (_, i) => `Bench message ${sent + i + 1}`);
    const a = await bob.send({ cmd: 'send_many', to: 'alice', texts });
    if (!a.ok) throw new Error(`filling the chat: ${JSON.stringify(a)}`);
  }
  console.log(`filled the chat with ${MESSAGES} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await click('[data-testid="open-chats"]');
  await page.find('dialog-item', WAIT_MS);
  // Odd rounds open the chat cold: Bob writes while another chat is open, so the page the
  // app kept of his chat is dropped and the first screen waits for `chat_history`. Even
  // rounds open it again with nothing changed: drawn from the kept page, then refreshed.
  const runs = { cold: [], kept: [] };
  const bobRow = By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]');
  const bobShows = (text, ms) =>
    driver.wait(
      async () => (await driver.executeScript('return arguments[0].textContent', await driver.findElement(bobRow))).includes(text),
      ms,
      `Bob's dialog shows "${text}"`,
    );
  // The filling arrives as live changes too: the rounds start once the app has caught up.
  await bobShows(`Bench message ${MESSAGES}`, 10 * WAIT_MS);
  for (let round = 0; round < ROUNDS; round++) {
    const cold = round % 2 === 0;
    await driver.executeScript(`
      const rows = [...document.querySelectorAll('[data-testid="dialog-item"]')];
      rows.find((r) => r.querySelector('.title')?.textContent !== 'Bob').click();`);
    if (cold) {
      const text = `Bench round ${round + 1}`;
      const a = await bob.send({ cmd: 'send', to: 'alice', text });
      if (!a.ok) throw new Error(`bob writes: ${JSON.stringify(a)}`);
      await bobShows(text, WAIT_MS);
    }
    const ms = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const bob = [...document.querySelectorAll('[data-testid="dialog-item"]')].find((r) => r.querySelector('.title')?.textContent === 'Bob');
      const open = () => {
        const t0 = performance.now();
        bob.click();
        const check = () => {
          const list = document.querySelector('[data-testid="message-list"]');
          const chat = document.querySelector('[data-testid="chat-view"]');
          if (chat && chat.dataset.chat === bob.dataset.chat && list && list.querySelectorAll('[data-testid="message"]').length >= 50) {
            requestAnimationFrame(() => done(performance.now() - t0));
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      };
      setTimeout(open, 500);`);
    (cold ? runs.cold : runs.kept).push(ms);
    console.log(`round ${round + 1} (${cold ? 'cold' : 'kept page'}): first screen of the chat drawn ${ms.toFixed(1)} ms after the click`);
  }
  const summary = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms over ${sorted.length} rounds`;
  };
  console.log(`cold (nothing kept, Bob wrote meanwhile): ${summary(runs.cold)} (${MESSAGES} messages in the chat)`);
  if (runs.kept.length) console.log(`opened again (kept page): ${summary(runs.kept)}`);
  await page.saveScreenshot('bench-chat-open.png');
} catch (error) {
  console.error(`bench_chat_open: ${error?.stack ?? error}`);
  status = 1;
} finally {
  await bob?.send({ cmd: 'quit' }).catch(() => {});
  bob?.kill();
  await driver.quit().catch(() => {});
  await tauriDriver.stop();
}
process.exit(status);
