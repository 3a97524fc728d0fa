#!/usr/bin/env bash
# Set up qa in ./.venv on a fresh machine, then answer one question about the bundled seed reports.
# torch is installed first from the local CPU wheel, so nothing pulls the CUDA build.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[dev]"
# byte-compile qa once: an editable install is not compiled, and with PYTHONDONTWRITEBYTECODE set
# every cold `qa ask` would compile ~90 modules again
.venv/bin/python -m compileall -q qa > /dev/null
echo "qa is installed. A first question (the bundled seed reports are ingested first, once):"
.venv/bin/qa ask "外交部2013年共收到多少政府信息公开申请？"
