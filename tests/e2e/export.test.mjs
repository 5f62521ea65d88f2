// End-to-end test of "New session for another tool" in the real app on its
// built-in Local test network: alice signs in; on her Sessions page a new
// Telethon string is made through the form (shown once, with its warning),
// and a new Telethon session file through the save dialog's path twin
// (`export_session_to`, as a WebDriver cannot drive the native dialog); both
// sessions are listed under the names chosen; Telethon 1.45 then uses the
// file (who am I, send to Saved Messages, read it back) while Hearth stays
// online and its Sessions page still answers; last, a new string whose sign-in
// is the login code Hearth reads from its chat with 777000 (the form's
// "Sign-in" choice), used by Telethon the same way.
//
// Usage: node export.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// run.sh runs it under Xvfb with a private keyring. Screenshots:
// export-form.png, export-string.png, export-listed.png, export-code.png.
// Prints "N passed, N failed".

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { By, TIMEOUT_MS, assert, fail, finish, pageHelpers, parseCommonArgs, startDriver, test, until, formHelpers} from './harness.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('export.test.mjs');
const LOGIN_MS = 45_000;
const ALICE = { name: 'Alice Liddell', phone: '+9996621234', code: '22222' };
const STRING_LABEL = 'Export e2e string';
const FILE_LABEL = 'Export e2e file';
const CODE_LABEL = 'Export e2e code';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tool = path.join(repo, 'crates/accounts/tests/interop/tool.py');

let tauriDriver;
let firstString = '';
let driver;
let page;
const css = (selector) => By.css(selector);

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LOGIN_MS);

async function accountMenu(name, action) {
  await click(css(`[aria-label="Actions for ${name}"]`));
  await click(By.xpath(`//button[@role="menuitem" and normalize-space()=${JSON.stringify(action)}]`));
}

/** Opens the Sessions page afresh (by way of the Proxy page, so it reads the list again). */
async function reopenSessions(name) {
  await accountMenu(name, 'Proxy');
  await page.find('proxy-page');
  await accountMenu(name, 'Sessions');
  return page.find('sessions-page');
}

async function sessionRows() {
  return driver.executeScript(
    'return [...document.querySelectorAll(\'[data-testid="session-row"]\')].map((r) => r.innerText.replace(/\\s+/g, " ").trim());',
  );
}

/** Runs tool.py (Telethon from $PYTHON) on a session; its JSON answer. */
function runTool(kind, session) {
  return new Promise((resolve) => {
    execFile(process.env.PYTHON ?? 'python3', [tool, kind, session, '12345', '0123456789abcdef0123456789abcdef', '3'],
      { timeout: 90_000 }, (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() || '{}';
        let answer;
        try {
          answer = JSON.parse(line);
        } catch {
          answer = { ok: false, error: `no JSON: ${line}` };
        }
        if (error && answer.ok !== false) answer = { ok: false, error: String(error) };
        if (!answer.ok) answer.stderr = stderr.slice(-1500);
        console.log(`     tool ${kind} -> ${JSON.stringify(answer)}`);
        resolve(answer);
      });
  });
}

try {
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, nativePort: driverPort + 1, logName: 'tauri-driver-export.log' });
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');
  let accountId;

  await test('1. alice signs in on the Local test network', async () => {
    const add = await driver.findElements(page.byTestId('add-account'));
    if (add.length > 0) await add[0].click();
    else await click(css('[data-testid="sidebar"] button.link'));
    await stepTitle('Choose a network', TIMEOUT_MS);
    const local = await driver.findElement(css('[data-testid="network-option-local"] input'));
    if (!(await local.isSelected())) await click(css('[data-testid="network-option-local"]'));
    await click(css('[data-testid="step-network"] [data-testid="submit"]'));
    await stepTitle('How do you want to sign in?');
    await click(page.byTestId('method-phone'));
    await type(By.id('phone'), ALICE.phone);
    await click(css('[data-testid="step-phone"] [data-testid="submit"]'));
    await stepTitle('Enter the code');
    await type(By.id('code'), ALICE.code);
    await click(css('[data-testid="step-code"] [data-testid="submit"]'));
    const pageEl = await page.find('account-page', LOGIN_MS);
    await driver.wait(until.elementTextIs(await pageEl.findElement(css('h1')), ALICE.name), LOGIN_MS);
    accountId = Number(await driver.executeScript(
      'return document.querySelector(\'[data-testid="accounts-list"] button.account\').dataset.accountId;'));
    assert(Number.isInteger(accountId), `alice's account id: ${accountId}`);
  });

  await test('2. the Sessions page makes a new Telethon string, shown once with a warning', async () => {
    await accountMenu(ALICE.name, 'Sessions');
    await page.find('export-session');
    await click(css('[data-testid="export-format"] option[value="telethon-string"]'));
    await type(page.byTestId('export-label'), STRING_LABEL);
    await page.saveScreenshot('export-form.png');
    await click(page.byTestId('export-submit'));
    const box = await page.find('export-string', LOGIN_MS);
    const text = await box.getAttribute('value');
    assert(text.startsWith('1') && text.length > 300, `a Telethon StringSession is shown: ${text.length} chars`);
    const result = await page.textOf('export-result');
    assert(result.includes('keep it secret'), `the string comes with a warning: ${result}`);
    await page.saveScreenshot('export-string.png');
    const answer = await runTool('telethon-string', text);
    assert(answer.ok && answer.seen_own >= 3, `Telethon uses the string: ${JSON.stringify(answer)}`);
    firstString = text;
  });

  await test('3. a new Telethon session file through the path twin, listed under its name and used by Telethon', async () => {
    const file = path.join(dataDir, '..', `export-e2e-${process.pid}.session`);
    fs.rmSync(file, { force: true });
    const written = await driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('export_session_to', {
        request: { account_id: ${accountId}, mode: 'fresh', format: 'telethon-file', label: ${JSON.stringify(FILE_LABEL)}, confirmed: false, password: null, bot_token: null, login: null },
        path: ${JSON.stringify(file)},
      }).then((v) => done({ ok: v }), (e) => done({ error: e }));`);
    assert(written.ok, `export_session_to: ${JSON.stringify(written.error)}`);
    assert(written.ok.path === file && fs.existsSync(file), `the file is written: ${JSON.stringify(written.ok)}`);
    await reopenSessions(ALICE.name);
    await driver.wait(async () => (await sessionRows()).some((r) => r.includes(FILE_LABEL)), LOGIN_MS,
      `a session named ${FILE_LABEL} is listed`);
    await page.saveScreenshot('export-listed.png');
    const answer = await runTool('telethon-file', file);
    assert(answer.ok && answer.user_id && answer.seen_own >= 3, `Telethon uses the file: ${JSON.stringify(answer)}`);
    // Hearth's own session still works: the page reads the list again.
    await reopenSessions(ALICE.name);
    await driver.wait(async () => (await sessionRows()).length >= 3, LOGIN_MS, 'Hearth, the string and the file sessions');
    const errors = await driver.findElements(page.byTestId('sessions-error'));
    assert(errors.length === 0, `Sessions page error: ${errors.length ? await errors[0].getText() : ''}`);
    const state = await driver.executeScript(
      'return document.querySelector(\'[data-testid="accounts-list"] [data-testid="state-dot"]\').dataset.state;');
    assert(state === 'online', `Hearth stays online: ${state}`);
    fs.rmSync(file, { force: true });
  });

  await test('4. a new session signed in by a login code Hearth reads, from the form, used by Telethon', async () => {
    await reopenSessions(ALICE.name);
    await page.find('export-session');
    await click(css('[data-testid="export-format"] option[value="telethon-string"]'));
    await click(css('[data-testid="export-login"] option[value="code"]'));
    await type(page.byTestId('export-label'), CODE_LABEL);
    await click(page.byTestId('export-submit'));
    let text = '';
    await driver.wait(async () => {
      const boxes = await driver.findElements(page.byTestId('export-string'));
      text = boxes.length ? await boxes[0].getAttribute('value') : '';
      return text.startsWith('1') && text !== firstString;
    }, LOGIN_MS, 'a new string is shown');
    await page.saveScreenshot('export-code.png');
    const answer = await runTool('telethon-string', text);
    assert(answer.ok && answer.user_id && answer.seen_own >= 3, `Telethon uses the code-login string: ${JSON.stringify(answer)}`);
    const state = await driver.executeScript(
      'return document.querySelector(\'[data-testid="accounts-list"] [data-testid="state-dot"]\').dataset.state;');
    assert(state === 'online', `Hearth stays online: ${state}`);
  });
} catch (error) {
  fail('session', error);
} finally {
  if (driver) await driver.quit().catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
