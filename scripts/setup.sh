#!/usr/bin/env bash
# Installs what voice-roleplay needs on Debian/Ubuntu, once: Debian packages, a virtual
# environment in .venv/, the Python dependencies and the offline Whisper models.
# Usage: scripts/setup.sh [run|test]. A second run finds everything in place and does no
# network work. Set ROLEPLAY_NO_OPENAI_WHISPER=1 to leave out the openai-whisper backend.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-run}"
cd "$root"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

packages=(espeak-ng libespeak-ng1 libportaudio2)
if [ "$mode" = test ]; then packages+=(pulseaudio pulseaudio-utils libasound2-plugins chromium); fi

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$(command -v "$candidate")"; break
  fi
done
if [ -z "$python" ]; then packages+=(python3 python3-venv); fi
if [ -n "$python" ] && ! "$python" -c 'import ensurepip' 2>/dev/null; then packages+=(python3-venv); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -n "$python" ] || python="$(command -v python3)"

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi

# pip warns about every package missing from local mirrors some machines configure: hide those.
pip_quiet() { "$@" 2> >(grep -v "^WARNING: Location .* is ignored" >&2); }

# Python packages: reinstalled only when pyproject.toml or this script changes.
digest="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16):${ROLEPLAY_NO_OPENAI_WHISPER:-0}"
stamp=.venv/.setup-stamp
have="$(cat "$stamp" 2>/dev/null || true)"
# A test install holds everything a run install does.
if [ "$have" != "test:$digest" ] && [ "$have" != "$mode:$digest" ]; then
  echo "setup: installing Python packages into .venv (first time: a few minutes)"
  pip=(pip_quiet .venv/bin/python -m pip install -q --disable-pip-version-check)
  if [ "$mode" = test ]; then "${pip[@]}" -e ".[test]"; else "${pip[@]}" -e .; fi
  if [ "$mode" = test ] && [ "${ROLEPLAY_NO_OPENAI_WHISPER:-0}" != 1 ]; then
    # openai-whisper's own requirements pull triton (CUDA only): install it without them.
    "${pip[@]}" torch==2.13.0 numba tiktoken more-itertools tqdm
    "${pip[@]}" --no-deps openai-whisper==20250625
  fi
  echo "$mode:$digest" > "$stamp"
fi

# Join and verify the bundled Whisper models once (checksums are checked, then remembered).
.venv/bin/python -m simulator.models >/dev/null
