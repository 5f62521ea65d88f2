// End-to-end test of importing a session in the real app, on its built-in Local
// test network (demo world tests/world/demo.toml): the wizard's network step
// starts the network; Telethon (a script's client, from PyPI) signs Bob in there
// and keeps the session in its SQLite `.session` file, then stops using it; the
// app reads the file through the wizard's Import step (the path typed, as a
// drop or the file dialog would fill it), shows its DC and the warning that one
// session in two places gets terminated, and imports it only on "Import
// anyway": Bob appears signed in and his chats open. The file is unchanged, and
// a second import of it is refused as already held, before any connection.
//
// Usage: node import.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// run.sh runs it under Xvfb with a private keyring. Screenshots:
// import-warning.png, import-chats.png. Prints "N passed, N failed".

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { By, TIMEOUT_MS, assert, fail, finish, pageHelpers, parseCommonArgs, startDriver, test, until, formHelpers} from './harness.mjs';
import { TelethonPeer } from './peer.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('import.test.mjs');
const announcementPath = path.join(dataDir, 'localdc', 'announcement.json');
const sessionFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-bob.session`);
const LIVE_MS = 30_000;
const BOB = { phone: '+9996641111', dc: 4 };

let tauriDriver;
let driver;
let page;
let bob;
let fileHash;

const css = (selector) => By.css(selector);
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LIVE_MS);

/** Add account → the Local test network → Import a session. */
async function toImportStep() {
  await click(page.byTestId('add-account'));
  await stepTitle('Choose a network');
  await click(css('[data-testid="network-option-local"] input'));
  await click(css('[data-testid="step-network"] [data-testid="submit"]'));
  await stepTitle('How do you want to sign in?');
  await click(page.byTestId('method-import'));
  await stepTitle('Import a session');
}

async function readSession() {
  await type(By.id('session-path'), sessionFile);
  await click(css('[data-testid="step-import"] [data-testid="submit"]'));
}

try {
  fs.rmSync(sessionFile, { force: true });
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-import.log' });
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');

  await test('1. the wizard offers Import a session; Telethon signs Bob in to a .session file and stops', async () => {
    await toImportStep();
    assert(fs.existsSync(announcementPath), `the Local test network runs (${announcementPath})`);
    bob = new TelethonPeer(announcementPath, 'bob');
    const signedIn = await bob.send({ cmd: 'sign_in', phone: BOB.phone, device: 'Bob script (Telethon)', session_file: sessionFile });
    assert(signedIn.ok && signedIn.dc === BOB.dc, `bob signs in on DC ${BOB.dc}: ${JSON.stringify(signedIn)}`);
    const stopped = await bob.send({ cmd: 'disconnect' });
    assert(stopped.ok, `the script stops using the session: ${JSON.stringify(stopped)}`);
    assert(fs.existsSync(sessionFile), `Telethon wrote ${sessionFile}`);
    fileHash = sha256(sessionFile);
  });

  await test('2. reading the file shows its DC and the warning, and nothing is imported yet', async () => {
    await readSession();
    const warning = await page.textOf('import-warning', LIVE_MS);
    assert(warning.includes('AUTH_KEY_DUPLICATED'), `the warning names the termination: ${warning}`);
    const dc = await page.textOf('import-dc');
    assert(dc.startsWith(`DC ${BOB.dc}`), `the DC shown: ${dc}`);
    const network = await page.textOf('import-network');
    assert(network.includes('Local test network'), `the network shown: ${network}`);
    assert((await driver.findElements(page.byTestId('import-network-mismatch'))).length === 0, 'no network mismatch');
    const items = await driver.findElements(page.byTestId('account-item'));
    assert(items.length === 0, `no account before "Import anyway" (${items.length})`);
    await page.saveScreenshot('import-warning.png');
  });

  await test('3. Import anyway: Bob is signed in from the key, and his chats open', async () => {
    await click(page.byTestId('import-confirm'));
    await page.find('account-page', LIVE_MS);
    const heading = await (await page.find('account-page')).findElement(By.css('h1')).getText();
    assert(heading === 'Bob', `the account page shows Bob: ${heading}`);
    const details = await page.textOf('account-page');
    assert(details.includes(`DC ${BOB.dc}`), `the account's DC: ${details}`);
    await driver.wait(
      async () => (await page.textOf('account-page')).includes('Connected'),
      LIVE_MS,
      'the imported account connects',
    );
    await click(page.byTestId('open-chats'));
    const alice = await driver.wait(
      until.elementLocated(By.xpath('//*[@data-testid="dialog-item"][.//*[contains(@class,"title") and contains(normalize-space(),"Alice")]]')),
      LIVE_MS,
      'Alice in the dialog list',
    );
    await alice.click();
    await driver.wait(
      async () =>
        driver.executeScript(
          'return [...document.querySelectorAll(\'[data-testid="message-list"] [data-testid="message"]\')].some((m) => m.textContent.includes("Hi Bob!"))',
        ),
      LIVE_MS,
      "Alice's message in the open chat",
    );
    await page.saveScreenshot('import-chats.png');
    assert(sha256(sessionFile) === fileHash, 'the session file is unchanged');
  });

  await test('4. the same file again is refused as already held, and nothing is added', async () => {
    await toImportStep();
    await readSession();
    const error = await page.textOf('session-error', LIVE_MS);
    assert(error.includes('already account') && error.includes('AUTH_KEY_DUPLICATED'), `refused as held: ${error}`);
    assert((await driver.findElements(page.byTestId('import-warning'))).length === 0, 'no warning for a refused key');
    const items = await driver.findElements(page.byTestId('account-item'));
    assert(items.length === 1, `still one account (${items.length})`);
    assert(sha256(sessionFile) === fileHash, 'the session file is still unchanged');
  });
} catch (error) {
  fail('import session', error);
} finally {
  if (bob) {
    await bob.send({ cmd: 'quit' }).catch(() => {});
    bob.kill();
  }
  await driver?.quit().catch(() => {});
  await tauriDriver?.stop();
  fs.rmSync(sessionFile, { force: true });
}
finish(tauriDriver?.logPath);
