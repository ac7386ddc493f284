#!/usr/bin/env bash
# Quick start, command 1: set up what is missing, then run a demo practice session.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" run
exec "$root/.venv/bin/roleplay" demo "$@"
