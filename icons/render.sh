#!/usr/bin/env bash
# Renders icons/hearth.svg to every size and format Tauri bundles use.
# Needs: rsvg-convert (librsvg2-bin), icotool (icoutils), png2icns (icnsutils).
set -euo pipefail
cd "$(dirname "$0")"

for tool in rsvg-convert icotool png2icns; do
  if ! command -v "$tool" >/dev/null; then
    echo "render.sh: '$tool' is missing; install: apt-get install librsvg2-bin icoutils icnsutils" >&2
    exit 1
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

png() { rsvg-convert --width "$1" --height "$1" --format png hearth.svg --output "$2"; }

png 32 32x32.png
png 128 128x128.png
png 256 128x128@2x.png
png 512 icon.png

# Linux packages: one PNG per size the freedesktop hicolor icon theme has
# directories for (the .deb and .rpm install them under
# /usr/share/icons/hicolor/NxN/apps/, next to the SVG under scalable/).
mkdir -p linux
# (32 and 128 are the two above.)
for s in 16 24 48 64 256 512; do png "$s" "linux/${s}x${s}.png"; done

# Windows .ico: several sizes in one file.
for s in 16 24 32 48 64 256; do png "$s" "$tmp/ico-$s.png"; done
icotool --create --output icon.ico "$tmp"/ico-{16,24,32,48,64}.png --raw="$tmp/ico-256.png"

# macOS .icns: png2icns accepts the sizes icns defines (16, 32, 48, 128, 256, 512).
for s in 16 32 48 128 256 512; do png "$s" "$tmp/icns-$s.png"; done
png2icns icon.icns "$tmp"/icns-{16,32,48,128,256,512}.png >/dev/null

# The UI shows the same mark (sidebar, welcome page, favicon).
cp hearth.svg ../ui/public/hearth.svg

echo "rendered: 32x32.png 128x128.png 128x128@2x.png icon.png linux/*.png icon.ico icon.icns ui/public/hearth.svg"
