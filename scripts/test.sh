#!/usr/bin/env bash
# Quick start, command 2: set up what is missing, then lint, type-check and run every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" test
cd "$root"
.venv/bin/ruff check simulator tests benchmarks scripts
.venv/bin/mypy
.venv/bin/lint-imports
exec .venv/bin/pytest "$@"
