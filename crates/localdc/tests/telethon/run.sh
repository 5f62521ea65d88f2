#!/usr/bin/env bash
# Runs the Telethon interoperability test: installs Telethon from PyPI, builds
# localdc and runs the ignored `telethon` integration test, which drives
# tests/telethon/conformance.py against the binary on loopback.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
python3 -m pip install --quiet --disable-pip-version-check "telethon==1.45.*"
cargo test -p localdc --test it telethon:: -- --ignored
