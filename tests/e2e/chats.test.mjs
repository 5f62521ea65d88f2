// End-to-end test of chats in the real app on its built-in Local test
// network (demo world tests/world/demo.toml): Alice signs in, Bob (Telethon,
// a second device on the same localdc, receiving updates) writes 70
// messages; the app lists the dialogs with unread counts, opens the chat at
// its newest page and pages older to the world's first message (its photo's
// stripped thumbnail drawn inline, then its bubble size); a message sent from the app (with
// **bold** markup) reaches Telethon live, and Bob's read mark shows on it; a
// message Telethon sends appears live; edits and deletions (for everyone)
// travel both ways; a search in the chat, and one in the dialog list across every
// chat, list a message of Bob's and jump to it;
// after quitting and starting again on the same data dir the chat with Bob is
// open again, its messages and the dialog list loaded.
//
// Usage: node chats.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// run.sh runs it under Xvfb with a private keyring. Screenshots:
// chats-dialogs.png, chats-history.png, chats-live.png, chats-search.png, chats-restart.png. Prints "N passed, N failed".

import path from 'node:path';
import {
  By,
  TIMEOUT_MS,
  appPids,
  assert,
  fail,
  finish,
  pageHelpers,
  parseCommonArgs,
  sleep,
  startDriver,
  test,
  until,
  withTimeout,
  formHelpers,
} from './harness.mjs';
import { TelethonPeer } from './peer.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('chats.test.mjs');
const announcementPath = path.join(dataDir, 'localdc', 'announcement.json');
const LIVE_MS = 30_000;
const ALICE = { name: 'Alice Liddell', phone: '+9996621234', code: '22222' };
const BOB = { phone: '+9996641111' };
const PAGE = 50;
const EXTRA = 70;

let tauriDriver;
let driver;
let page;
let bob;

const css = (selector) => By.css(selector);

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LIVE_MS);

/** The messages of the open chat: id, text (textContent), edited, read. */
function shownMessages() {
  return driver.executeScript(`
    return [...document.querySelectorAll('[data-testid="message-list"] [data-testid="message"], [data-testid="message-list"] [data-testid="service-message"]')]
      .map((m) => ({
        id: Number(m.dataset.id),
        text: (m.querySelector('.text')?.textContent ?? m.textContent).trim(),
        edited: !!m.querySelector('[data-testid="edited-mark"]'),
        read: m.querySelector('[data-testid="read-mark"]')?.dataset.read ?? null,
      }));`);
}

/** Waits until `check(messages)` holds; says what was shown when it does not. */
async function waitMessages(check, what, ms = LIVE_MS) {
  let seen = [];
  try {
    await driver.wait(async () => check((seen = await shownMessages())), ms);
  } catch {
    throw new Error(`${what}; shown: ${JSON.stringify(seen.slice(-8))} (${seen.length} messages)`);
  }
  return seen;
}

async function menu(messageId, item) {
  await click(css(`[data-testid="message"][data-id="${messageId}"] [data-testid="message-menu-button"]`));
  await click(css(`[data-testid="message"][data-id="${messageId}"] [data-testid="${item}"]`));
}

async function ok(answer, what) {
  const a = await answer;
  assert(a.ok, `${what}: ${JSON.stringify(a)}`);
  return a;
}

/** Quits the app with Bob's chat open, starts it again and checks what it shows. */
async function restartWithChatOpen() {
  const bobChat = await driver.executeScript('return document.querySelector(\'[data-testid="chat-view"]\')?.dataset.chat');
  assert(bobChat, 'a chat is open before quitting');
  // Quit as a desktop session ending does (SIGTERM runs the exit path) and start again.
  const pids = appPids(app, dataDir);
  assert(pids.length === 1, `one app process runs on the data dir: ${pids}`);
  process.kill(pids[0], 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (appPids(app, dataDir).length > 0) {
    assert(Date.now() < deadline, `the app still runs 20 s after SIGTERM: PID ${pids[0]}`);
    await sleep(200);
  }
  await driver.quit().catch(() => {});
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  const view = await page.find('chat-view', LIVE_MS);
  await driver.wait(async () => (await view.getAttribute('data-chat')) === bobChat, LIVE_MS, "Bob's chat reopened");
  const shown = await waitMessages((m) => m.length >= PAGE, "the reopened chat's newest page");
  assert(shown.some((m) => m.text === `Page message ${EXTRA}`), `the newest message shown: ${shown.at(-1).text}`);
  await driver.wait(
    until.elementLocated(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]')),
    LIVE_MS,
    'the dialogs load after the restart',
  );
  let loading = [];
  await driver
    .wait(async () => {
      loading = await driver.executeScript(
        'return [...document.querySelectorAll(\'[data-testid="chats-page"] .loading\')].map((e) => e.textContent).filter((t) => t.startsWith("Loading"))',
      );
      return loading.length === 0;
    }, LIVE_MS)
    .catch(() => {
      throw new Error(`still loading after the restart: ${loading}`);
    });
  await page.saveScreenshot('chats-restart.png');
}

try {
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-chats.log' });
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');

  await test('1. alice signs in; bob (Telethon) writes 70 messages', async () => {
    await click(page.byTestId('add-account'));
    await stepTitle('Choose a network');
    await click(css('[data-testid="step-network"] [data-testid="submit"]'));
    await stepTitle('How do you want to sign in?');
    await click(page.byTestId('method-phone'));
    await type(By.id('phone'), ALICE.phone);
    await click(css('[data-testid="step-phone"] [data-testid="submit"]'));
    await stepTitle('Enter the code');
    await type(By.id('code'), ALICE.code);
    await click(css('[data-testid="step-code"] [data-testid="submit"]'));
    await page.find('account-page', LIVE_MS);
    bob = new TelethonPeer(announcementPath, 'bob');
    await ok(bob.send({ cmd: 'sign_in', phone: BOB.phone, device: 'Bob (Telethon)', updates: true }), 'bob signs in');
    const texts = Array.from({ length: EXTRA }, (_, i) => `Page message ${i + 1}`);
    const sent = await ok(bob.send({ cmd: 'send_many', to: 'alice', texts }), 'bob writes');
    assert(sent.ids.length === EXTRA, `bob sent ${sent.ids.length}`);
  });

  await test('2. the dialog list shows Bob with his unread messages, and the account its total', async () => {
    await click(page.byTestId('open-chats'));
    await page.find('dialog-list', LIVE_MS);
    const row = await driver.wait(
      until.elementLocated(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]')),
      LIVE_MS,
      'Bob in the dialog list',
    );
    const unread = Number(await (await row.findElement(page.byTestId('dialog-unread'))).getText());
    assert(unread >= EXTRA, `Bob's unread badge: ${unread}`);
    const preview = await driver.executeScript('return arguments[0].textContent', row);
    assert(preview.includes(`Page message ${EXTRA}`), `Bob's preview: ${preview}`);
    const total = Number(await page.textOf('account-unread'));
    assert(total >= unread, `the sidebar's unread total ${total} counts Bob's ${unread}`);
    const titles = await driver.executeScript(
      'return [...document.querySelectorAll(\'[data-testid="dialog-item"] .title\')].map((t) => t.textContent)',
    );
    for (const t of ['Hearth testers', 'Hearth news']) assert(titles.includes(t), `dialog ${t} listed: ${titles}`);
    await type(page.byTestId('dialog-search'), 'testers');
    await driver.wait(async () => (await driver.findElements(page.byTestId('dialog-item'))).length === 1, TIMEOUT_MS, 'search filters');
    await (await page.find('dialog-search')).clear();
    await type(page.byTestId('dialog-search'), ' ');
    await driver.wait(async () => (await driver.findElements(page.byTestId('dialog-item'))).length > 1, TIMEOUT_MS, 'search cleared');
    await page.saveScreenshot('chats-dialogs.png');
  });

  await test('3. the chat opens at its newest page and pages older to the first message', async () => {
    await click(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]'));
    let shown = await waitMessages((m) => m.length >= PAGE, 'the newest page');
    assert(shown.at(-1).text === `Page message ${EXTRA}`, `newest last: ${shown.at(-1).text}`);
    // Shown at the bottom, the chat is marked read and nothing older loads by itself.
    const bobRow = By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]');
    await driver.wait(
      async () => (await (await driver.findElement(bobRow)).findElements(page.byTestId('dialog-unread'))).length === 0,
      LIVE_MS,
      "Bob's unread badge goes once the chat is shown",
    );
    const geometry = () =>
      driver.executeScript(`const l = document.querySelector('[data-testid="message-list"]');
        return { top: l.scrollTop, bottom: l.scrollHeight - l.scrollTop - l.clientHeight };`);
    const atOpen = await geometry();
    assert(atOpen.bottom < 40, `opened at the bottom: ${JSON.stringify(atOpen)}`);
    shown = await shownMessages();
    assert(shown.length === PAGE, `one page until scrolled up: ${shown.length}`);
    assert(!shown.some((m) => m.text.startsWith('Hi Bob!')), 'only the newest page at first');
    // Scrolled to the top, the older page loads above and the view stays where it was.
    await driver.executeScript('document.querySelector(\'[data-testid="message-list"]\').scrollTop = 0');
    shown = await waitMessages((m) => m.some((x) => x.text.startsWith('Hi Bob!')), 'paged older to the first message');
    await driver.sleep(300);
    const afterPage = await geometry();
    assert(afterPage.top > 200, `the view stays on the same messages after the older page: ${JSON.stringify(afterPage)}`);
    assert(shown.length >= EXTRA + 2, `the whole history is shown: ${shown.length}`);
    const ids = shown.map((m) => m.id);
    assert(ids.every((id, i) => i === 0 || id > ids[i - 1]), `oldest first, no duplicates: ${ids.join(',')}`);
    // The stripped thumbnail (a data: URL) gives way to the bubble size (a blob: URL).
    let thumb = null;
    await driver
      .wait(async () => {
        thumb = await driver.executeScript(`
          const img = document.querySelector('[data-testid="media-thumbnail"]');
          return img && { src: img.getAttribute('src').slice(0, 5), real: img.dataset.real, width: img.naturalWidth };`);
        return thumb && thumb.src === 'blob:' && thumb.real === 'true' && thumb.width > 0;
      }, LIVE_MS)
      .catch(() => {
        throw new Error(`the photo's picture is drawn: ${JSON.stringify(thumb)}`);
      });
    await page.find('day-separator');
    await driver.executeScript('document.querySelector(\'[data-testid="message-list"]\').scrollTop = 0');
    await page.find('history-start');
    await page.saveScreenshot('chats-history.png');
  });

  let mine;
  await test('4. a message sent from the app reaches Telethon live, with its bold, and shows Bob read it', async () => {
    await driver.executeScript('const l = document.querySelector(\'[data-testid="message-list"]\'); l.scrollTop = l.scrollHeight');
    await type(page.byTestId('composer-input'), 'Hello from **Hearth**');
    await click(page.byTestId('composer-send'));
    const got = await ok(bob.send({ cmd: 'wait_new', text: 'Hello from Hearth', timeout: 30 }), 'Telethon receives');
    assert(got.entities.includes('MessageEntityBold'), `the bold arrived: ${got.entities}`);
    const shown = await waitMessages((m) => m.some((x) => x.text === 'Hello from Hearth'), 'the sent message in the chat');
    mine = shown.find((x) => x.text === 'Hello from Hearth');
    assert(mine.read === 'false', `not read yet: ${JSON.stringify(mine)}`);
    await ok(bob.send({ cmd: 'read', to: 'alice' }), 'bob reads');
    await waitMessages((m) => m.find((x) => x.id === mine.id)?.read === 'true', "Bob's read mark on the message");
  });

  let theirs;
  await test('5. a message Telethon sends appears live', async () => {
    const sent = await ok(bob.send({ cmd: 'send', to: 'alice', text: 'Live from Telethon' }), 'bob sends');
    const shown = await waitMessages((m) => m.some((x) => x.text === 'Live from Telethon'), 'the live message');
    theirs = shown.find((x) => x.text === 'Live from Telethon');
    assert(theirs.id === sent.id, `the same message: app ${theirs.id}, Telethon ${sent.id}`);
  });

  await test('6. edits travel both ways', async () => {
    await menu(mine.id, 'menu-edit');
    await page.find('edit-bar');
    const input = await page.find('composer-input');
    await input.clear();
    await input.sendKeys('Edited in __Hearth__');
    await click(page.byTestId('composer-send'));
    const edited = await ok(bob.send({ cmd: 'wait_edit', id: mine.id, timeout: 30 }), 'Telethon sees the edit');
    assert(edited.text === 'Edited in Hearth', `edited text on Telethon: ${edited.text}`);
    await ok(bob.send({ cmd: 'edit', to: 'alice', id: theirs.id, text: 'Edited by Telethon' }), 'bob edits');
    await waitMessages(
      (m) => m.some((x) => x.id === theirs.id && x.text === 'Edited by Telethon' && x.edited),
      "Bob's edit with its edited mark",
    );
    await waitMessages((m) => m.some((x) => x.id === mine.id && x.text === 'Edited in Hearth' && x.edited), 'own edit shown');
    await page.saveScreenshot('chats-live.png');
  });

  await test('7. deletions for everyone travel both ways', async () => {
    await menu(mine.id, 'menu-delete-all');
    await ok(bob.send({ cmd: 'wait_delete', id: mine.id, timeout: 30 }), 'Telethon sees the deletion');
    await waitMessages((m) => !m.some((x) => x.id === mine.id), 'own message gone');
    await ok(bob.send({ cmd: 'delete', to: 'alice', ids: [theirs.id] }), 'bob deletes');
    await waitMessages((m) => !m.some((x) => x.id === theirs.id), "Bob's message gone live");
  });

  await test('8. a search in the chat, and one across every chat, list the matching message and jump to it', async () => {
    const wanted = 'Page message 17';
    await click(page.byTestId('chat-search-toggle'));
    // Typing is enough: the field searches by itself after a pause.
    await type(page.byTestId('chat-search-input'), wanted);
    let hits = [];
    await driver
      .wait(async () => {
        hits = await driver.executeScript(`return [...document.querySelectorAll('[data-testid="chat-search-result"]')]
          .map((h) => ({ id: Number(h.dataset.id), text: h.textContent }))`);
        return hits.length > 0;
      }, LIVE_MS)
      .catch(() => {
        throw new Error(`search results for ${wanted}: none shown`);
      });
    const hit = hits.find((h) => h.text.includes(wanted));
    assert(hit, `the message is among the matches: ${JSON.stringify(hits)}`);
    assert(!hits.some((h) => h.text.includes('Page message 18')), `only matches: ${JSON.stringify(hits)}`);
    await click(css(`[data-testid="chat-search-result"][data-id="${hit.id}"]`));
    await driver
      .wait(async () => driver.executeScript(`
          const b = document.querySelector('[data-testid="message"][data-id="${hit.id}"] .bubble');
          if (!b || !b.classList.contains('focused')) return false;
          const r = b.getBoundingClientRect();
          const l = document.querySelector('[data-testid="message-list"]').getBoundingClientRect();
          return r.bottom > l.top && r.top < l.bottom;`), LIVE_MS)
      .catch(() => {
        throw new Error(`the chat jumped to message ${hit.id} and shows it`);
      });
    await page.saveScreenshot('chats-search.png');
    await click(page.byTestId('chat-search-toggle'));
    await driver.wait(async () => (await driver.findElements(page.byTestId('chat-search-input'))).length === 0, TIMEOUT_MS, 'search closed');

    // The dialog list's search box finds messages in every chat too.
    const other = 'Page message 23';
    await type(page.byTestId('dialog-search'), other);
    let found = [];
    await driver
      .wait(async () => {
        found = await driver.executeScript(`return [...document.querySelectorAll('[data-testid="message-search-result"]')]
          .map((h) => ({ id: Number(h.dataset.id), chat: h.dataset.chat, text: h.textContent }))`);
        return found.some((h) => h.text.includes(other));
      }, LIVE_MS)
      .catch(() => {
        throw new Error(`messages found for ${other}: ${JSON.stringify(found)}`);
      });
    const chatId = await driver.executeScript('return document.querySelector(\'[data-testid="chat-view"]\').dataset.chat');
    const match = found.find((h) => h.text.includes(other));
    assert(match.chat === chatId && match.text.includes('Bob'), `found in Bob's chat: ${JSON.stringify(match)}`);
    await click(css(`[data-testid="message-search-result"][data-id="${match.id}"]`));
    await driver
      .wait(async () => driver.executeScript(`
          const b = document.querySelector('[data-testid="message"][data-id="${match.id}"] .bubble');
          return !!b && b.classList.contains('focused');`), LIVE_MS)
      .catch(() => {
        throw new Error(`the chat jumped to message ${match.id}`);
      });
    await (await page.find('dialog-search')).clear();
    await type(page.byTestId('dialog-search'), ' ');
    await driver.wait(async () => (await driver.findElements(page.byTestId('message-search'))).length === 0, TIMEOUT_MS, 'messages found cleared');
  });

  // A page that never yields (the store once re-sent a read mark on every redraw while the
  // dialogs were loading) blocks WebDriver's commands: the whole step is bounded.
  await test('9. after a restart the chat with Bob is open again, its messages and the dialogs loaded', () =>
    withTimeout(restartWithChatOpen(), 'the restart with the chat open', 3 * LIVE_MS),
  );
} catch (error) {
  fail('chats session', error);
} finally {
  if (bob) {
    await bob.send({ cmd: 'quit' }).catch(() => {});
    bob.kill();
  }
  await withTimeout(driver?.quit() ?? Promise.resolve(), 'ending the WebDriver session').catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
