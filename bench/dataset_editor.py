"""The dataset editor on a generated 100,000-record JSONL file, offscreen.

Measured in one run, medians of 3:
  baseline   plain ``json.loads`` of every line of the file
  open       the editor opens the file and the table is shown (lenient import, the model)
  checked    ... and the live checks and statistics have run
  filter     "only records with problems" switched on; a search with "only matches"
  save       an atomic save of every record
  scroll     a page-down through the table, repainted: the longest frame

Targets: open <= 1.5 x baseline; filter and search <= 100 ms; save <= 1 s; scrolling frames
well under 50 ms. Usage: python bench/dataset_editor.py [--records N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

WORDS_EN = "firewall packet attack password server encrypt network phishing patch user".split()
WORDS_ZH = list("防火墙数据包攻击密码服务器加密网络钓鱼补丁用户安全漏洞")


def generate(path: str, count: int) -> None:
    rng = random.Random(0)

    def text(n: int) -> str:
        if rng.random() < 0.5:
            return " ".join(rng.choice(WORDS_EN) for _ in range(n))
        return "".join(rng.choice(WORDS_ZH) for _ in range(n * 2))

    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            record = {"instruction": f"{text(8)} {i}", "input": text(4), "output": text(30)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        # a few problems for the filter to find
        handle.write(json.dumps({"instruction": "duplicate", "output": "x"}) + "\n")
        handle.write(json.dumps({"instruction": "duplicate", "output": "x"}) + "\n")


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def gui_thread_held_while_checking(app, panel) -> float:
    """The longest gap between 10 ms timer ticks on the GUI thread from an open until its
    checks and statistics are applied (they run in CheckRunner's thread)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    panel.document.mark_saved()
    gaps, clock = [], QElapsedTimer()
    loop = QEventLoop()
    ticker = QTimer()
    ticker.setInterval(10)

    def tick():
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    panel.checks_done.connect(loop.quit)
    panel.open_path(panel.document.path, ask=lambda result: True)
    clock.start()
    ticker.start()
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    ticker.stop()
    panel.checks_done.disconnect(loop.quit)
    return (max(gaps) if gaps else 0.0) / 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = tempfile.mkdtemp(prefix="dataset-bench-")
    os.environ["LORA_STUDIO_CONFIG_DIR"] = os.path.join(work, "config")
    os.environ["LORA_STUDIO_DATA_DIR"] = os.path.join(work, "data")
    path = os.path.join(work, "big.jsonl")
    generate(path, args.records)
    size_mb = os.path.getsize(path) / 2**20

    def plain_json():
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    baseline, _ = timed(plain_json)

    from PySide6.QtWidgets import QApplication

    from lora_studio.core.settings import AppSettings
    from lora_studio.gui.dataset.panel import DatasetPanel

    app = QApplication.instance() or QApplication([])
    panel = DatasetPanel(AppSettings(runs_dir=os.path.join(work, "runs")))
    panel.resize(1400, 900)
    panel.show()
    app.processEvents()

    def open_and_show():
        panel.document.mark_saved()  # reopening: nothing to ask
        panel.open_path(path, ask=lambda result: True)
        panel.table.viewport().repaint()  # the first rows are on screen

    open_time, _ = timed(open_and_show)
    held = gui_thread_held_while_checking(app, panel)
    checks_time, _ = timed(panel.run_checks, repeat=1)

    def problems_filter():
        panel.find_bar.problems_only.setChecked(True)
        panel.table.viewport().repaint()
        rows = panel.model.rowCount()
        panel.find_bar.problems_only.setChecked(False)
        return rows

    filter_time, filtered = timed(problems_filter)
    panel.find_bar.find_edit.setText("漏洞补丁")

    def search():
        panel.find_bar.matches_only.setChecked(True)
        panel.table.viewport().repaint()
        rows = panel.model.rowCount()
        panel.find_bar.matches_only.setChecked(False)
        return rows

    search_time, matched = timed(search)
    out = os.path.join(work, "saved.json")
    save_time, _ = timed(lambda: panel.save_to(out))

    bar = panel.table.verticalScrollBar()
    frames = []
    for _ in range(200):
        start = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        panel.table.viewport().repaint()
        app.processEvents()
        frames.append(time.perf_counter() - start)
    panel.document.mark_saved()

    records = len(panel.document.records)
    ratio = open_time / baseline
    print(f"dataset_editor: {records} records, {size_mb:.0f} MB JSONL, offscreen, median of 3")
    print(f"  plain json.loads          {baseline * 1000:7.0f} ms")
    print(f"  open and show             {open_time * 1000:7.0f} ms   ratio {ratio:.2f}")
    print(f"  checks and statistics     {checks_time * 1000:7.0f} ms   (in their thread)")
    print(
        f"  GUI thread held at most   {held * 1000:7.0f} ms   while they ran   target <= 50 ms   "
        f"{'ok' if held <= 0.05 else 'MISSED'}"
    )
    print(f"  filter: problems only     {filter_time * 1000:7.1f} ms   ({filtered} records)")
    print(f"  search: only matches      {search_time * 1000:7.1f} ms   ({matched} records)")
    print(f"  save (atomic)             {save_time * 1000:7.0f} ms")
    print(
        f"  scroll: page down         median {statistics.median(frames) * 1000:.1f} ms, "
        f"longest {max(frames) * 1000:.1f} ms"
    )
    print(f"  open ratio {ratio:.2f}   target <= 1.5   {'ok' if ratio <= 1.5 else 'MISSED'}")
    worst = max(filter_time, search_time)
    print(
        f"  filter/search {worst * 1000:.0f} ms   target <= 100 ms   "
        f"{'ok' if worst <= 0.1 else 'MISSED'}"
    )
    print(f"  save {save_time:.2f} s   target <= 1 s   {'ok' if save_time <= 1 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
