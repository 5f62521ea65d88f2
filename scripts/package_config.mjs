// The Tauri CLI's configuration for one packaging run (scripts/package.sh):
// the top-level tauri.conf.json with every relative path made absolute (the
// CLI resolves paths against src-tauri/, where the copy is written), plus what
// only the build knows: the workspace version, the run-time dependencies of
// the built binaries, and hearth-cli installed next to the app.
//
//   node scripts/package_config.mjs --root REPO --out FILE --version V \
//     --cli PATH --deb-depends "a, b (>= 1)" --rpm-requires "libx.so.1()(64bit),..."

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string' },
    out: { type: 'string' },
    version: { type: 'string' },
    cli: { type: 'string' },
    'deb-depends': { type: 'string' },
    'rpm-requires': { type: 'string' },
  },
});
for (const name of ['root', 'out', 'version', 'cli', 'deb-depends', 'rpm-requires']) {
  if (!args[name]) {
    console.error(`package_config.mjs: --${name} is required`);
    process.exit(2);
  }
}

const root = path.resolve(args.root);
const config = JSON.parse(fs.readFileSync(path.join(root, 'tauri.conf.json'), 'utf8'));
const abs = (p) => path.resolve(root, p);
/** Splits a Debian dependency field at its top-level commas. */
const debList = (field) => field.split(',').map((d) => d.trim()).filter(Boolean);

config.version = args.version;
config.mainBinaryName = 'hearth';
config.build.frontendDist = abs(config.build.frontendDist);
config.bundle.icon = config.bundle.icon.map(abs);

const cli = path.resolve(args.cli);
for (const [kind, depends] of [
  ['deb', debList(args['deb-depends'])],
  ['rpm', args['rpm-requires'].split(',').filter(Boolean)],
]) {
  const settings = config.bundle.linux[kind];
  if (settings.desktopTemplate) settings.desktopTemplate = abs(settings.desktopTemplate);
  const files = {};
  for (const [dest, src] of Object.entries(settings.files ?? {})) files[dest] = abs(src);
  files['/usr/bin/hearth-cli'] = cli;
  settings.files = files;
  settings.depends = [...new Set([...(settings.depends ?? []), ...depends])];
}

fs.writeFileSync(args.out, `${JSON.stringify(config, null, 2)}\n`);
