# Sourced by scripts/run and scripts/test after the venv exists: makes sure the system libraries
# that Qt's platform plugin needs are present (a fresh Debian/Ubuntu lacks several xcb ones).
# Usage: ensure_qt_libs PLUGIN   (xcb for the desktop, offscreen for the tests)
QT_DEBS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
 libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0"

ensure_qt_libs() {
    [ "$(uname -s)" = "Linux" ] || return 0
    local qt plugin missing
    qt="$("$VENV/bin/python" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')"
    plugin="$qt/plugins/platforms/libq$1.so"
    missing="$( { ldd "$plugin"; ldd "$qt/lib/libQt6Gui.so.6"; ldd "$qt/lib/libQt6Widgets.so.6"; } 2>/dev/null | grep "not found" | sort -u || true)"
    [ -n "$missing" ] || return 0
    echo "Qt needs system libraries that are missing:" >&2
    echo "$missing" >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Install your distribution's packages for them (xcb-cursor, xcb-icccm, xkbcommon-x11, EGL, fontconfig)." >&2
        return 1
    fi
    local sudo=""
    [ "$(id -u)" = "0" ] || sudo="sudo"
    echo "Installing them with: $sudo apt-get install $(echo $QT_DEBS)" >&2
    $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq $QT_DEBS >&2
}
