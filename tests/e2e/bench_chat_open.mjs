// Benchmark (not a test): "open a chat with 10,000 messages: first screen
// drawn" in the real app. Alice signs in on the built-in Local test network;
// Bob (Telethon) fills their chat to 10,000 messages; then, each round, the
// page clicks another dialog and then Bob's, and measures with
// performance.now() from the click to the first animation frame after the
// message list holds its first page. Prints each round and the median.
//
// Usage (scripts/bench-chat-open.sh runs it under Xvfb with a keyring):
//   node bench_chat_open.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// Environment: CHAT_OPEN_MESSAGES (10000), CHAT_OPEN_ROUNDS (10).

import path from 'node:path';
import { By, TIMEOUT_MS, pageHelpers, parseCommonArgs, startDriver, until } from './harness.mjs';
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
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ms = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const rows = [...document.querySelectorAll('[data-testid="dialog-item"]')];
      const bob = rows.find((r) => r.querySelector('.title')?.textContent === 'Bob');
      const other = rows.find((r) => r !== bob);
      other.click();
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
    times.push(ms);
    console.log(`round ${round + 1}: first screen of the chat drawn ${ms.toFixed(1)} ms after the click`);
  }
  times.sort((a, b) => a - b);
  console.log(`median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms over ${ROUNDS} rounds (${MESSAGES} messages in the chat)`);
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
