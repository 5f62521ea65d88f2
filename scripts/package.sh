#!/usr/bin/env bash
# Builds Hearth's Linux packages with Tauri's bundler: a .deb and an .rpm, each
# installing
#   /usr/bin/hearth                     the desktop app
#   /usr/bin/hearth-cli                 the command line
#   /usr/share/applications/Hearth.desktop
#   /usr/share/icons/hicolor/*/apps/hearth.{png,svg}   every size of the icon theme
# and declaring what they need at run time: the shared libraries the two
# binaries link (WebKitGTK 4.1, GTK 3, D-Bus, ...; on Debian as versioned
# package dependencies worked out by dpkg-shlibdeps, on RPM systems as the
# library capabilities rpmbuild itself would generate), and a Secret Service
# provider (gnome-keyring or another) as a recommendation, since auth keys live
# in the OS keyring. The version is the workspace's.
#
#   scripts/package.sh [--out DIR]
#
# Writes DIR/hearth_VERSION_ARCH.deb and DIR/hearth-VERSION-1.ARCH.rpm
# (DIR defaults to artifacts/packages) and prints their paths. Install with
#   sudo apt-get install ./artifacts/packages/hearth_*.deb
# or, on Fedora/openSUSE, sudo dnf install ./artifacts/packages/hearth-*.rpm.
#
# Needs what scripts/app.sh needs to build the app (it installs the Debian
# packages), plus dpkg-shlibdeps (dpkg-dev) and readelf (binutils), both part
# of build-essential. The bundler is the Tauri CLI pinned in ui/package-lock.json.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="$repo/artifacts/packages"
while (($#)); do
  case "$1" in
    --out) out="$(realpath -m "${2:?--out needs a directory}")"; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

missing=()
for tool in cargo npm node dpkg-shlibdeps readelf; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "package.sh: missing ${missing[*]}; run scripts/app.sh --no-launch first (it installs the build dependencies; dpkg-shlibdeps and readelf come with build-essential)" >&2
  exit 1
fi

step() { echo "== $* ($(date -u +%H:%M:%S))"; }
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="$target/release"

step "UI: npm ci && npm run build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

step "release build: hearth (embedded UI) and hearth-cli"
cargo build --release -p hearth-app -p hearth-cli --features hearth-app/custom-protocol

version="$(cargo metadata --no-deps --format-version 1 |
  node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
           process.stdout.write(m.packages.find((p) => p.name === "hearth-app").version)')"

work="$(mktemp -d -t hearth-package-XXXXXX)"
# The Tauri CLI reads its configuration from the directory of the crate it
# bundles; Hearth keeps its one configuration at the top level (tauri-build
# reads it there), so the CLI gets a copy in src-tauri/ for this run only.
generated="$repo/src-tauri/tauri.conf.json"
cleanup() { rm -rf "$work" "$generated"; }
trap cleanup EXIT

step "run-time dependencies of the binaries"
# dpkg-shlibdeps wants to run inside a source package; an empty one will do.
mkdir -p "$work/src/debian" && : > "$work/src/debian/control"
deb_depends="$(cd "$work/src" && dpkg-shlibdeps --warnings=0 -O -e"$bin/hearth" -e"$bin/hearth-cli" |
  sed -n 's/^shlibs:Depends=//p')"
[[ -n $deb_depends ]] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# rpmbuild would require each linked library by its soname capability.
rpm_suffix=""
[[ "$(readelf -h "$bin/hearth" | sed -n 's/^ *Class: *//p')" == ELF64 ]] && rpm_suffix="(64bit)"
rpm_requires="$(readelf -d "$bin/hearth" "$bin/hearth-cli" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
  sort -u | sed "s/\$/()$rpm_suffix/" | paste -sd, -)"
echo "deb: $deb_depends"
echo "rpm: $rpm_requires"

node scripts/package_config.mjs --root "$repo" --out "$generated" --version "$version" \
  --cli "$bin/hearth-cli" --deb-depends "$deb_depends" --rpm-requires "$rpm_requires"

step "bundle: .deb and .rpm"
rm -rf "$bin/bundle/deb" "$bin/bundle/rpm"
TAURI_APP_PATH=src-tauri ui/node_modules/.bin/tauri bundle --bundles deb,rpm --ci

mkdir -p "$out"
deb="$(find "$bin/bundle/deb" -maxdepth 1 -name '*.deb' -print -quit)"
rpm="$(find "$bin/bundle/rpm" -maxdepth 1 -name '*.rpm' -print -quit)"
[[ -f $deb && -f $rpm ]] || { echo "package.sh: the bundler wrote no .deb or no .rpm" >&2; exit 1; }
arch="$(dpkg --print-architecture)"
rpm_arch="$(uname -m)"
cp "$deb" "$out/hearth_${version}_${arch}.deb"
cp "$rpm" "$out/hearth-${version}-1.${rpm_arch}.rpm"
step "packages"
(cd "$out" && sha256sum "hearth_${version}_${arch}.deb" "hearth-${version}-1.${rpm_arch}.rpm")
echo "$out/hearth_${version}_${arch}.deb"
echo "$out/hearth-${version}-1.${rpm_arch}.rpm"
