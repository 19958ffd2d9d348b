"""GUI responsiveness while a real training run streams metrics.

  python bench/ui_latency.py

A 10 ms QTimer ticks on the GUI thread; the longest gap between two ticks is how long the window
could not react. Measured twice in one run: idle (the baseline), then while the Training panel
supervises the real engine training the demo model with a metrics event every step. Target:
longest gap during training <= 50 ms. Runs offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PROFILE = tempfile.mkdtemp(prefix="lora-studio-latency-")
os.environ["LORA_STUDIO_CONFIG_DIR"] = os.path.join(PROFILE, "config")
os.environ["LORA_STUDIO_DATA_DIR"] = os.path.join(PROFILE, "data")


class TickMeter:
    def __init__(self, app) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return sorted(self.gaps)


def main() -> int:
    from PySide6.QtCore import QTimer

    from lora_studio.core.paths import sample_dataset_path
    from lora_studio.core.settings import AppSettings
    from lora_studio.gui.app import apply_theme, create_app
    from lora_studio.gui.main_window import MainWindow

    app = create_app([])
    apply_theme(app, "system")
    settings = AppSettings(runs_dir=os.path.join(PROFILE, "runs"))
    window = MainWindow(settings)
    window.resize(1400, 900)
    window.show()
    meter = TickMeter(app)
    results: dict[str, list[float]] = {}
    steps: list[int] = []

    def idle_phase() -> None:
        meter.start()
        QTimer.singleShot(5000, training_phase)

    def training_phase() -> None:
        results["idle"] = meter.stop()
        panel = window.training
        form = panel.form
        form.dataset.setText(sample_dataset_path())
        form.epochs.setValue(6)
        form.batch.setValue(4)
        form.accumulation.setValue(1)
        form.learning_rate.setValue(0.005)
        form.save_steps.setValue(25)
        panel.session_options = {}
        panel.run_finished.connect(done)
        panel.metrics.redrawn.connect(lambda: steps.append(panel.metrics.point_count("loss")))
        meter.start()
        panel.start()

    def done(outcome, _run_dir) -> None:
        results["training"] = meter.stop()
        results["outcome"] = [outcome.status]
        app.quit()

    QTimer.singleShot(1500, idle_phase)  # let the deferred pages build first
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    if "training" not in results:
        print("ui_latency: the training run did not finish")
        return 1
    panel = window.training
    print("ui_latency: longest gap between 10 ms timer ticks on the GUI thread, offscreen")
    for name in ("idle", "training"):
        gaps = results[name]
        p99 = gaps[int(len(gaps) * 0.99) - 1] * 1000
        print(
            f"  {name:9s} ticks {len(gaps):6d}   p99 {p99:6.1f} ms   "
            f"longest {gaps[-1] * 1000:6.1f} ms"
        )
    print(
        f"  training: {panel.metrics.point_count('loss')} step events, "
        f"{panel.metrics.redraws} redraws, outcome {results['outcome'][0]}"
    )
    worst = results["training"][-1] * 1000
    print(
        f"  longest gap while training {worst:.1f} ms   target <= 50 ms   "
        f"{'ok' if worst <= 50 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
