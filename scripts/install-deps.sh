#!/usr/bin/env bash
# Installs what building, running and testing Vigil needs: Debian packages and a JDK >= 21.
# Safe to run again: it installs only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
install_deps
log "dependencies are in place"
