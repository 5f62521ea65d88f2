// End-to-end test of media in the real app on its built-in Local test
// network (demo world tests/world/demo.toml): Alice signs in and opens her
// chat with Bob, whose photo's stripped thumbnail gives way to the real
// bubble size; the photo and the document notes.txt are downloaded through
// `start_download_to` (the path twin of the save dialog, which WebDriver
// cannot click) and the bytes on disk match their source; a 24 MB file is
// sent through `start_upload_paths` (the twin of the file picker) with the
// transfer panel's progress bar running, appears in the chat, and comes back
// byte for byte when downloaded (again with the bar running); the photo
// viewer opens on the photo with its largest size and closes with Esc.
//
// Usage: node transfers.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// run.sh runs it under Xvfb with a private keyring. Screenshots:
// transfers-chat.png, transfers-panel.png, transfers-viewer.png. Prints "N passed, N failed".

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { By, TIMEOUT_MS, assert, fail, finish, pageHelpers, parseCommonArgs, startDriver, test, until, formHelpers} from './harness.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('transfers.test.mjs');
const LIVE_MS = 30_000;
const BIG_MS = 240_000;
const ALICE = { phone: '+9996621234', code: '22222' };
// tests/world/demo.toml: Bob's document in his chat with Alice.
const NOTES = 'Hearth demo notes: localdc serves this file.';
const BIG_BYTES = 24 * 1024 * 1024;

let tauriDriver;
let driver;
let page;
const files = path.join(dataDir, 'e2e-files');
const state = {};

const css = (selector) => By.css(selector);
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LIVE_MS);

/**
 * Calls an app command from the page, as the UI does; an `ArrayBuffer` answer comes back
 * as an array of bytes. Throws the command's error in its words.
 */
async function call(cmd, args = {}) {
  const answer = await driver.executeAsyncScript(
    `const [cmd, args, done] = arguments;
     const internals = window.__TAURI_INTERNALS__;
     // A channel argument is how the UI's Channel serialises itself.
     if (cmd === 'load_media') args.onProgress = '__CHANNEL__:' + internals.transformCallback(() => {});
     internals.invoke(cmd, args).then(
       (r) => done({ ok: true, r: r instanceof ArrayBuffer ? Array.from(new Uint8Array(r)) : r }),
       (e) => done({ ok: false, e: e?.message ?? JSON.stringify(e) }));`,
    cmd,
    args,
  );
  assert(answer.ok, `${cmd}: ${answer.e}`);
  return answer.r;
}

/** The open chat's messages with media: id, label, thumbnail state. */
function mediaMessages() {
  return driver.executeScript(`
    return [...document.querySelectorAll('[data-testid="message-list"] [data-testid="message"]')]
      .filter((m) => m.querySelector('[data-testid="message-media"]'))
      .map((m) => {
        const img = m.querySelector('[data-testid="media-thumbnail"]');
        return {
          id: Number(m.dataset.id),
          label: m.querySelector('.media-label')?.textContent ?? '',
          src: img?.getAttribute('src')?.slice(0, 5) ?? null,
          real: img?.dataset.real ?? null,
          width: img?.naturalWidth ?? 0,
        };
      });`);
}

/** Transfer `id` as the panel shows it: state and progress value. */
function panelRow(id) {
  return driver.executeScript(
    `const row = document.querySelector('[data-testid="transfer"][data-id="' + arguments[0] + '"]');
     if (!row) return null;
     const bar = row.querySelector('[data-testid="transfer-progress"]');
     return { state: row.dataset.state, value: bar ? Number(bar.value) : null,
              status: row.querySelector('[data-testid="transfer-status"]')?.textContent ?? '' };`,
    id,
  );
}

/**
 * Waits for transfer `id` to finish, recording whether the panel showed it running with a
 * progress bar part way; saves `screenshot` the first time it does. The last row.
 */
async function watchTransfer(id, screenshot) {
  let sawBar = false;
  let row = null;
  await driver.wait(
    async () => {
      row = await panelRow(id);
      if (row?.state === 'running' && row.value !== null && row.value > 0 && row.value < 100 && !sawBar) {
        sawBar = true;
        if (screenshot) await page.saveScreenshot(screenshot);
      }
      return row && row.state !== 'running';
    },
    BIG_MS,
    `transfer ${id} finishes`,
  );
  return { row, sawBar };
}

try {
  fs.mkdirSync(files, { recursive: true });
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-transfers.log' });
  driver = await tauriDriver.open();
  await driver.manage().setTimeouts({ script: BIG_MS });
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');

  await test('1. alice signs in and opens her chat with Bob', async () => {
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
    const accounts = await call('list_accounts');
    assert(accounts.length === 1, `one account: ${JSON.stringify(accounts)}`);
    state.account = accounts[0].id;
    await click(page.byTestId('open-chats'));
    await click(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and normalize-space()="Bob"]]'), LIVE_MS);
    const view = await page.find('chat-view', LIVE_MS);
    state.peer = Number(await view.getAttribute('data-chat'));
    assert(Number.isSafeInteger(state.peer) && state.peer > 0, `Bob's chat id: ${state.peer}`);
  });

  await test('2. the photo shows its stripped thumbnail, then the real bubble size', async () => {
    let shown = [];
    await driver
      .wait(async () => {
        shown = await mediaMessages();
        const photo = shown.find((m) => m.label === 'Photo');
        return photo?.real === 'true' && photo.src === 'blob:' && photo.width >= 200;
      }, LIVE_MS)
      .catch(() => {
        throw new Error(`the real size replaces the stripped thumbnail; shown: ${JSON.stringify(shown)}`);
      });
    state.photo = shown.find((m) => m.label === 'Photo').id;
    state.notes = shown.find((m) => m.label === 'notes.txt')?.id;
    assert(state.notes, `the document is listed: ${JSON.stringify(shown)}`);
    await page.saveScreenshot('transfers-chat.png');
  });

  await test('3. the photo and the document download with their bytes on disk matching', async () => {
    const notesPath = path.join(files, 'notes.txt');
    const photoPath = path.join(files, 'photo.jpg');
    const notes = await call('start_download_to', { accountId: state.account, peerId: state.peer, messageId: state.notes, path: notesPath });
    const photo = await call('start_download_to', { accountId: state.account, peerId: state.peer, messageId: state.photo, path: photoPath });
    for (const t of [notes, photo]) {
      const { row } = await watchTransfer(t.id);
      assert(row.state === 'done', `transfer ${t.file_name}: ${JSON.stringify(row)}`);
    }
    assert(sha256(fs.readFileSync(notesPath)) === sha256(Buffer.from(NOTES)), 'notes.txt matches the world file');
    // The photo's source: its largest size as the service hands it to the viewer.
    const history = await call('chat_history', { account: state.account, request: { chat: state.peer, older_than: null, newer_than: null, around: null, limit: 50 } });
    state.photoMedia = history.find((m) => m.id === state.photo).media;
    const full = Buffer.from(
      await call('load_media', { accountId: state.account, peerId: state.peer, messageId: state.photo, mediaId: state.photoMedia.id, variant: 'full' }),
    );
    assert(full.length > 10_000 && full[0] === 0xff && full[1] === 0xd8, `the full size is a JPEG (${full.length} bytes)`);
    assert(sha256(fs.readFileSync(photoPath)) === sha256(full), 'the downloaded photo matches its largest size');
    assert(!fs.existsSync(`${photoPath}.part`) && !fs.existsSync(`${notesPath}.part`), 'no .part file left');
  });

  await test('4. a 24 MB file goes up by path with the progress bar, shows in the chat, and comes back byte for byte', async () => {
    const source = path.join(files, 'big.bin');
    const bytes = crypto.randomBytes(BIG_BYTES);
    fs.writeFileSync(source, bytes);
    const [up] = await call('start_upload_paths', { accountId: state.account, peerId: state.peer, paths: [source], caption: 'Big file' });
    assert(up && up.kind === 'upload', `upload started: ${JSON.stringify(up)}`);
    const sent = await watchTransfer(up.id, 'transfers-panel.png');
    assert(sent.row.state === 'done', `upload: ${JSON.stringify(sent.row)}`);
    assert(sent.sawBar, 'the progress bar showed the upload part way');
    const view = (await call('list_transfers')).find((t) => t.id === up.id);
    assert(view.message_id, `the sent message: ${JSON.stringify(view)}`);
    await driver.wait(
      async () => (await mediaMessages()).some((m) => m.id === view.message_id && m.label === 'big.bin'),
      LIVE_MS,
      'the sent file shows in the chat',
    );
    const back = path.join(files, 'big-back.bin');
    const down = await call('start_download_to', { accountId: state.account, peerId: state.peer, messageId: view.message_id, path: back });
    const got = await watchTransfer(down.id);
    assert(got.row.state === 'done', `download: ${JSON.stringify(got.row)}`);
    assert(got.sawBar, 'the progress bar showed the download part way');
    assert(sha256(fs.readFileSync(back)) === sha256(bytes), 'the file came back byte for byte');
  });

  await test('5. the photo viewer opens the largest size and closes with Esc', async () => {
    await click(css(`[data-testid="message"][data-id="${state.photo}"] [data-testid="media-open"]`));
    await page.find('photo-viewer');
    const size = await driver.wait(
      () =>
        driver.executeScript(`const img = document.querySelector('[data-testid="viewer-image"]');
          return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight } : null;`),
      LIVE_MS,
      'the full-size image loads',
    );
    assert(size.w === state.photoMedia.width && size.h === state.photoMedia.height,
      `the largest size (${state.photoMedia.width}x${state.photoMedia.height}) is shown: ${JSON.stringify(size)}`);
    await page.saveScreenshot('transfers-viewer.png');
    await driver.actions().sendKeys('\uE00C').perform();
    await driver.wait(async () => (await driver.findElements(page.byTestId('photo-viewer'))).length === 0, TIMEOUT_MS, 'Esc closes the viewer');
  });
} catch (error) {
  fail('transfers session', error);
} finally {
  await driver?.quit().catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
