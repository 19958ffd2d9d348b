# Sourced by scripts/test: builds llama-cpp-python into the venv in the background (about ten
# minutes on two cores the first time; pip caches the wheel, so later runs take seconds).
# GGML_NATIVE=OFF: the native build picks up AMX/AVX-512 flags this CPU reports and segfaults at
# the first decode (shared/STACK.md); AVX2/FMA/F16C is what x86-64 desktops of the last decade run.
# LLAVA_BUILD=OFF: the multimodal library is not needed for text (it is imported only when used).
LLAMA_LOG="$VENV/llama-cpp-build.log"

llama_cpp_installed() {
    "$VENV/bin/python" -c 'import llama_cpp' >/dev/null 2>&1
}

start_llama_cpp_build() {
    LLAMA_PID=""
    if llama_cpp_installed; then return 0; fi
    echo "Building llama.cpp (llama-cpp-python) in the background; log: $LLAMA_LOG" >&2
    (
        export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAVA_BUILD=OFF}"
        export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
        cd "$ROOT" && exec nice -n 10 "$VENV/bin/python" -m pip install --disable-pip-version-check \
            -r requirements-llama.txt
    ) >"$LLAMA_LOG" 2>&1 &
    LLAMA_PID=$!
}

wait_llama_cpp_build() {
    if [ -n "${LLAMA_PID:-}" ] && ! wait "$LLAMA_PID"; then
        echo "The llama.cpp build failed; the end of its log ($LLAMA_LOG):" >&2
        tail -n 30 "$LLAMA_LOG" >&2
        return 1
    fi
}
