"""The Hardware section and wizard, offscreen, on this machine (CPU mode, real Paddle probe)."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from lora_studio.core import hardware
from lora_studio.core.presets import PRESETS
from lora_studio.gui.hardware.report import hardware_html
from lora_studio.gui.hardware.wizard import HardwareWizard
from lora_studio.gui.jobs.probe import Detection
from lora_studio.gui.main_window import MainWindow


def finish_detection(qtbot, detection: Detection) -> None:
    qtbot.waitUntil(lambda: detection.probe is not None, timeout=120_000)


def test_wizard_runs_through_in_cpu_mode_and_fills_the_form(window, qtbot, memorise_dataset):
    window.training.form.dataset.setText(str(memorise_dataset))
    wizard = window.open_hardware_wizard()
    assert isinstance(wizard, HardwareWizard) and wizard.isVisible()
    finish_detection(qtbot, wizard.detection)
    page = wizard.hardware_page
    assert "CPU mode" in page.text.text() and "CPU build" in page.text.text()
    assert page.isComplete()

    wizard.next()
    models = wizard.model_page.list
    assert models.count() == len(PRESETS)
    texts = {models.item(i).data(256): models.item(i).text() for i in range(models.count())}
    assert "will fit" in texts["demo"]
    assert "won't fit" in texts["qwen3-8b"]  # 8B in fp32 on a 24 GB machine
    assert "slow on this CPU" in texts["qwen2.5-3b"]  # it fits in memory, but days per epoch
    # every figure at the same micro-batch: they compare models, not batch sizes
    assert all("micro-batch 1)" in text for text in texts.values()), texts
    for i in range(models.count()):
        if models.item(i).data(256) == "demo":
            models.setCurrentRow(i)

    wizard.next()
    goals = wizard.goals_page
    assert goals.records.value() == 8  # the training form's dataset was counted
    goals.seq_len.setValue(256)
    goals.target_batch.setValue(8)

    wizard.next()
    rec = wizard.recommendation_page
    plan = rec.plan
    assert plan.fits and plan.device == "cpu" and plan.precision == "fp32"
    assert "fits" in rec.summary.text() and "CPU mode" in rec.summary.text()
    assert plan.micro_batch * plan.grad_accumulation >= 8
    assert not rec.bar.grab().isNull()

    with qtbot.waitSignal(wizard.applied):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    form = window.training.form
    config = form.config()
    assert form.model.currentData() == "demo"
    assert config.per_device_train_batch_size == plan.micro_batch
    assert config.gradient_accumulation_steps == plan.grad_accumulation
    assert config.max_seq_length == 256 and not config.bf16 and not config.fp16
    assert config.weight_quantization == "none"
    assert window.current_section() == "training"


def test_the_wizard_plans_for_models_on_this_machine_too(window, qtbot, app_settings, tiny_model):
    """A model in the models folder (a download, say) is listed after the presets, planned from
    its own config.json, and goes into the form by its folder."""
    import shutil
    from pathlib import Path

    folder = Path(app_settings.models_dir) / "my-tiny"
    shutil.copytree(tiny_model, folder)
    wizard = window.open_hardware_wizard()
    finish_detection(qtbot, wizard.detection)
    wizard.next()
    models = wizard.model_page.list
    assert models.count() == len(PRESETS) + 1
    mine = models.item(models.count() - 1)
    assert mine.data(256) == str(folder) and "my-tiny (on this machine)" in mine.text()
    assert "will fit" in mine.text()
    models.setCurrentRow(models.count() - 1)
    wizard.next()
    wizard.next()
    rec = wizard.recommendation_page
    assert rec.plan.fits and "my-tiny" in rec.summary.text()
    with qtbot.waitSignal(wizard.applied) as applied:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert applied.args[1] == str(folder)
    form = window.training.form
    assert form.config().model_name_or_path == str(folder)


def test_the_wizard_is_offered_at_the_first_launch_only(qtbot, app_settings):
    app_settings.hardware_wizard_offered = False
    app_settings.save()
    first = MainWindow(app_settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.wizard is not None and first.wizard.isVisible())
    finish_detection(qtbot, first.wizard.detection)
    first.wizard.reject()
    from lora_studio.core.settings import AppSettings

    assert AppSettings.load().hardware_wizard_offered
    second = MainWindow(AppSettings.load())
    qtbot.addWidget(second)
    second.show()
    qtbot.wait(300)
    assert second.wizard is None


def test_hardware_section_shows_the_machine_and_opens_the_wizard(window, qtbot):
    window.show_section("hardware")
    panel = window.hardware
    finish_detection(qtbot, panel.detection)
    text = panel.text.text()
    assert "No NVIDIA GPU" in text and "cores" in text and "GB free for runs" in text
    panel.wizard_requested.emit()
    assert window.wizard is not None and window.wizard.detection is panel.detection
    window.wizard.reject()


def test_an_nvidia_gpu_with_the_cpu_build_gets_the_install_command(qtbot, app_settings):
    """A stand-in reading: no NVIDIA GPU can exist on this machine."""
    detection = Detection(app_settings)
    detection.reading = hardware.GpuReading(
        gpus=[hardware.GpuSnapshot(0, "NVIDIA GeForce RTX 4060", 8188, 500, 3, 7688, (8, 9))],
        nvml=True,
        driver_version="560.35",
        cuda_driver_version="12.6",
    )
    detection.probe = hardware.PaddleProbe(version="3.3.1")
    html = hardware_html(detection)
    assert "RTX 4060" in html and "CPU build" in html
    assert "pip install paddlepaddle-gpu==3.3.1" in html and "cu126" in html
    detection.reading.cuda_driver_version = "11.2"
    assert "update it first" in hardware_html(detection)
    detection.reading.problem = "Reading the GPU through NVML failed: GPU is lost"
    assert "GPU is lost" in hardware_html(detection)


def test_with_two_gpus_the_wizard_plans_per_gpu_and_the_form_takes_both(qtbot, app_settings):
    """A stand-in reading and probe of two 24 GB GPUs: no GPU can exist on this machine."""
    from lora_studio.gui.training.run_form import RunFormWidget

    detection = Detection(app_settings)
    card = "NVIDIA GeForce RTX 4090"
    detection.reading = hardware.GpuReading(
        gpus=[hardware.GpuSnapshot(i, card, 24564, 400, 0, 24000, (8, 9)) for i in (0, 1)],
        nvml=True,
        driver_version="560.35",
        cuda_driver_version="12.6",
    )
    detection.probe = hardware.PaddleProbe(version="3.3.1", cuda="12.6", gpu_count=2, bf16=True)
    wizard = HardwareWizard(app_settings, detection=detection, model="qwen2.5-1.5b")
    qtbot.addWidget(wizard)
    plan = wizard.plan()
    assert plan.device == "gpu" and plan.gpus == 2 and plan.fits
    assert plan.effective_batch >= wizard.goals_page.target_batch.value()
    text = wizard.plan_html(plan)
    assert "On 2 GPUs at once" in text and f"= {plan.effective_batch} sequences" in text
    detection.probe.gpu_count = 1  # the build sees one of them: plan for one
    assert wizard.plan().gpus == 1
    form = RunFormWidget(str(app_settings.runs_dir))
    qtbot.addWidget(form)
    form.set_gpu_count(2)
    form.apply_plan(plan, "qwen2.5-1.5b")
    assert form.config().nproc_per_node == 2 and form.config().bf16


def _bundle(monkeypatch, tmp_path, edition):
    """The bundle's edition file, as scripts/build_dist writes it (a stand-in resources folder)."""
    from lora_studio.core import editions

    (tmp_path / editions.EDITION_FILE).write_text(
        editions.edition_file_text(edition, "https://example.invalid/releases/latest")
    )
    monkeypatch.setattr(editions, "resource_path", lambda *parts: str(tmp_path.joinpath(*parts)))


def _reading(driver, cuda):
    return hardware.GpuReading(
        gpus=[hardware.GpuSnapshot(0, "NVIDIA GeForce RTX 3060", 12288, 300, 1, 11900, (8, 6))],
        nvml=True,
        driver_version=driver,
        cuda_driver_version=cuda,
    )


def test_the_hardware_section_says_the_edition_and_the_driver_it_needs(
    qtbot, app_settings, monkeypatch, tmp_path
):
    """Each case with a stand-in NVML reading (no NVIDIA GPU can exist on this machine)."""
    detection = Detection(app_settings)
    detection.probe = hardware.PaddleProbe(version="3.3.1", cuda="12.6", gpu_count=1)
    _bundle(monkeypatch, tmp_path, "cuda126")
    detection.reading = _reading("560.94", "12.6")  # a new driver
    html = hardware_html(detection)
    assert "NVIDIA CUDA 12.6" in html and "560.94 runs this edition" in html
    detection.reading = _reading("531.79", "12.1")  # an old one
    html = hardware_html(detection)
    assert "too old for this edition" in html and "NVIDIA CUDA 11.8 edition" in html
    detection.reading = hardware.GpuReading()  # no GPU
    assert "No NVIDIA GPU was found" in hardware_html(detection)
    _bundle(monkeypatch, tmp_path, "cpu")  # the CPU edition on a GPU machine
    detection.probe = hardware.PaddleProbe(version="3.3.1")
    detection.reading = _reading("560.94", "12.6")
    html = hardware_html(detection)
    assert "This is the CPU edition" in html
    assert "<a href='https://example.invalid/releases/latest'>" in html  # a link, not its full stop
    assert "pip install" not in html  # a bundle has no pip: the download, not the command
