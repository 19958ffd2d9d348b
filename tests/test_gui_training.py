"""The training panel driving the real engine on the demo model, offscreen."""

import pytest
from PySide6.QtCore import Qt

from lora_studio.core.outcome import Status

pytestmark = pytest.mark.usefixtures("no_leaks")


@pytest.fixture
def window(window):
    """The shared main window (conftest), opened on the Training section (a fresh profile
    opens on Home)."""
    window.show_section("training")
    return window


def fill_form(form, tiny_model, dataset, epochs, save_steps):
    form.model.setEditText(str(tiny_model))
    form.dataset.setText(str(dataset))
    form.run_name.setText("gui-run")
    form.epochs.setValue(epochs)
    form.batch.setValue(2)
    form.accumulation.setValue(1)
    form.learning_rate.setValue(0.005)
    form.save_steps.setValue(save_steps)


def test_form_problems_are_shown_at_their_fields(window, qtbot, tmp_path):
    panel = window.training
    panel.form.model.setEditText(str(tmp_path / "missing-model"))
    panel.form.dataset.setText(str(tmp_path / "missing.json"))
    panel.form.batch.setValue(1)
    panel.form.targets["q_proj"].setChecked(False)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.session is None
    errors = panel.form.errors
    assert (
        errors["model_name_or_path"].isVisible()
        and "does not exist" in errors["model_name_or_path"].text()
    )
    assert errors["dataset_path"].isVisible() and "missing.json" in errors["dataset_path"].text()
    assert not errors["target_modules"].isVisible()
    assert "correct the marked fields" in panel.status.text()


def test_train_then_find_the_run_with_its_plots(window, qtbot, tiny_model, memorise_dataset):
    panel = window.training
    fill_form(panel.form, tiny_model, memorise_dataset, epochs=2, save_steps=4)
    with qtbot.waitSignal(panel.run_finished, timeout=180_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.is_running and not panel.start_button.isEnabled()
    outcome, run_dir = blocker.args
    assert outcome.status == Status.COMPLETED, outcome
    assert panel.metrics.point_count("loss") == 8  # 8 records / batch 2 x 2 epochs
    qtbot.waitUntil(lambda: panel.metrics.redraws > 0)
    assert panel.progress.value() == panel.progress.maximum() == 8
    assert "finished" in panel.status.text()
    assert panel.log.toPlainText()
    assert panel.start_button.isEnabled() and not panel.resume_button.isEnabled()

    window.show_section("runs")
    runs = window.runs
    assert [r.name for r in runs.model.runs] == ["gui-run"]
    assert runs.select_run(run_dir)
    assert runs.metrics.point_count("loss") == 8  # redrawn from events.jsonl
    assert list(runs.metrics.history["loss"].y) == list(panel.metrics.history["loss"].y)
    assert f'"lora_rank": {panel.form.rank.value()}' in runs.config_view.toPlainText()
    assert runs.buttons["merge"].isEnabled() and not runs.buttons["resume"].isEnabled()

    # merge from Runs, with the real engine
    qtbot.mouseClick(runs.buttons["merge"], Qt.MouseButton.LeftButton)
    assert runs.merge_job is not None and not runs.buttons["merge"].isEnabled()
    qtbot.waitUntil(lambda: runs.merge_job is None, timeout=120_000)
    assert "Merged model saved" in runs.message.text()
    assert runs.selected().has_merged

    # duplicate the run's config into the form
    qtbot.mouseClick(runs.buttons["duplicate"], Qt.MouseButton.LeftButton)
    assert window.current_section() == "training"
    assert panel.form.config().save_steps == 4 and panel.form.run_name.text() == ""


def test_stop_then_resume_continues_the_same_curve(window, qtbot, tiny_model, memorise_dataset):
    panel = window.training
    fill_form(panel.form, tiny_model, memorise_dataset, epochs=6, save_steps=100)
    with qtbot.waitSignal(panel.run_finished, timeout=180_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.metrics.point_count("loss") >= 3, timeout=120_000)
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    outcome, run_dir = blocker.args
    assert outcome.status == Status.STOPPED
    stopped_at = int(panel.metrics.history["loss"].x[-1])
    assert 3 <= stopped_at < 24 and panel.resume_button.isEnabled()

    with qtbot.waitSignal(panel.run_finished, timeout=180_000) as blocker:
        qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == Status.COMPLETED
    steps = list(panel.metrics.history["loss"].x)
    assert steps == list(range(1, 25))  # the curve continues: no gap, no step twice


def test_closing_during_training_stops_and_saves_first(
    window, qtbot, tiny_model, memorise_dataset, monkeypatch
):
    panel = window.training
    fill_form(panel.form, tiny_model, memorise_dataset, epochs=20, save_steps=1000)
    monkeypatch.setattr(window, "ask_close_while_training", lambda: "stop")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.metrics.point_count("loss") >= 1, timeout=120_000)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as blocker:
        window.close()
        assert window.isVisible()  # still open while the checkpoint is written
    assert blocker.args[0].status == Status.STOPPED
    qtbot.waitUntil(lambda: not window.isVisible())


def test_keep_the_window_open_when_asked(window, qtbot, tiny_model, memorise_dataset, monkeypatch):
    panel = window.training
    fill_form(panel.form, tiny_model, memorise_dataset, epochs=20, save_steps=1000)
    monkeypatch.setattr(window, "ask_close_while_training", lambda: "keep")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    window.close()
    assert window.isVisible() and panel.is_running
    with qtbot.waitSignal(panel.run_finished, timeout=120_000):
        panel.stop()


def test_several_gpus_give_a_gpus_choice_that_trains_in_as_many_processes(
    window, qtbot, tiny_model, memorise_dataset, monkeypatch
):
    """Two GPUs as NVML would report them (a stand-in: this machine has none); the run itself
    is real, two gloo processes on the CPU started by the engine's launcher."""
    import json
    import os

    from lora_studio.core.hardware import GpuSnapshot
    from lora_studio.gui.training import panel as panel_module

    gpus = [GpuSnapshot(i, "NVIDIA GeForce RTX 4070", 12282, 900 + 100 * i, 50) for i in (0, 1)]
    monkeypatch.setattr(panel_module, "gpu_snapshots", lambda: gpus)
    panel = window.training
    form = panel.form
    gpus_row = form.gpus.parentWidget()
    form.set_gpu_count(1)
    assert not gpus_row.isVisibleTo(form)  # one GPU: no choice to make
    form.set_gpu_count(len(gpus))
    assert gpus_row.isVisibleTo(form) and form.gpus.maximum() == 2
    fill_form(form, tiny_model, memorise_dataset, epochs=1, save_steps=100)
    form.gpus.setValue(2)
    assert form.config().nproc_per_node == 2
    with qtbot.waitSignal(panel.run_finished, timeout=180_000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    outcome, run_dir = blocker.args
    assert outcome.status == Status.COMPLETED, outcome
    with open(os.path.join(run_dir, "run_config.json"), encoding="utf-8") as handle:
        assert json.load(handle)["world_size"] == 2
    assert panel.metrics.point_count("loss") == 2  # 8 records / (batch 2 x 2 processes)
    panel._sample_gpu()  # what the timer does while a run is on: each GPU's memory
    qtbot.waitUntil(lambda: "gpu1" in panel.metrics.memory.curves, timeout=5000)
    assert "GPU 1 used" in panel.metrics.memory.legend_names()
    form.gpus.setValue(1)
    form.set_gpu_count(0)
