// The app's auth keys as the OS keyring holds them, and a scan of a directory
// for any of them. The app never hands keys out, so the test reads them from
// the private test keyring with libsecret's `secret-tool`.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The keyring service of a non-default data dir: `Hearth (<absolute dir>)`
 * (crates/store/src/secrets.rs, `SecretStore::for_data_dir`). The app may
 * name the dir as given or resolved, so both spellings are returned.
 */
export function keyringServices(dataDir) {
  return [...new Set([path.resolve(dataDir), fs.realpathSync(dataDir)])].map((dir) => `Hearth (${dir})`);
}

/** Every `<account>/auth_key/dc<N>` entry of the data dir's service, with its bytes. */
export function keyringAuthKeys(dataDir) {
  const keys = [];
  for (const service of keyringServices(dataDir)) keys.push(...authKeysOf(service));
  return keys;
}

function authKeysOf(service) {
  // `search --all` prints labels and secrets on stdout but the attributes on
  // stderr; the secrets are read again below, byte for byte, with `lookup`.
  const search = spawnSync('secret-tool', ['search', '--all', 'service', service], { encoding: 'utf8' });
  if (search.error) throw search.error;
  const listing = `${search.stdout}\n${search.stderr}`;
  const names = [...listing.matchAll(/^attribute\.username = (.+)$/gm)].map((m) => m[1].trim());
  const keys = [];
  for (const name of names) {
    const match = name.match(/^(\d+)\/auth_key\/dc(\d+)$/);
    if (!match) continue;
    const bytes = execFileSync('secret-tool', ['lookup', 'service', service, 'username', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (bytes.length !== 256) throw new Error(`keyring entry ${name} holds ${bytes.length} bytes, not a 256-byte auth key`);
    keys.push({ name, account: Number(match[1]), dc: Number(match[2]), bytes });
  }
  return keys;
}

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Looks for each key in every file under `dir` (except those `skip` names):
 * raw, as hex (either case) and as base64 (standard and URL-safe). Returns
 * one finding per key, form and file.
 */
export function scanForSecrets(dir, keys, skip) {
  const forms = keys.map((k) => ({
    key: k.name,
    forms: [
      ['raw', k.bytes],
      ['hex', Buffer.from(k.bytes.toString('hex'))],
      ['HEX', Buffer.from(k.bytes.toString('hex').toUpperCase())],
      ['base64', Buffer.from(k.bytes.toString('base64').replace(/=+$/, ''))],
      ['base64url', Buffer.from(k.bytes.toString('base64url'))],
    ],
  }));
  const found = [];
  for (const file of files(dir)) {
    if (skip(file)) continue;
    const content = fs.readFileSync(file);
    for (const { key, forms: variants } of forms) {
      for (const [form, needle] of variants) {
        if (content.includes(needle)) found.push({ key, form, file });
      }
    }
  }
  return found;
}
