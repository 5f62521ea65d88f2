// End-to-end test of Bot API file ids in the real app on its built-in Local
// test network (demo world tests/world/demo.toml): the demo bot signs in with
// its token; Bob (Telethon) sends it the photo of his chat with Alice. In the
// bot's chat with Bob the photo's bubble shows its file_id and file_unique_id;
// `hearth-cli file-id decode` of them gives the photo's id, DC and largest
// size as Telethon sees the photo (and not Bob's access hash: ids are per
// account). The Copy button copies the file_id (what is asserted: the
// webview's clipboard answered "copied" and reading it back gives the id, or,
// where the webview refuses the clipboard, the button says so and the id is
// selectable text). Pasting the id in "Send by file id" sends the photo again
// (the new message's id names the same photo, and Bob receives it); the same
// id rebuilt with Bob's access hash and file reference (a file id of a photo
// another account received) is refused in plain words on the id's field.
//
// Usage: node fileids.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// (hearth-cli must sit beside the app binary). run.sh runs it under Xvfb with a private
// keyring. Screenshots: fileids-chat.png, fileids-foreign.png. Prints "N passed, N failed".

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { By, TIMEOUT_MS, assert, fail, finish, pageHelpers, parseCommonArgs, startDriver, test, until, formHelpers} from './harness.mjs';
import { TelethonPeer } from './peer.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('fileids.test.mjs');
const announcementPath = path.join(dataDir, 'localdc', 'announcement.json');
const cli = path.join(path.dirname(app), 'hearth-cli');
const LIVE_MS = 30_000;
const BOT = { name: 'Hearth Helper', token: '7000001:AAHearthDemoBotSecretToken', username: '@hearth_helper_bot' };
const BOB = { phone: '+9996641111' };
const CAPTION = 'A photo for the bot';
const AGAIN = 'Sent again by file id';

let tauriDriver;
let driver;
let page;
let bob;
const state = {};

const css = (selector) => By.css(selector);

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LIVE_MS);

async function ok(answer, what) {
  const a = await answer;
  assert(a.ok, `${what}: ${JSON.stringify(a)}`);
  return a;
}

/** `hearth-cli file-id ARGS…` with `--json`: its output line, as text (ids use 64 bits). */
function fileIdCli(...args) {
  return execFileSync(cli, ['--json', 'file-id', ...args], { encoding: 'utf8' }).trim();
}

/** A field of a `hearth-cli file-id decode` answer, as text (exact for 64-bit values). */
function field(json, name) {
  const m = new RegExp(`"${name}":(-?\\d+|"[^"]*")`).exec(json);
  return m ? m[1].replace(/^"|"$/g, '') : null;
}

/** The messages of the open chat with their file ids and texts. */
function shownMedia() {
  return driver.executeScript(`
    return [...document.querySelectorAll('[data-testid="message-list"] [data-testid="message"]')]
      .map((m) => ({
        id: Number(m.dataset.id),
        text: m.querySelector('.text')?.textContent?.trim() ?? '',
        fileId: m.querySelector('[data-testid="file-id"]')?.dataset.full ?? null,
        uniqueId: m.querySelector('[data-testid="file-unique-id"]')?.dataset.full ?? null,
      }));`);
}

async function mediaWithText(text) {
  let seen = [];
  try {
    await driver.wait(async () => (seen = await shownMedia()).some((m) => m.text === text && m.fileId), LIVE_MS);
  } catch {
    throw new Error(`no message "${text}" with a file id; shown: ${JSON.stringify(seen.slice(-5))}`);
  }
  return seen.find((m) => m.text === text && m.fileId);
}

async function sendByFileId(fileId, caption) {
  if ((await driver.findElements(page.byTestId('send-file-id'))).length === 0) {
    await click(page.byTestId('send-by-file-id'));
  }
  await type(page.byTestId('file-id-input'), fileId);
  await type(page.byTestId('file-id-caption'), caption);
  await click(page.byTestId('file-id-send'));
}

try {
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-fileids.log' });
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');

  await test('1. the demo bot signs in with its token; bob (Telethon) sends it a photo', async () => {
    await click(page.byTestId('add-account'));
    await stepTitle('Choose a network');
    await click(css('[data-testid="step-network"] [data-testid="submit"]'));
    await stepTitle('How do you want to sign in?');
    await click(page.byTestId('method-bot_token'));
    await stepTitle('Bot token');
    await type(By.id('bot-token'), BOT.token);
    await click(css('[data-testid="step-bot-token"] [data-testid="submit"]'));
    await page.find('account-page', LIVE_MS);
    bob = new TelethonPeer(announcementPath, 'bob');
    await ok(bob.send({ cmd: 'sign_in', phone: BOB.phone, device: 'Bob (Telethon)', updates: true }), 'bob signs in');
    const sent = await ok(bob.send({ cmd: 'send_chat_photo', from: 'alice', to: BOT.username, caption: CAPTION }), 'bob sends the photo');
    state.photo = sent.photo;
    assert(/^-?\d+$/.test(state.photo.id) && state.photo.largest, `Bob's view of the photo: ${JSON.stringify(sent)}`);
  });

  await test("2. the bot's chat with Bob shows the photo's file_id and file_unique_id; they name Bob's photo", async () => {
    await click(page.byTestId('open-chats'));
    await click(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]'), LIVE_MS);
    const shown = await mediaWithText(CAPTION);
    state.fileId = shown.fileId;
    await page.saveScreenshot('fileids-chat.png');
    const id = fileIdCli('decode', shown.fileId);
    assert(field(id, 'kind') === 'file_id' && field(id, 'file_type') === 'photo', `a photo's file_id: ${id}`);
    assert(field(id, 'media_id') === state.photo.id, `the photo's id ${state.photo.id}: ${id}`);
    assert(Number(field(id, 'dc_id')) === state.photo.dc_id, `the photo's DC ${state.photo.dc_id}: ${id}`);
    assert(field(id, 'thumbnail_size') === state.photo.largest, `the largest size ${state.photo.largest}: ${id}`);
    assert(field(id, 'access_hash') !== state.photo.access_hash, `the bot's own access hash, not Bob's: ${id}`);
    state.decoded = id;
    const unique = fileIdCli('decode', shown.uniqueId);
    assert(field(unique, 'kind') === 'file_unique_id' && field(unique, 'type') === 'photo', `a photo's unique id: ${unique}`);
    assert(field(unique, 'media_id') === state.photo.id, `the unique id names the photo: ${unique}`);
    assert(field(unique, 'thumbnail_size') === state.photo.largest, `and its largest size: ${unique}`);
  });

  await test('3. Copy copies the file_id (or, without a clipboard, says so and the id stays selectable)', async () => {
    const bubble = css(`[data-testid="message"] [data-full="${state.fileId}"]`);
    await driver.wait(until.elementLocated(bubble), TIMEOUT_MS);
    const row = await driver.findElement(By.xpath(`//*[@data-testid="message"][.//*[@data-full="${state.fileId}"]]`));
    await (await row.findElement(page.byTestId('copy-file-id'))).click();
    const status = await driver.wait(until.elementLocated(page.byTestId('file-id-copied')), TIMEOUT_MS);
    const said = await status.getText();
    if (said === 'file_id copied') {
      const back = await driver.executeAsyncScript(
        `const done = arguments[0];
         navigator.clipboard.readText().then(done, (e) => done('unreadable: ' + e));`,
      );
      assert(back === state.fileId || back.startsWith('unreadable'), `the clipboard holds the id: ${back}`);
      console.log(`     clipboard read back: ${back === state.fileId ? 'the id' : back}`);
    } else {
      assert(said.includes('select the id'), `the copy button explains itself: ${said}`);
      const select = await driver.executeScript(
        'return getComputedStyle(document.querySelector(\'[data-testid="file-id"]\')).userSelect',
      );
      assert(select === 'all', `the id is selectable: ${select}`);
      console.log(`     clipboard refused: ${said}`);
    }
  });

  await test('4. pasting the file_id sends the photo again; Bob receives it', async () => {
    await sendByFileId(state.fileId, AGAIN);
    const again = await mediaWithText(AGAIN);
    const id = fileIdCli('decode', again.fileId);
    assert(field(id, 'media_id') === state.photo.id, `the same photo: ${id}`);
    await driver.wait(async () => (await driver.findElements(page.byTestId('send-file-id'))).length === 0, TIMEOUT_MS, 'the form closes');
    await ok(bob.send({ cmd: 'wait_new', text: AGAIN, timeout: 20 }), 'bob receives the photo');
  });

  await test("5. a file id of Bob's view of the photo is refused in plain words on its field", async () => {
    const foreignFields = state.decoded
      .replace(/"access_hash":-?\d+/, `"access_hash":${state.photo.access_hash}`)
      .replace(/"file_reference":"[0-9a-f]*"/, `"file_reference":"${state.photo.file_reference}"`);
    const foreign = field(fileIdCli('encode', foreignFields), 'id');
    assert(foreign && foreign !== state.fileId, `a different id: ${foreign}`);
    const before = (await shownMedia()).length;
    await sendByFileId(foreign, 'not mine');
    const error = await driver.wait(until.elementLocated(page.byTestId('file-id-error')), LIVE_MS);
    const words = await error.getText();
    assert(/belongs to another bot/.test(words) && /Send the file itself/.test(words), `plain words: ${words}`);
    const invalid = await (await page.find('file-id-input')).getAttribute('aria-invalid');
    assert(invalid === 'true', `on the id's field: ${invalid}`);
    assert((await shownMedia()).length === before, 'nothing was sent');
    await page.saveScreenshot('fileids-foreign.png');
  });
} catch (error) {
  fail('fileids session', error);
} finally {
  if (bob) {
    await bob.send({ cmd: 'quit' }).catch(() => {});
    bob.kill();
  }
  await driver?.quit().catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
