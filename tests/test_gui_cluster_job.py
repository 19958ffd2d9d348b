"""Cluster job… (gui/training/cluster_job_dialog.py) on a real finished run, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lora_studio.core.config import RunConfig
from lora_studio.gui.training.cluster_job_dialog import ClusterJobDialog

pytestmark = pytest.mark.usefixtures("no_leaks")


def test_the_dialog_refuses_a_bad_address_then_writes_the_job(qtbot, memorised_run, tmp_path):
    dialog = ClusterJobDialog(str(memorised_run))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.nodes.setValue(2)
    dialog.gpus.setValue(4)
    assert not dialog.open_button.isVisible()  # nothing to open yet
    config = RunConfig.load(memorised_run / "run_config.json")
    per_step = config.per_device_train_batch_size * config.gradient_accumulation_steps * 8
    assert dialog.batch.text().endswith(f"= {per_step} sequences per step")
    dialog.master.setText("no port here")
    dialog.folder.setText(str(tmp_path / "job"))
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    assert "HOST:PORT" in dialog.message.text()
    assert not (tmp_path / "job").exists()
    dialog.master.setText("head.cluster:8090")
    with qtbot.waitSignal(dialog.written, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
        assert not dialog.write_button.isEnabled()  # one job at a time
    paths, problem = blocker.args
    assert problem == "" and "launch-node-1.sh" in paths
    assert (tmp_path / "job" / "model").is_dir() and (tmp_path / "job" / "README.md").is_file()
    script = (tmp_path / "job" / "launch-node-1.sh").read_text()
    assert "head.cluster:8090" in script and "--nproc_per_node 4" in script
    assert dialog.open_button.isVisible() and "README.md" in dialog.message.text()
    # a second write into the same, now full, folder is refused with a message
    with qtbot.waitSignal(dialog.written, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is None and "is not empty" in blocker.args[1]
    assert "is not empty" in dialog.message.text()
