// The installed package, as a user gets it: checks the .deb and .rpm that
// scripts/package.sh built, installs the .deb with dpkg (apt resolving what it
// needs), drives the installed /usr/bin/hearth over WebDriver to the welcome
// screen and a Diagnostics sweep of the Local test network, then removes the
// package and checks that nothing of it is left: no file of the package, and
// nothing the app wrote outside its data directory.
//
// Usage (run.sh does this, as root, inside a private keyring and Xvfb, with
// HOME pointing at an empty directory of its own):
//   node installed.test.mjs --deb FILE --rpm FILE --version V --data-dir DIR --artifacts DIR
// Prints "N passed, N failed".

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assert, fail, finish, pageHelpers, startDriver, test, until } from '../e2e/harness.mjs';
import { allowedHomeEntry, belongsToNoPackage, hicolorSizes, snapshot } from './system.mjs';

const { values: args } = parseArgs({
  options: {
    deb: { type: 'string' },
    rpm: { type: 'string' },
    version: { type: 'string' },
    'data-dir': { type: 'string' },
    artifacts: { type: 'string' },
    'driver-port': { type: 'string', default: '4446' },
  },
});
for (const name of ['deb', 'rpm', 'version', 'data-dir', 'artifacts']) {
  if (!args[name]) {
    console.error(`installed.test.mjs: --${name} is required`);
    process.exit(2);
  }
}
const dataDir = path.resolve(args['data-dir']);
const artifacts = path.resolve(args.artifacts);
const home = os.homedir();
const APP = '/usr/bin/hearth';
const CLI = '/usr/bin/hearth-cli';
const DESKTOP = '/usr/share/applications/Hearth.desktop';
// rpm keeps a database even to read a package file; this one is the test's, not the home's.
const rpmDb = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-rpmdb-'));
const rpm = (argv) => run('rpm', ['--dbpath', rpmDb, ...argv]);

/** Runs a command; returns its stdout, throwing with its stderr when it fails. */
function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
const installed = () => spawnSync('dpkg-query', ['-W', '-f=${Status}', 'hearth'], { encoding: 'utf8' }).stdout;

const wantedFiles = [
  APP,
  CLI,
  DESKTOP,
  '/usr/share/icons/hicolor/scalable/apps/hearth.svg',
  ...hicolorSizes.map((s) => `/usr/share/icons/hicolor/${s}x${s}/apps/hearth.png`),
];

await test('the .deb is named hearth, has the workspace version and declares its dependencies', async () => {
  const field = (name) => run('dpkg-deb', ['-f', args.deb, name]).trim();
  assert(field('Package') === 'hearth', `Package: ${field('Package')}`);
  assert(field('Version') === args.version, `Version: ${field('Version')}, workspace ${args.version}`);
  const depends = field('Depends');
  for (const lib of ['libwebkit2gtk-4.1-0', 'libgtk-3-0', 'libc6', 'libdbus-1-3']) {
    assert(new RegExp(`(^|, )${lib}( |,|$)`).test(depends), `Depends lacks ${lib}: ${depends}`);
  }
  assert(/gnome-keyring/.test(field('Recommends')), `Recommends: ${field('Recommends')}`);
});

await test('the .deb holds the app, hearth-cli, the desktop entry and every icon size', async () => {
  // dpkg-deb lists `./usr/...` or `usr/...` depending on how the archive was written.
  const listed = run('dpkg-deb', ['-c', args.deb])
    .split('\n')
    .filter(Boolean)
    .map((l) => `/${l.split(/\s+/).pop().replace(/^\.?\//, '')}`);
  for (const file of wantedFiles) assert(listed.includes(file), `${file} is not in the .deb`);
});

await test('the .rpm holds the same files and requires the libraries the binaries link', async () => {
  const files = rpm(['-qpl', args.rpm]).split('\n');
  for (const file of wantedFiles) assert(files.includes(file), `${file} is not in the .rpm`);
  const requires = rpm(['-qpR', args.rpm]);
  for (const cap of ['libwebkit2gtk-4.1.so.0()(64bit)', 'libgtk-3.so.0()(64bit)', 'libdbus-1.so.3()(64bit)']) {
    assert(requires.includes(cap), `the .rpm does not require ${cap}:\n${requires}`);
  }
  assert(/gnome-keyring/.test(rpm(['-qp', '--recommends', args.rpm])), 'the .rpm recommends no keyring');
  const version = rpm(['-qp', '--qf', '%{VERSION}', args.rpm]).trim();
  assert(version === args.version, `rpm version ${version}`);
});

const before = snapshot();
let packageFiles = [];

await test('dpkg -i installs the .deb (apt resolving its dependencies)', async () => {
  assert(!installed().includes('installed'), `hearth is already installed: ${installed()}`);
  const dpkg = spawnSync('dpkg', ['-i', args.deb], { encoding: 'utf8' });
  if (dpkg.status !== 0) {
    // Missing dependencies leave the package unconfigured; apt installs them and finishes.
    run('apt-get', ['install', '-f', '-y', '--no-install-recommends'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  assert(installed() === 'install ok installed', `dpkg status: ${installed()}`);
  // apt agrees that every declared dependency is satisfied.
  run('apt-get', ['check', '-q']);
  packageFiles = run('dpkg', ['-L', 'hearth']).split('\n').filter((p) => p && fs.lstatSync(p).isFile());
  for (const file of wantedFiles) assert(packageFiles.includes(file), `${file} was not installed`);
  const which = run('sh', ['-c', 'command -v hearth; command -v hearth-cli']).trim().split('\n');
  assert(which[0] === APP && which[1] === CLI, `on PATH: ${which}`);
});

await test('the desktop entry is valid and starts the installed binary with the theme icon', async () => {
  run('desktop-file-validate', [DESKTOP]);
  const entry = fs.readFileSync(DESKTOP, 'utf8');
  const key = (k) => entry.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1];
  assert(key('Name') === 'Hearth', `Name=${key('Name')}`);
  assert(key('Exec') === 'hearth', `Exec=${key('Exec')}`);
  assert(key('Icon') === 'hearth', `Icon=${key('Icon')}`);
  assert(/InstantMessaging/.test(key('Categories') ?? ''), `Categories=${key('Categories')}`);
  assert(key('Comment')?.length > 10, `Comment=${key('Comment')}`);
});

await test('hearth-cli from PATH reports the version and reads the data directory', async () => {
  const version = run('hearth-cli', ['--version']).trim();
  assert(version.endsWith(args.version), `hearth-cli --version: ${version}`);
  const accounts = run('hearth-cli', ['account', 'list', '--json', '--data-dir', dataDir]).trim();
  assert(accounts === '', `a fresh data directory lists accounts: ${accounts}`);
});

let tauriDriver;
try {
  tauriDriver = await startDriver({
    app: APP,
    dataDir,
    artifacts,
    driverPort: Number(args['driver-port']),
    // Apart from the e2e suite's ports (4444, and 4445 for WebKitWebDriver).
    nativePort: Number(args['driver-port']) + 1,
    logName: 'package-tauri-driver.log',
  });
  const driver = await tauriDriver.open();
  const { byTestId, find, textOf, saveScreenshot } = pageHelpers(driver, artifacts);

  await test('the installed app opens on the welcome screen', async () => {
    await find('sidebar');
    const welcome = await textOf('welcome');
    assert(welcome.includes('Welcome to Hearth'), `welcome: ${welcome}`);
    await saveScreenshot('package-welcome.png');
  });

  await test('About shows the installed binaries and the data directory', async () => {
    await (await find('nav-diagnostics')).click();
    assert((await textOf('about-executable')) === APP, `executable: ${await textOf('about-executable')}`);
    assert((await textOf('about-cli')) === CLI, `cli: ${await textOf('about-cli')}`);
    assert((await textOf('about-data-dir')) === fs.realpathSync(dataDir), 'data directory');
    assert((await textOf('about-version')) === args.version, 'version');
  });

  await test('a Diagnostics sweep of the Local test network finds every DC answering', async () => {
    await (await find('network-local')).click();
    await driver.wait(until.elementLocated(byTestId('local-info')), 60_000);
    await driver.findElement(byTestId('run-all')).click();
    let statuses = [];
    await driver.wait(async () => {
      const cells = await driver.findElements(byTestId('diag-cell'));
      statuses = await Promise.all(cells.map((c) => c.getAttribute('data-status')));
      return statuses.length > 0 && statuses.every((s) => s !== 'pending');
    }, 60_000, 'every cell of the grid reaches a final status');
    assert(statuses.length === 20 && statuses.every((s) => s === 'ok'), `cells: ${statuses}`);
    await saveScreenshot('package-diagnostics.png');
  });
  await driver.quit();
} catch (error) {
  fail('installed app over WebDriver', error);
} finally {
  await tauriDriver?.stop();
}

await test('removing the package leaves none of its files and nothing unowned', async () => {
  run('dpkg', ['--purge', 'hearth']);
  assert(installed() === '' || !installed().includes('installed'), `still installed: ${installed()}`);
  const left = packageFiles.filter((p) => fs.existsSync(p));
  assert(left.length === 0, `left after removal: ${left}`);
  const added = [...snapshot()].filter((p) => !before.has(p));
  const stray = belongsToNoPackage(added);
  assert(stray.length === 0, `new files no package owns: ${stray.slice(0, 20)}`);
});

await test('the app wrote nothing outside its data directory', async () => {
  const outside = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (full === dataDir || dataDir.startsWith(`${full}/`)) {
        if (full !== dataDir) walk(full);
        continue;
      }
      if (allowedHomeEntry(path.relative(home, full))) continue;
      if (entry.isDirectory()) walk(full);
      else outside.push(full);
    }
  };
  walk(home);
  assert(outside.length === 0, `written outside ${dataDir}: ${outside.slice(0, 20)}`);
  assert(fs.existsSync(path.join(dataDir, 'hearth.sqlite3')), 'the data directory has the database');
  assert(fs.existsSync(path.join(dataDir, 'webview')), "the webview's own data is in the data directory");
});

fs.rmSync(rpmDb, { recursive: true, force: true });
finish(tauriDriver?.logPath);
