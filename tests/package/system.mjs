// What the installed-package test knows about the system around the package:
// where a package installs, which files the system regenerates on its own, and
// which caches every GTK/WebKit program shares in the user's home.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The icon sizes the package installs into the hicolor theme (icons/render.sh). */
export const hicolorSizes = [16, 24, 32, 48, 64, 128, 256, 512];

/** Where a package's files go; dpkg's and apt's own records are left out. */
const ROOTS = ['/usr', '/etc', '/opt', '/var/lib'];
const SKIP = ['/var/lib/dpkg', '/var/lib/apt'];

/** Every path under the package roots, as a Set. */
export function snapshot() {
  const args = [...ROOTS.filter((r) => fs.existsSync(r)), '-xdev'];
  for (const skip of SKIP) args.push('(', '-path', skip, '-prune', ')', '-o');
  args.push('-print');
  const r = spawnSync('find', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && !r.stdout) throw new Error(`find ${ROOTS}: ${r.stderr}`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/**
 * Caches other packages' dpkg triggers rebuild from what is installed: they
 * belong to no package, may appear when any package with icons or a desktop
 * entry is installed, and must not name Hearth once it is removed.
 */
export const TRIGGER_CACHES = [
  /^\/usr\/share\/icons\/[^/]+\/icon-theme\.cache$/,
  /^\/usr\/share\/applications\/mimeinfo\.cache$/,
  /^\/usr\/share\/mime\//,
];

/**
 * The paths of `paths` that no installed package owns, less the trigger
 * caches (each of which is checked not to mention Hearth instead).
 */
export function belongsToNoPackage(paths) {
  const stray = [];
  for (let i = 0; i < paths.length; i += 200) {
    const batch = paths.slice(i, i + 200);
    const r = spawnSync('dpkg-query', ['-S', ...batch], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const unowned = new Set(
      [...r.stderr.matchAll(/no path found matching pattern (.*)$/gm)].map((m) => m[1].trim()),
    );
    for (const p of batch) {
      if (!unowned.has(p)) continue;
      if (TRIGGER_CACHES.some((re) => re.test(p))) {
        if (fs.statSync(p).isFile() && /hearth/i.test(fs.readFileSync(p, 'latin1'))) stray.push(`${p} (names Hearth)`);
        continue;
      }
      stray.push(p);
    }
  }
  return stray;
}

/**
 * Home-directory caches that the shared libraries under every GTK and WebKit
 * program write for themselves, whichever program loads them: fontconfig's
 * font cache, Mesa's shader cache (software GL under Xvfb), GStreamer's plugin
 * registry (WebKit loads GStreamer for media). They hold nothing of Hearth's.
 */
const SHARED_CACHES = ['.cache/fontconfig', '.cache/mesa_shader_cache', '.cache/mesa_shader_cache_db', '.cache/gstreamer-1.0'];

/** Whether `rel` (relative to the home directory) is one of those caches or inside one. */
export function allowedHomeEntry(rel) {
  return SHARED_CACHES.some((c) => rel === c || rel.startsWith(`${c}/`));
}
