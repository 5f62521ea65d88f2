// End-to-end test of the Hearth shell: drives the real app binary through
// tauri-driver (which runs WebKitWebDriver) and checks what a person sees.
//
// Usage: node shell.test.mjs --app <path to hearth> --data-dir <dir> --artifacts <dir>
// Writes <artifacts>/shell.png (the shell as it starts), diagnostics.png (the
// filled grid after a sweep of the Local test network), diagnostics-details.png
// and diagnostics-chart.png.
// Starts tauri-driver on 127.0.0.1:4444 (harness.mjs); run.sh provides the X
// display (Xvfb) and the private keyring, and builds the app. Prints "N passed,
// N failed". The accounts and their logins are accounts.test.mjs's.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  By,
  EXIT_ALREADY_RUNNING,
  TIMEOUT_MS,
  assert,
  fail,
  finish,
  pageHelpers,
  parseCommonArgs,
  startDriver,
  test,
  until,
} from './harness.mjs';

const { app, dataDir, artifacts, driverPort } = parseCommonArgs('shell.test.mjs');

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

let tauriDriver;
let driver;
try {
  tauriDriver = await startDriver({ app, dataDir, artifacts, driverPort });
  driver = await tauriDriver.open();
  const { byTestId, textOf, saveScreenshot } = pageHelpers(driver, artifacts);

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
    const exe = await textOf('about-executable');
    assert(exe === fs.realpathSync(app), `executable on Diagnostics: ${exe} (launched ${app})`);
    // The build tree has hearth-cli next to the app once the Rust suite built it.
    const cli = await textOf('about-cli');
    const besideApp = path.join(path.dirname(fs.realpathSync(app)), 'hearth-cli');
    if (fs.existsSync(besideApp)) assert(cli === besideApp, `hearth-cli on Diagnostics: ${cli}`);
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

  await test('Add account opens the wizard on the Local test network, then the phone number form', async () => {
    await driver.findElement(byTestId('add-account')).click();
    const title = await driver.wait(until.elementLocated(byTestId('step-title')), TIMEOUT_MS);
    await driver.wait(until.elementTextIs(title, 'Choose a network'), TIMEOUT_MS);
    const local = await driver.findElement(By.css('[data-testid="network-option-local"] input'));
    assert(await local.isSelected(), 'the Local test network is preselected while no account exists');
    await driver.findElement(By.css('[data-testid="step-network"] [data-testid="submit"]')).click();
    await (await driver.wait(until.elementLocated(byTestId('method-phone')), TIMEOUT_MS)).click();
    const input = await driver.wait(until.elementLocated(By.id('phone')), TIMEOUT_MS);
    await input.sendKeys('+44 20 7946 0958');
    const help = await driver.findElement(byTestId('phone-help'));
    await driver.wait(until.elementTextIs(help, 'Will sign in as +442079460958.'), TIMEOUT_MS);
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
  fail('session setup', error);
} finally {
  if (driver) await driver.quit().catch(() => {});
  await tauriDriver?.stop();
}
finish(tauriDriver?.logPath);
