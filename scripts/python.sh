#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter: $PYTHON, python3.13/3.12 on
# PATH, or a pyenv interpreter. Django 6.1 needs 3.12; Debian 12 ships 3.11.
set -euo pipefail
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
for candidate in "${PYTHON:-}" python3.12 python3.13 python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    /root/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null || true)
  if [ -n "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
echo "No Python 3.12+ found. Install python3.12 (or set PYTHON=/path/to/python3.12)." >&2
exit 1
