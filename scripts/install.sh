#!/bin/sh
# Install a lock file (requirements.lock or requirements-dev.lock) and the project, editable, into
# the virtualenv. uv does it in seconds: the one on PATH, or one fetched from PyPI into the venv;
# when neither works, pip installs the very same lock (slower, same versions, same hashes). The
# locks hold the build requirements too, so the project installs without a build environment.
#   sh scripts/install.sh requirements.lock        (VENV and PYTHON from the environment;
#                                                   JUDGING_INSTALL_WITH_PIP=1 skips uv)
set -eu
lock=$1
venv=${VENV:-.venv}
python=${PYTHON:-python3}
uv=$(command -v uv || true)
if [ "${JUDGING_INSTALL_WITH_PIP:-}" = 1 ]; then uv=; fi  # force the pip path (to test it)

if [ ! -x "$venv/bin/python" ]; then
  if [ -n "$uv" ]; then
    "$uv" venv --quiet --seed --python "$python" "$venv"
  else
    "$python" -m venv "$venv"
  fi
fi
if [ "${JUDGING_INSTALL_WITH_PIP:-}" = 1 ]; then
  :
elif [ -z "$uv" ] && [ -x "$venv/bin/uv" ]; then
  uv=$venv/bin/uv
elif [ -z "$uv" ]; then
  if "$venv/bin/python" -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1; then
    uv=$venv/bin/uv
  else
    echo "uv is not available; installing with pip (slower)" >&2
  fi
fi

if [ -n "$uv" ]; then
  "$uv" pip install --quiet --python "$venv/bin/python" --require-hashes -r "$lock"
  "$uv" pip install --quiet --python "$venv/bin/python" --no-deps --no-build-isolation -e .
else
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
fi
