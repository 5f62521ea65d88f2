// End-to-end test of accounts in the real app on its built-in Local test
// network (localdc in the app, demo world tests/world/demo.toml): sign-in by
// code, with 2FA, by QR code accepted from a Telethon client, with a bot
// token; switching accounts; a restart that keeps every account signed in;
// the Sessions page ending a Telethon session, then "Terminate all other
// sessions" refused while Hearth's session is fresh and, once localdc's
// control port has aged the sessions by a day, ending two Telethon sessions;
// and, last, that no auth key is anywhere in the data directory (they live
// only in the OS keyring).
//
// Usage: node accounts.test.mjs --app <hearth> --data-dir <fresh dir> --artifacts <dir>
// run.sh runs it under Xvfb inside a private D-Bus session with an unlocked
// gnome-keyring (tests/keyring/with-keyring.sh), after shell.test.mjs.
// Screenshots: login-*.png (each step of each login, a refused code and
// password), accounts-switch.png,
// restart.png, sessions.png, sessions-confirm.png, sessions-after.png,
// sessions-all-fresh.png, sessions-all-confirm.png, sessions-all-after.png.
// Prints "N passed, N failed".

import fs from 'node:fs';
import net from 'node:net';
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
  formHelpers,
} from './harness.mjs';
import { TelethonPeer } from './peer.mjs';
import { keyringAuthKeys, scanForSecrets } from './secrets.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('accounts.test.mjs');
const announcementPath = path.join(dataDir, 'localdc', 'announcement.json');
// Logging in and connecting go through localdc inside the app; give them room.
const LOGIN_MS = 45_000;
const PEER_DEVICE = 'Telethon e2e peer';
// The app column: the title the demo world registers for the api_id
// (Telethon's 12345: "Telethon"; Hearth's 1: "Hearth") and the app_version
// (telethon_peer.py says "e2e peer").
const PEER_APP = 'Telethon e2e peer';
const HEARTH_APP = /^Hearth \d+\.\d+\.\d+/;

// What the demo world says (tests/world/demo.toml); the test reads the
// numbers and codes from the screen and checks them against this.
const ALICE = { name: 'Alice Liddell', phone: '+9996621234', code: '22222' };
const BOB = { name: 'Bob', phone: '+9996641111' };
const CAROL = { name: 'Carol Secure', phone: '+9996625555', code: '22222' };
const CAROL_PASSWORD = 'correct horse battery staple';
const CAROL_HINT = 'xkcd 936';
const BOT = { name: 'Hearth Helper', token: '7000001:AAHearthDemoBotSecretToken' };

let tauriDriver;
let driver;
let page;
const peers = [];

const css = (selector) => By.css(selector);
// `within`: search below the element it is used on ('.'), not the whole page.
const xpathText = (tag, text, within = '') => By.xpath(`${within}//${tag}[normalize-space()=${JSON.stringify(text)}]`);

const { click, type, stepTitle } = formHelpers(() => driver, () => page, LOGIN_MS);

async function submitStep(form) {
  await click(css(`[data-testid="${form}"] [data-testid="submit"]`));
}

/** The demo accounts table of the wizard: name -> what to sign in with. */
async function demoAccounts() {
  const rows = await driver.findElements(css('[data-testid="demo-accounts"] tbody tr'));
  const table = {};
  for (const row of rows) {
    const [name, how] = await Promise.all((await row.findElements(css('td'))).map((c) => c.getText()));
    table[name] = how;
  }
  return table;
}

/** Opens Add account and the network step; picks the Local test network. */
async function openWizard({ expectPreselected }) {
  const add = await driver.findElements(page.byTestId('add-account'));
  if (add.length > 0) await add[0].click();
  else await click(css('[data-testid="sidebar"] button.link'));
  await stepTitle('Choose a network', TIMEOUT_MS);
  const local = await driver.findElement(css('[data-testid="network-option-local"] input'));
  if (expectPreselected) assert(await local.isSelected(), 'Local test network is preselected while no account exists');
  else if (!(await local.isSelected())) await click(css('[data-testid="network-option-local"]'));
  assert(await local.isSelected(), 'Local test network is chosen');
}

async function continueToMethods() {
  await submitStep('step-network');
  await stepTitle('How do you want to sign in?');
}

/** After a login the app shows the new account's page. */
async function expectAccountPage(name) {
  const pageEl = await page.find('account-page', LOGIN_MS);
  const heading = await pageEl.findElement(css('h1'));
  await driver.wait(until.elementTextIs(heading, name), LOGIN_MS, `account page of ${name}`);
}

/** The sidebar's accounts in order: id, name, connection state, button. */
async function sidebarAccounts() {
  const buttons = await driver.findElements(css('[data-testid="accounts-list"] button.account'));
  // textContent, not WebDriver's rendered text: WebKitWebDriver reports the
  // ellipsised spans inside the button as empty.
  const facts = await driver.executeScript(`
    return [...document.querySelectorAll('[data-testid="accounts-list"] button.account')].map((b) => ({
      id: b.dataset.accountId,
      name: b.querySelector('.name').textContent.trim(),
      state: b.querySelector('[data-testid="state-dot"]').dataset.state,
    }));`);
  return facts.map((f, i) => ({ ...f, element: buttons[i] }));
}

async function waitForAccounts(names, state, ms = LOGIN_MS) {
  let seen = [];
  try {
    await driver.wait(async () => {
      seen = await sidebarAccounts();
      const byName = new Map(seen.map((a) => [a.name, a.state]));
      return names.every((n) => byName.has(n) && (!state || byName.get(n) === state));
    }, ms);
  } catch {
    throw new Error(`sidebar: ${JSON.stringify(seen.map(({ name, state: s }) => [name, s]))}; wanted ${names} ${state ?? ''}`);
  }
  return seen;
}

/**
 * Sends one request to the control port of the app's Local test network
 * (localdc, address from its announcement) and returns the JSON answer.
 */
async function localdcControl(request) {
  const { control } = JSON.parse(fs.readFileSync(announcementPath, 'utf8'));
  const [host, port] = [control.slice(0, control.lastIndexOf(':')), Number(control.slice(control.lastIndexOf(':') + 1))];
  const line = await new Promise((resolve, reject) => {
    let received = '';
    const socket = net.connect(port, host.replace(/^\[|\]$/g, ''), () => socket.write(`${JSON.stringify(request)}\n`));
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`localdc control ${control}: no answer to ${request.cmd}`)));
    socket.on('data', (chunk) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end >= 0) {
        socket.end();
        resolve(received.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
  console.log(`     localdc control ${request.cmd} -> ${line}`);
  return JSON.parse(line);
}

/** Chooses `action` in the ⋯ menu of `name` in the sidebar. */
async function accountMenu(name, action) {
  await click(css(`[aria-label="Actions for ${name}"]`));
  await click(By.xpath(`//button[@role="menuitem" and normalize-space()=${JSON.stringify(action)}]`));
}

/**
 * Opens `name`'s Sessions page afresh (by way of its Proxy page, so a page
 * already shown is left and read again) from the ⋯ menu in the sidebar.
 */
async function reopenSessions(name) {
  await accountMenu(name, 'Proxy');
  await page.find('proxy-page');
  await accountMenu(name, 'Sessions');
  return page.find('sessions-page');
}

/** The text of each session row, the current one first. */
async function sessionRows() {
  return driver.executeScript(
    'return [...document.querySelectorAll(\'[data-testid="session-row"]\')].map((r) => r.innerText.replace(/\\s+/g, " ").trim());',
  );
}

async function openApp() {
  driver = await tauriDriver.open();
  page = pageHelpers(driver, artifacts);
  await page.find('sidebar');
}

/**
 * Quits the app the way a desktop session ending does (SIGTERM: the app then
 * runs its exit path, as when its window closes) and waits for it to end.
 * WebDriver's own Close Window would kill the process without that path.
 */
async function quitApp() {
  const pids = appPids(app, dataDir);
  assert(pids.length === 1, `one app process runs on the data dir: ${pids}`);
  process.kill(pids[0], 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (appPids(app, dataDir).length > 0) {
    if (Date.now() > deadline) throw new Error(`the app still runs 20 s after SIGTERM: PID ${pids[0]}`);
    await sleep(200);
  }
  await driver?.quit().catch(() => {});
  driver = undefined;
}

try {
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort, logName: 'tauri-driver-accounts.log' });
  await openApp();

  await test('1. alice signs in with phone and code, guided by the screen', async () => {
    await openWizard({ expectPreselected: true });
    const demo = await demoAccounts();
    assert(demo[ALICE.name], `demo table lacks ${ALICE.name}: ${JSON.stringify(demo)}`);
    const [, phone] = demo[ALICE.name].match(/phone (\+\d+)/) ?? [];
    const [, code] = demo[ALICE.name].match(/code (\d+)/) ?? [];
    assert(phone === ALICE.phone && code === ALICE.code, `demo row for alice: ${demo[ALICE.name]}`);
    await page.saveScreenshot('login-1-network.png');
    await continueToMethods();
    await page.saveScreenshot('login-2-method.png');
    await click(page.byTestId('method-phone'));
    await stepTitle('Your phone number');
    // Typed the way people write numbers; the form says what it will use.
    await type(By.id('phone'), `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
    await driver.wait(until.elementTextIs(await page.find('phone-help'), `Will sign in as ${phone}.`), TIMEOUT_MS);
    await page.saveScreenshot('login-3-phone.png');
    await submitStep('step-phone');
    await stepTitle('Enter the code');
    const delivery = await page.textOf('code-delivery');
    assert(delivery.includes('5-digit code'), `the code step says how the code was sent: ${delivery}`);
    await type(By.id('code'), '11111');
    await submitStep('step-code');
    const wrong = await page.find('code-error', LOGIN_MS);
    await driver.wait(until.elementTextContains(wrong, 'That code is not right'), LOGIN_MS, 'a wrong code is refused on its field');
    await page.saveScreenshot('login-4-code-wrong.png');
    await type(By.id('code'), code);
    await page.saveScreenshot('login-4-code.png');
    await submitStep('step-code');
    await expectAccountPage(ALICE.name);
    await waitForAccounts([ALICE.name], 'online');
    await page.saveScreenshot('login-5-signed-in.png');
  });

  await test('2. carol (2FA): the password step shows the hint, then the password signs in', async () => {
    await openWizard({ expectPreselected: false });
    const demo = await demoAccounts();
    assert(demo[CAROL.name]?.includes(`password ${CAROL_PASSWORD}`), `demo row for carol: ${demo[CAROL.name]}`);
    await continueToMethods();
    await click(page.byTestId('method-phone'));
    await type(By.id('phone'), CAROL.phone);
    await submitStep('step-phone');
    await stepTitle('Enter the code');
    await type(By.id('code'), CAROL.code);
    await submitStep('step-code');
    await stepTitle('Your password');
    const hint = await page.textOf('password-hint');
    assert(hint === `Hint: ${CAROL_HINT}`, `password hint: ${hint}`);
    await type(By.id('password'), 'not the password');
    await submitStep('step-password');
    const error = await page.find('password-error', LOGIN_MS);
    await driver.wait(until.elementTextContains(error, 'not right'), LOGIN_MS, 'a wrong password is refused on its field');
    await page.saveScreenshot('login-password.png');
    await type(By.id('password'), CAROL_PASSWORD);
    await submitStep('step-password');
    await expectAccountPage(CAROL.name);
    await waitForAccounts([ALICE.name, CAROL.name], 'online');
  });

  await test('3. bob signs in by QR code, accepted by his Telethon session on the same network', async () => {
    assert(fs.existsSync(announcementPath), `the app wrote no ${announcementPath}`);
    const bob = new TelethonPeer(announcementPath, 'bob');
    peers.push(bob);
    const signedIn = await bob.send({ cmd: 'sign_in', phone: BOB.phone, device: 'Bob phone (Telethon)' });
    assert(signedIn.ok && signedIn.first_name === 'Bob' && signedIn.dc === 4, `Telethon sign-in: ${JSON.stringify(signedIn)}`);
    await openWizard({ expectPreselected: false });
    await continueToMethods();
    await click(page.byTestId('method-qr'));
    await stepTitle('Scan the QR code');
    const qr = await page.find('qr-code', LOGIN_MS);
    const url = await qr.getAttribute('data-url');
    assert(/^tg:\/\/login\?token=[A-Za-z0-9_-]+=*$/.test(url), `QR URL: ${url}`);
    await page.saveScreenshot('login-qr.png');
    const accepted = await bob.send({ cmd: 'accept_login_token', url });
    assert(accepted.ok, `auth.acceptLoginToken: ${JSON.stringify(accepted)}`);
    await expectAccountPage(BOB.name);
    await bob.send({ cmd: 'quit' });
  });

  await test('4. the demo bot signs in with its token', async () => {
    await openWizard({ expectPreselected: false });
    const demo = await demoAccounts();
    const botRow = Object.entries(demo).find(([name]) => name.startsWith(BOT.name));
    assert(botRow?.[1].includes(`bot token ${BOT.token}`), `demo row for the bot: ${JSON.stringify(botRow)}`);
    await continueToMethods();
    await click(page.byTestId('method-bot_token'));
    await stepTitle('Bot token');
    await type(By.id('bot-token'), BOT.token);
    await page.saveScreenshot('login-bot-token.png');
    await submitStep('step-bot-token');
    await expectAccountPage(BOT.name);
    const facts = await (await page.find('account-page')).getText();
    assert(/Type\s+Bot/.test(facts), `the bot's page says it is a bot: ${facts}`);
  });

  const everyone = [ALICE.name, CAROL.name, BOB.name, BOT.name];

  await test('5. switching accounts in the sidebar: the main view follows', async () => {
    const accounts = await waitForAccounts(everyone, null);
    for (const name of [ALICE.name, BOT.name, CAROL.name]) {
      await accounts.find((a) => a.name === name).element.click();
      await expectAccountPage(name);
      const current = await driver.executeScript(
        `return document.querySelector('[data-testid="accounts-list"] button.account[aria-current="true"] .name')?.textContent.trim();`,
      );
      assert(current === name, `${name} is marked current in the sidebar, not ${current}`);
    }
    await page.saveScreenshot('accounts-switch.png');
  });

  await test('6. after quitting and restarting on the same data dir every account is there and online', async () => {
    await quitApp();
    assert(!fs.existsSync(announcementPath), 'the app removed the announcement of its stopped network on quitting');
    await openApp();
    const accounts = await waitForAccounts(everyone, 'online', 60_000);
    assert(accounts.length === everyone.length, `after restart: ${accounts.map((a) => a.name)}`);
    assert(fs.existsSync(announcementPath), 'the restarted network announced itself again');
    await page.saveScreenshot('restart.png');
  });

  await test('7. Sessions: a Telethon session of alice is listed, terminated after confirming, and then refused', async () => {
    const alice = new TelethonPeer(announcementPath, 'alice');
    peers.push(alice);
    const signedIn = await alice.send({ cmd: 'sign_in', phone: ALICE.phone, device: PEER_DEVICE });
    assert(signedIn.ok && signedIn.first_name === 'Alice', `Telethon sign-in: ${JSON.stringify(signedIn)}`);
    const before = await alice.send({ cmd: 'get_state' });
    assert(before.ok, `Telethon works before: ${JSON.stringify(before)}`);

    const accounts = await sidebarAccounts();
    await accounts.find((a) => a.name === ALICE.name).element.click();
    await expectAccountPage(ALICE.name);
    // From the account's ⋯ menu in the sidebar (the account page has a button too).
    await accountMenu(ALICE.name, 'Sessions');
    const sessionsPage = await page.find('sessions-page');
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//tr[@data-testid="session-row"][.//strong[normalize-space()=${JSON.stringify(PEER_DEVICE)}]]`)),
      LOGIN_MS,
      `a session row for ${PEER_DEVICE}`,
    );
    const current = await sessionsPage.findElements(page.byTestId('current-session'));
    assert(current.length === 1, `exactly one row is "This device": ${current.length}`);
    const currentRow = await driver.executeScript(
      'return document.querySelector(\'[data-testid="current-session"]\').closest("tr").textContent',
    );
    assert(currentRow.includes('DC 2'), `the current session names alice's home DC: ${currentRow}`);
    // The app column names the app registered behind each api_id.
    const [hearthRow] = await sessionRows();
    const apps = await driver.executeScript(
      'return [...document.querySelectorAll(\'[data-testid="session-row"]\')].map((r) => r.cells[1].textContent.trim());',
    );
    assert(HEARTH_APP.test(apps[0]), `Hearth's own session shows its app as "Hearth <version>": ${hearthRow}`);
    const peerApp = await (await row.findElement(css('td:nth-child(2)'))).getText();
    assert(peerApp === PEER_APP, `the Telethon session's app: ${peerApp}`);
    // "This device" stays one piece on one line at the test's window size.
    const badge = await driver.executeScript(`
      const b = document.querySelector('[data-testid="current-session"]');
      const style = getComputedStyle(b);
      const r = b.getBoundingClientRect();
      const name = b.closest('td').querySelector('strong').getBoundingClientRect();
      const middle = (r.top + r.bottom) / 2;
      return { height: r.height, fontSize: parseFloat(style.fontSize), lines: b.getClientRects().length,
               besideName: middle > name.top && middle < name.bottom };`);
    assert(badge.lines === 1 && badge.height < badge.fontSize * 2.2, `the "This device" badge wraps: ${JSON.stringify(badge)}`);
    assert(badge.besideName, `the "This device" badge sits on the device name's line: ${JSON.stringify(badge)}`);
    await page.saveScreenshot('sessions.png');
    await (await row.findElement(xpathText('button', 'Terminate', '.'))).click();
    const dialog = await page.find('confirm-dialog');
    const question = await dialog.getText();
    assert(question.includes('Terminate this session?') && question.includes(PEER_DEVICE), `confirmation: ${question}`);
    await page.saveScreenshot('sessions-confirm.png');
    await (await dialog.findElement(xpathText('button', 'Terminate', '.'))).click();
    await driver.wait(until.stalenessOf(row), LOGIN_MS, 'the terminated session leaves the list');
    const errors = await driver.findElements(page.byTestId('sessions-error'));
    assert(errors.length === 0, `Sessions page error: ${errors.length ? await errors[0].getText() : ''}`);
    await page.saveScreenshot('sessions-after.png');

    const after = await alice.send({ cmd: 'get_state' });
    assert(!after.ok && after.error === 'AUTH_KEY_UNREGISTERED', `Telethon after termination: ${JSON.stringify(after)}`);
    await alice.send({ cmd: 'quit' }).catch(() => {});
    await waitForAccounts([ALICE.name], 'online', TIMEOUT_MS);
  });

  await test('8. Terminate all other sessions: refused while fresh, then ends both Telethon sessions once localdc aged them a day', async () => {
    const devices = ['Alice tablet (Telethon)', 'Alice laptop (Telethon)'];
    const others = [];
    for (const [i, device] of devices.entries()) {
      const peer = new TelethonPeer(announcementPath, `alice-${i + 2}`);
      peers.push(peer);
      others.push(peer);
      const signedIn = await peer.send({ cmd: 'sign_in', phone: ALICE.phone, device });
      assert(signedIn.ok && signedIn.first_name === 'Alice', `Telethon sign-in of ${device}: ${JSON.stringify(signedIn)}`);
      const state = await peer.send({ cmd: 'get_state' });
      assert(state.ok, `${device} works before: ${JSON.stringify(state)}`);
    }
    // Reopened, the page reads the list again and shows the new sessions.
    const sessionsPage = await reopenSessions(ALICE.name);
    for (const device of devices) {
      await driver.wait(
        until.elementLocated(By.xpath(`//tr[@data-testid="session-row"][.//strong[normalize-space()=${JSON.stringify(device)}]]`)),
        LOGIN_MS,
        `a session row for ${device}`,
      );
    }

    const listed = (await sessionRows()).length;
    assert(listed >= 3, `Hearth's session and both Telethon sessions are listed: ${await sessionRows()}`);
    // Hearth's session of alice is minutes old: Telegram refuses, and the page says why.
    const terminateAll = async () => {
      await click(page.byTestId('terminate-others'));
      const dialog = await page.find('confirm-dialog');
      const question = await dialog.getText();
      assert(question.includes('Terminate all other sessions?'), `confirmation: ${question}`);
      return dialog;
    };
    let dialog = await terminateAll();
    await (await dialog.findElement(xpathText('button', 'Terminate all', '.'))).click();
    const refused = await page.find('sessions-error', LOGIN_MS);
    await driver.wait(until.elementTextContains(refused, 'signed in for 24 hours'), LOGIN_MS, 'the refusal is explained');
    const why = await refused.getText();
    assert(
      why === 'Telegram lets a session end other sessions only after it has been signed in for 24 hours.',
      `the refusal in plain words: ${why}`,
    );
    assert((await sessionRows()).length === listed, `nothing was ended: ${await sessionRows()}`);
    for (const peer of others) {
      const state = await peer.send({ cmd: 'get_state' });
      assert(state.ok, `${peer.name} still works after the refusal: ${JSON.stringify(state)}`);
    }
    await page.saveScreenshot('sessions-all-fresh.png');

    // A day passes for alice's sessions (localdc's control port), and the same click ends the others.
    const aged = await localdcControl({ cmd: 'age_authorizations', secs: 25 * 3600, phone: ALICE.phone });
    assert(aged.ok && aged.aged >= 3, `age_authorizations: ${JSON.stringify(aged)}`);
    dialog = await terminateAll();
    await page.saveScreenshot('sessions-all-confirm.png');
    await (await dialog.findElement(xpathText('button', 'Terminate all', '.'))).click();
    let rows = [];
    try {
      await driver.wait(async () => (rows = await sessionRows()).length === 1, LOGIN_MS);
    } catch {
      const errors = await driver.findElements(page.byTestId('sessions-error'));
      throw new Error(`still listed: ${JSON.stringify(rows)}; error: ${errors.length ? await errors[0].getText() : 'none'}`);
    }
    const current = await sessionsPage.findElements(page.byTestId('current-session'));
    assert(current.length === 1, `the one session left is this device: ${rows}`);
    assert((await driver.findElements(page.byTestId('terminate-others'))).length === 0, 'no other session is left to terminate');
    assert((await driver.findElements(page.byTestId('sessions-error'))).length === 0, 'no error after the reset');
    await page.saveScreenshot('sessions-all-after.png');

    for (const peer of others) {
      const after = await peer.send({ cmd: 'get_state' });
      assert(!after.ok && after.error === 'AUTH_KEY_UNREGISTERED', `Telethon ${peer.name} after the reset: ${JSON.stringify(after)}`);
      await peer.send({ cmd: 'quit' }).catch(() => {});
    }
    await waitForAccounts([ALICE.name], 'online', TIMEOUT_MS);
  });

  await test('9. no auth key is anywhere in the data directory; each is in the keyring only', async () => {
    if (appPids(app, dataDir).length > 0) await quitApp();
    const keys = keyringAuthKeys(dataDir);
    const accountsWithKeys = new Set(keys.map((k) => k.account));
    assert(accountsWithKeys.size >= everyone.length, `keyring holds keys of ${accountsWithKeys.size} accounts: ${keys.map((k) => k.name)}`);
    const localdcDir = path.join(dataDir, 'localdc');
    // The emulated server keeps its side of every key in its own state
    // (<data dir>/localdc): finding them there shows the scan works.
    const serverSide = scanForSecrets(localdcDir, keys, () => false);
    const serverKeys = new Set(serverSide.filter((f) => f.form === 'raw').map((f) => f.key));
    const unknown = keys.filter((k) => !serverKeys.has(k.name)).map((k) => k.name);
    assert(unknown.length === 0, `keys the scan does not find in localdc's own state (${localdcDir}): ${unknown}; a blind scan, or keyring entries no server made`);
    const leaks = scanForSecrets(dataDir, keys, (file) => file.startsWith(localdcDir + path.sep));
    assert(leaks.length === 0, `auth keys found on disk: ${leaks.map((l) => `${l.key} as ${l.form} in ${l.file}`).join('; ')}`);
    console.log(`     ${keys.length} keyring keys of ${accountsWithKeys.size} accounts; ${serverKeys.size} of them found in localdc's state (the control), none elsewhere in the data dir`);
  });
} catch (error) {
  fail('session', error);
} finally {
  for (const peer of peers) peer.kill();
  if (driver) await driver.quit().catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
