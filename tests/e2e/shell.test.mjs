// End-to-end test of the Hearth shell: drives the real app binary through
// tauri-driver (which runs WebKitWebDriver) and checks what a person sees.
//
// Usage: node shell.test.mjs --app <path to hearth-app> --data-dir <dir> --artifacts <dir>
// Writes <artifacts>/shell.png (the shell as it starts), diagnostics.png (the
// filled grid after a sweep of the Local test network), diagnostics-details.png,
// diagnostics-chart.png, each login step (login-network.png, login-phone.png,
// login-code.png, login-done.png, login-password.png, login-bot-token.png) and
// sessions.png. Signing in needs a Secret Service (run.sh starts one).
// Expects tauri-driver to be started by this script on 127.0.0.1:4444; run.sh
// provides the X display (Xvfb) and builds the app. Prints "N passed, N failed".

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Builder, By, until } from 'selenium-webdriver';

const { values: args } = parseArgs({
  options: {
    app: { type: 'string' },
    'data-dir': { type: 'string' },
    artifacts: { type: 'string' },
    'driver-port': { type: 'string', default: '4444' },
  },
});
for (const name of ['app', 'data-dir', 'artifacts']) {
  if (!args[name]) {
    console.error(`shell.test.mjs: --${name} is required`);
    process.exit(2);
  }
}
const app = path.resolve(args.app);
const dataDir = path.resolve(args['data-dir']);
const artifacts = path.resolve(args.artifacts);
const driverPort = Number(args['driver-port']);
const TIMEOUT_MS = 20_000;
// Exit code hearth-app uses when another instance holds the data directory
// (src-tauri/src/startup.rs, EXIT_ALREADY_RUNNING).
const EXIT_ALREADY_RUNNING = 3;

const results = [];
async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitForPort(port, child, deadline) {
  const net = await import('node:net');
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    const connected = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on 127.0.0.1:${port}`);
}

function runSecondInstance() {
  return new Promise((resolve, reject) => {
    const child = spawn(app, [], {
      env: { ...process.env, HEARTH_DATA_DIR: dataDir, HEARTH_NO_DIALOG: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('second instance did not exit within 15 s (it should refuse to start)'));
    }, 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

// tauri-driver logs every connection attempt it retries while WebKitWebDriver
// starts; keep that in a file and show it only when something failed.
fs.mkdirSync(artifacts, { recursive: true });
const driverLogPath = path.join(artifacts, 'tauri-driver.log');
const driverLog = fs.openSync(driverLogPath, 'w');
const driverProcess = spawn('tauri-driver', ['--port', String(driverPort)], {
  env: { ...process.env, HEARTH_DATA_DIR: dataDir, HEARTH_NO_DIALOG: '1' },
  stdio: ['ignore', driverLog, driverLog],
});

// Never leave tauri-driver (and the app it started) behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    driverProcess.kill('SIGTERM');
    process.exit(1);
  });
}

let driver;
try {
  await waitForPort(driverPort, driverProcess, Date.now() + TIMEOUT_MS);
  driver = await new Builder()
    .usingServer(`http://127.0.0.1:${driverPort}/`)
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
    .build();

  const saveScreenshot = async (name) => {
    const png = Buffer.from(await withTimeout(driver.takeScreenshot(), 'screenshot'), 'base64');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, name), png);
    assert(png.subarray(1, 4).toString() === 'PNG', `${name} is not a PNG`);
    assert(png.length > 10_000, `${name} is suspiciously small (${png.length} bytes): blank window?`);
  };
  const byTestId = (id) => By.css(`[data-testid="${id}"]`);
  const textOf = async (id) =>
    (await driver.wait(until.elementLocated(byTestId(id)), TIMEOUT_MS)).getText();

  await test('shell shows the accounts sidebar with the Add account empty state', async () => {
    const sidebar = await driver.wait(until.elementLocated(byTestId('sidebar')), TIMEOUT_MS);
    assert(await sidebar.isDisplayed(), 'sidebar is not displayed');
    const empty = await textOf('accounts-empty');
    assert(empty.includes('No accounts yet.'), `empty state text: ${empty}`);
    const add = await driver.findElement(byTestId('add-account'));
    assert((await add.getText()) === 'Add account', 'Add account button text');
    assert(await add.isEnabled(), 'Add account button is enabled');
    // The empty state comes from list_accounts over IPC, not from a failure.
    const alerts = await sidebar.findElements(By.css('[role="alert"]'));
    assert(alerts.length === 0, `sidebar shows an error: ${alerts.length ? await alerts[0].getText() : ''}`);
  });

  await test('main area shows the welcome state', async () => {
    const welcome = await textOf('welcome');
    assert(welcome.includes('Welcome to Hearth'), `welcome text: ${welcome}`);
  });

  await test('sidebar has the Diagnostics entry', async () => {
    const nav = await driver.findElement(byTestId('nav-diagnostics'));
    assert((await nav.getText()) === 'Diagnostics', 'Diagnostics entry text');
  });

  await test('footer shows app_info from IPC: version, layer 229, data dir', async () => {
    const layerEl = await driver.wait(until.elementLocated(byTestId('footer-layer')), TIMEOUT_MS);
    await driver.wait(until.elementTextIs(layerEl, 'layer 229'), TIMEOUT_MS);
    const version = await textOf('footer-version');
    assert(/^Hearth \d+\.\d+\.\d+/.test(version), `footer version: ${version}`);
    const dir = await textOf('footer-data-dir');
    assert(dir === fs.realpathSync(dataDir), `footer data dir ${dir} != ${dataDir}`);
  });

  await test('screenshot of the shell as it starts is saved', async () => {
    await saveScreenshot('shell.png');
  });

  await test('Diagnostics page shows the installation facts', async () => {
    await driver.findElement(byTestId('nav-diagnostics')).click();
    const page = await textOf('diagnostics-page');
    assert(page.includes('About this installation'), `diagnostics heading: ${page}`);
    assert((await textOf('about-layer')) === '229', 'layer on Diagnostics');
    assert(/^\d+\.\d+\.\d+/.test(await textOf('about-version')), 'version on Diagnostics');
    const dir = await textOf('about-data-dir');
    assert(dir === fs.realpathSync(dataDir), `data dir on Diagnostics: ${dir}`);
    const db = await textOf('about-database');
    assert(db.includes(path.join(fs.realpathSync(dataDir), 'hearth.sqlite3')), `database: ${db}`);
    assert(fs.existsSync(path.join(dataDir, 'hearth.sqlite3')), 'database file exists on disk');
  });

  await test('Diagnostics lists the networks, Local test network first', async () => {
    const picker = await textOf('network-picker');
    for (const name of ['Local test network', 'Production', 'Test']) {
      assert(picker.includes(name), `network picker lacks ${name}: ${picker}`);
    }
  });

  await test('sweep of the Local test network fills the grid: every DC OK with a latency', async () => {
    await driver.findElement(byTestId('network-local')).click();
    const infoEl = await driver.wait(until.elementLocated(byTestId('local-info')), 60_000);
    const info = await infoEl.getText();
    assert(/5 DCs at DC 1 127\.0\.0\.1:\d+/.test(info), `local network info: ${info}`);
    assert(fs.existsSync(path.join(dataDir, 'localdc')), 'localdc state lives in <data dir>/localdc');
    await driver.findElement(byTestId('run-all')).click();
    let statuses = [];
    await driver.wait(async () => {
      const cells = await driver.findElements(byTestId('diag-cell'));
      statuses = await Promise.all(cells.map((c) => c.getAttribute('data-status')));
      return statuses.length > 0 && statuses.every((s) => s !== 'pending');
    }, 60_000, 'every cell of the grid reaches a final status');
    // 5 DCs × 4 direct transports (abridged, intermediate, padded, obfuscated).
    assert(statuses.length === 20, `grid has ${statuses.length} cells: ${statuses}`);
    assert(statuses.every((s) => s === 'ok'), `not every cell is OK: ${statuses}`);
    const rows = await driver.findElements(By.css('[data-testid="diag-grid"] tbody th'));
    const rowNames = await Promise.all(rows.map((r) => r.getText()));
    assert(rowNames.join(',') === [1, 2, 3, 4, 5].map((d) => `DC ${d} · ipv4`).join(','), `rows: ${rowNames}`);
    const latencies = await driver.findElements(byTestId('cell-latency'));
    const texts = await Promise.all(latencies.map((l) => l.getText()));
    assert(texts.length === 20 && texts.every((t) => /^\d+(\.\d)? ms$/.test(t)), `latencies: ${texts}`);
    const status = await textOf('sweep-status');
    assert(status.includes('20 OK, 0 failed of 20'), `sweep status: ${status}`);
    await saveScreenshot('diagnostics.png');
  });

  await test('a cell opens the details drawer with the verdict and timed steps', async () => {
    const cells = await driver.findElements(byTestId('diag-cell'));
    await cells[0].click();
    const drawer = await driver.wait(until.elementLocated(byTestId('probe-drawer')), TIMEOUT_MS);
    const title = await textOf('verdict-title');
    assert(/^DC 1 .*answered$/.test(title), `verdict title: ${title}`);
    const next = await textOf('verdict-next-step');
    assert(next === 'Nothing to do: use this route.', `next step: ${next}`);
    const steps = await drawer.findElements(byTestId('probe-step'));
    const names = await Promise.all(steps.map(async (s) => (await s.findElement(By.css('td')).getText())));
    for (const name of ['connect', 'request', 'answer']) {
      assert(names.includes(name), `steps ${names} lack ${name}`);
    }
    const stepText = await steps[0].getText();
    assert(/\d ms/.test(stepText), `step has no timing: ${stepText}`);
    await saveScreenshot('diagnostics-details.png');
  });

  const waitForFinalGrid = async (what) => {
    let statuses = [];
    await driver.wait(async () => {
      const cells = await driver.findElements(byTestId('diag-cell'));
      statuses = await Promise.all(cells.map((c) => c.getAttribute('data-status')));
      return statuses.length > 0 && statuses.every((s) => s !== 'pending');
    }, 60_000, what);
    return statuses;
  };

  await test('one cell runs again from the drawer; a second full run adds a point to the latency chart', async () => {
    // Run 1 was the first sweep, run 2 is this single cell, run 3 the full run below.
    await driver.findElement(byTestId('rerun-cell')).click();
    const latest = await driver.wait(until.elementLocated(byTestId('latency-last')), TIMEOUT_MS);
    await driver.wait(until.elementTextMatches(latest, /^Run 2: /), 60_000);
    const statuses = await waitForFinalGrid('the re-run cell reaches a final status');
    assert(statuses.length === 20 && statuses.every((s) => s === 'ok'), `after re-run: ${statuses}`);
    await driver.findElement(By.css('[aria-label="Close details"]')).click();
    await driver.findElement(byTestId('run-all')).click();
    const chart = await driver.findElement(byTestId('latency-chart'));
    await driver.wait(async () => (await chart.findElements(By.css('canvas'))).length > 0, TIMEOUT_MS, 'uPlot drew its canvas');
    await driver.wait(until.elementTextMatches(latest, /^Run 3: DC 1 · ipv4 \d/), 60_000);
    const again = await waitForFinalGrid('the second run reaches a final status');
    assert(again.length === 20 && again.every((s) => s === 'ok'), `after the second run: ${again}`);
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', chart);
    await saveScreenshot('diagnostics-chart.png');
  });

  await test('the report is saved as JSON in the data dir and the support text is shown', async () => {
    await driver.findElement(byTestId('save-report')).click();
    const saved = await textOf('report-path');
    const match = saved.match(/^Saved 20 probes to (.+\.json)$/);
    assert(match, `save message: ${saved}`);
    assert(match[1].startsWith(path.join(fs.realpathSync(dataDir), 'reports')), `report path: ${match[1]}`);
    const report = JSON.parse(fs.readFileSync(match[1], 'utf8'));
    assert(report.network === 'local' && report.probes.length === 20, 'report lists the 20 probes');
    assert(report.summary.reachable_dcs.join() === '1,2,3,4,5', `reachable: ${report.summary.reachable_dcs}`);
    await driver.findElement(byTestId('copy-support')).click();
    const box = await driver.wait(until.elementLocated(byTestId('support-text')), TIMEOUT_MS);
    const text = await box.getAttribute('value');
    assert(text.startsWith('Hearth diagnostics: Local test network'), `support text: ${text}`);
    assert(text.includes('20 probes: 20 OK, 0 failed'), `support text: ${text}`);
    assert((await textOf('copy-status')).length > 0, 'copy status shown');
  });

  // Sign-in on the built-in Local test network, guided by the screen: the
  // demo world's numbers log in with their DC digit five times as the code.
  const fill = async (id, text) => {
    const input = await driver.wait(until.elementLocated(By.id(id)), TIMEOUT_MS);
    await input.clear();
    await input.sendKeys(text);
  };
  const submitStep = async () => (await driver.findElement(byTestId('submit'))).click();
  const waitFor = (id) => driver.wait(until.elementLocated(byTestId(id)), TIMEOUT_MS);
  // textContent: WebDriver's visible-text rules skip the ellipsised names.
  const sidebarText = () =>
    driver.executeScript('return document.querySelector(\'[data-testid="sidebar"]\').textContent');
  /** Opens Add account on the local network and picks `method`. */
  const startLocal = async (method, shots) => {
    await driver.findElement(byTestId('add-account')).click();
    const local = await waitFor('network-option-local');
    await local.findElement(By.css('input')).click();
    if (shots) await saveScreenshot('login-network.png');
    await submitStep();
    await (await waitFor(`method-${method}`)).click();
  };
  const expectSignedIn = async (name) => {
    try {
      await driver.wait(async () => (await sidebarText()).includes(name), TIMEOUT_MS);
    } catch (error) {
      await saveScreenshot(`failed-${name.replace(/\W/g, '-')}.png`);
      throw new Error(`${name} not in the sidebar: ${JSON.stringify(await sidebarText())} (${error})`);
    }
    await driver.wait(until.elementTextContains(await waitFor('account-page'), name), TIMEOUT_MS);
  };

  await test('signs in with a phone number and code, showing how the code was sent', async () => {
    await startLocal('phone', true);
    await fill('phone', '+999 662 1234');
    const help = await driver.findElement(byTestId('phone-help'));
    await driver.wait(until.elementTextIs(help, 'Will sign in as +9996621234.'), TIMEOUT_MS);
    await saveScreenshot('login-phone.png');
    await submitStep();
    const delivery = await textOf('code-delivery');
    assert(delivery.includes('5-digit code'), `code delivery: ${delivery}`);
    await fill('code', '11111');
    await submitStep();
    await driver.wait(until.elementTextContains(await waitFor('code-error'), 'That code is not right'), TIMEOUT_MS);
    await saveScreenshot('login-code.png');
    await fill('code', '22222');
    await submitStep();
    await expectSignedIn('Alice Liddell');
    await saveScreenshot('login-done.png');
  });

  await test('signs in an account with a 2FA password, showing its hint', async () => {
    await startLocal('phone');
    await fill('phone', '+9996625555');
    await submitStep();
    await waitFor('code-delivery');
    await fill('code', '22222');
    await submitStep();
    const hint = await textOf('password-hint');
    assert(hint === 'Hint: xkcd 936', `hint: ${hint}`);
    await fill('password', 'wrong horse');
    await submitStep();
    await driver.wait(until.elementTextContains(await waitFor('password-error'), 'not right'), TIMEOUT_MS);
    await saveScreenshot('login-password.png');
    await fill('password', 'correct horse battery staple');
    await submitStep();
    await expectSignedIn('Carol Secure');
  });

  await test('signs a bot in with its token', async () => {
    await startLocal('bot_token');
    await fill('bot-token', '7000001:AAHearthDemoBotSecretToken');
    await saveScreenshot('login-bot-token.png');
    await submitStep();
    await expectSignedIn('Hearth Helper');
  });

  await test('switches accounts and lists the sessions, the current one marked', async () => {
    const items = await driver.findElements(By.css('[data-testid="account-item"] .account'));
    assert(items.length === 3, `${items.length} accounts in the sidebar`);
    await items[0].click();
    await driver.wait(until.elementTextContains(await waitFor('account-page'), 'Alice Liddell'), TIMEOUT_MS);
    await driver.findElement(By.css('[aria-label="Actions for Alice Liddell"]')).click();
    await driver.findElement(By.xpath('//button[@role="menuitem" and normalize-space()="Sessions"]')).click();
    const current = await waitFor('current-session');
    assert((await current.getText()) === 'This device', 'current session marked');
    const rows = await driver.findElements(byTestId('session-row'));
    assert(rows.length >= 1, 'at least one session');
    assert((await rows[0].getText()).includes('DC 2'), `current session row: ${await rows[0].getText()}`);
    await saveScreenshot('sessions.png');
  });

  await test('Content-Security-Policy is enforced: no eval, no inline styles', async () => {
    const result = await driver.executeScript(`
      const out = { styleAttributes: document.querySelectorAll('[style]').length };
      try { eval('1'); out.eval = 'allowed'; } catch (e) { out.eval = e.message; }
      const probe = document.createElement('div');
      probe.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.append(probe);
      out.inlineStyleApplied = getComputedStyle(probe).color === 'rgb(1, 2, 3)';
      probe.remove();
      return out;
    `);
    assert(result.styleAttributes === 0, `the app renders ${result.styleAttributes} style attributes`);
    assert(/unsafe-eval/.test(result.eval), `eval was not refused by the CSP: ${result.eval}`);
    assert(result.inlineStyleApplied === false, 'an inline style attribute was applied');
  });

  await test('a second instance on the same data dir exits non-zero naming the PID', async () => {
    const { code, stderr } = await runSecondInstance();
    assert(code === EXIT_ALREADY_RUNNING, `exit code ${code}, stderr: ${stderr}`);
    assert(stderr.includes('is already using the data directory'), `message: ${stderr}`);
    assert(stderr.includes(fs.realpathSync(dataDir)), `message names the data dir: ${stderr}`);
    const match = stderr.match(/\b(?:PID|pid|process)\s*(\d+)/);
    assert(match, `stderr does not name a PID: ${stderr}`);
    const pid = Number(match[1]);
    const exe = fs.readlinkSync(`/proc/${pid}/exe`);
    assert(exe === fs.realpathSync(app), `PID ${pid} is ${exe}, not the running app`);
  });
} catch (error) {
  results.push({ name: 'session setup', ok: false });
  console.log(`FAIL session setup: ${error?.stack ?? error}`);
} finally {
  if (driver) await driver.quit().catch(() => {});
  driverProcess.kill('SIGTERM');
  if (driverProcess.exitCode === null) await once(driverProcess, 'exit');
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failed > 0) {
  console.log(`--- ${driverLogPath} (last 40 lines) ---`);
  console.log(fs.readFileSync(driverLogPath, 'utf8').split('\n').slice(-40).join('\n'));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
