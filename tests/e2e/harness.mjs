// What every end-to-end test file of the app shares: its command line, the
// test/assert/summary helpers, and a WebDriver session on the real app binary
// through tauri-driver (which runs WebKitWebDriver). run.sh provides the X
// display (Xvfb) and the private keyring, and builds the app.

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Builder, By, until } from 'selenium-webdriver';

export { By, until };

export const TIMEOUT_MS = 20_000;
// Converts Xvfb's framebuffer (XWD) to PNG for `saveScreenshot`.
const XWD_PNG = fileURLToPath(new URL('../../scripts/xwd_png.py', import.meta.url));
// Exit code hearth uses when another instance holds the data directory
// (src-tauri/src/startup.rs, EXIT_ALREADY_RUNNING).
export const EXIT_ALREADY_RUNNING = 3;

/** `--app`, `--data-dir`, `--artifacts` (all required) and `--driver-port`. */
export function parseCommonArgs(script) {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      'data-dir': { type: 'string' },
      artifacts: { type: 'string' },
      'driver-port': { type: 'string', default: '4444' },
    },
  });
  for (const name of ['app', 'data-dir', 'artifacts']) {
    if (!values[name]) {
      console.error(`${script}: --${name} is required`);
      process.exit(2);
    }
  }
  return {
    app: path.resolve(values.app),
    dataDir: path.resolve(values['data-dir']),
    artifacts: path.resolve(values.artifacts),
    driverPort: Number(values['driver-port']),
  };
}

const results = [];

/** Runs one named check; a failure is recorded and printed, never thrown. */
export async function test(name, body) {
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

/** Records a failure outside any `test` (e.g. the session could not start). */
export function fail(name, error) {
  results.push({ name, ok: false });
  console.log(`FAIL ${name}: ${error?.stack ?? error}`);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPort(port, child, deadline) {
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
    await sleep(100);
  }
  throw new Error(`tauri-driver did not listen on 127.0.0.1:${port}`);
}

/**
 * Starts tauri-driver for the app on `dataDir` (HEARTH_DATA_DIR, no native
 * dialogs), WebKitWebDriver on `nativePort` if given. Its log goes to `<artifacts>/<logName>` and is shown only when
 * something failed. `open()` starts the app in a new WebDriver session;
 * `stop()` ends tauri-driver (and any app it started).
 */
export async function startDriver({ app, dataDir, artifacts, driverPort, nativePort, logName = 'tauri-driver.log' }) {
  fs.mkdirSync(artifacts, { recursive: true });
  const logPath = path.join(artifacts, logName);
  const log = fs.openSync(logPath, 'w');
  // tauri-driver's WebKitWebDriver listens on --native-port (4445 unless given).
  const ports = ['--port', String(driverPort), ...(nativePort ? ['--native-port', String(nativePort)] : [])];
  const child = spawn('tauri-driver', ports, {
    env: { ...process.env, HEARTH_DATA_DIR: dataDir, HEARTH_NO_DIALOG: '1' },
    stdio: ['ignore', log, log],
  });
  // Never leave tauri-driver (and the app it started) behind.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      child.kill('SIGTERM');
      process.exit(1);
    });
  }
  await waitForPort(driverPort, child, Date.now() + TIMEOUT_MS);
  return {
    logPath,
    open: () =>
      new Builder()
        .usingServer(`http://127.0.0.1:${driverPort}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
        .build(),
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/** Helpers bound to one WebDriver session. */
export function pageHelpers(driver, artifacts) {
  const byTestId = (id) => By.css(`[data-testid="${id}"]`);
  return {
    byTestId,
    /** Waits for the element with `data-testid` `id` and returns it. */
    find: (id, ms = TIMEOUT_MS) => driver.wait(until.elementLocated(byTestId(id)), ms, `[data-testid="${id}"] appears`),
    /** Waits for the element with `data-testid` `id` and returns its text. */
    textOf: async (id, ms = TIMEOUT_MS) =>
      (await driver.wait(until.elementLocated(byTestId(id)), ms, `[data-testid="${id}"] appears`)).getText(),
    /**
     * Saves a PNG of the screen into the artifacts directory, from Xvfb's
     * framebuffer file (`HEARTH_E2E_FBDIR`, set by run.sh): the app paints
     * without hardware acceleration (src-tauri/src/webview.rs), and then
     * WebKitWebDriver's Take Screenshot waits forever for a composited frame.
     * Two animation frames and a short pause first, so what the last command
     * changed has reached the X server.
     */
    async saveScreenshot(name) {
      const fbdir = process.env.HEARTH_E2E_FBDIR;
      assert(fbdir, 'HEARTH_E2E_FBDIR is not set: run the test through its run.sh (Xvfb -fbdir)');
      await withTimeout(
        driver.executeAsyncScript(
          'const done = arguments[arguments.length - 1];' +
            'requestAnimationFrame(() => requestAnimationFrame(() => done()));',
        ),
        'screenshot',
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      fs.mkdirSync(artifacts, { recursive: true });
      const file = path.join(artifacts, name);
      execFileSync('python3', [XWD_PNG, path.join(fbdir, 'Xvfb_screen0'), file], { stdio: 'inherit' });
      const png = fs.readFileSync(file);
      assert(png.subarray(1, 4).toString() === 'PNG', `${name} is not a PNG`);
      assert(png.length > 10_000, `${name} is suspiciously small (${png.length} bytes): blank window?`);
    },
  };
}

/**
 * Form helpers of the wizard and the chat, over a session that is opened
 * later (`driver()`/`page()` return the current WebDriver and pageHelpers).
 * `stepMs` is how long a wizard step may take to appear.
 */
export function formHelpers(driver, page, stepMs) {
  return {
    /** Waits for `locator` to appear and be enabled, then clicks it. */
    async click(locator, ms = TIMEOUT_MS) {
      const element = await driver().wait(until.elementLocated(locator), ms, `${locator} appears`);
      await driver().wait(until.elementIsEnabled(element), ms, `${locator} is enabled`);
      await element.click();
      return element;
    },
    /** Waits for `locator`, clears it and types `text`. */
    async type(locator, text) {
      const element = await driver().wait(until.elementLocated(locator), TIMEOUT_MS, `${locator} appears`);
      await element.clear();
      await element.sendKeys(text);
      return element;
    },
    /** Waits until the wizard's step title reads `title`; on failure says where it is and what it shows. */
    async stepTitle(title, ms = stepMs) {
      const heading = await page().find('step-title', ms);
      try {
        await driver().wait(until.elementTextIs(heading, title), ms);
      } catch {
        const errors = await driver().findElements(By.css('[data-testid="add-account-page"] [role="alert"]'));
        const shown = await Promise.all(errors.map((e) => e.getText()));
        throw new Error(
          `wizard step "${title}" not reached (at "${await heading.getText()}"; errors: ${shown.join(' | ') || 'none'})`,
        );
      }
    },
  };
}

/** PIDs of running processes of the `app` binary on `dataDir`. */
export function appPids(app, dataDir) {
  const exe = fs.realpathSync(app);
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/exe`) !== exe) continue;
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`HEARTH_DATA_DIR=${dataDir}`)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return pids;
}

/**
 * Prints "N passed, N failed" (and the end of the driver log when something
 * failed) and exits: 0 only if at least one check ran and none failed.
 */
export function finish(driverLogPath) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed > 0 && driverLogPath && fs.existsSync(driverLogPath)) {
    console.log(`--- ${driverLogPath} (last 40 lines) ---`);
    console.log(fs.readFileSync(driverLogPath, 'utf8').split('\n').slice(-40).join('\n'));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
