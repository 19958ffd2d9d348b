"""The Hardware section's texts: the detected hardware and a recommendation, as rich text.

Builders only (strings from core values, translated); no widgets, so that each is tested alone.
"""

from __future__ import annotations

import re
from html import escape

from lora_studio.core import editions, hardware, model_shape, planner
from lora_studio.core.presets import BY_KEY
from lora_studio.gui.jobs.probe import Detection
from lora_studio.gui.text import duration, message_text, preset_label, translate


def hardware_html(detection: Detection) -> str:
    """The detected hardware as rich text."""
    reading, probe, system = detection.reading, detection.probe, detection.system
    rows = []
    for gpu in reading.gpus:
        rows.append(
            (
                translate("Hardware", "GPU %d") % gpu.index,
                translate("Hardware", "%s · %.1f GB, %.1f GB free · compute capability %d.%d%s")
                % (
                    gpu.name,
                    gpu.memory_total_mb / 1024,
                    gpu.memory_free_mb / 1024,
                    *gpu.compute_capability,
                    translate("Hardware", " · bf16") if gpu.bf16 else "",
                ),
            )
        )
    if reading.gpus:
        rows.append(
            (
                translate("Hardware", "Driver"),
                translate("Hardware", "%s (CUDA %s)")
                % (reading.driver_version, reading.cuda_driver_version),
            )
        )
    else:
        rows.append(
            (
                translate("Hardware", "GPU"),
                translate("Hardware", "No NVIDIA GPU found (or no NVIDIA driver)"),
            )
        )
    if probe is None:
        rows.append(
            (
                translate("Hardware", "Paddle"),
                translate("Hardware", "Checking the installed build…"),
            )
        )
    elif not probe.version:
        rows.append(
            (translate("Hardware", "Paddle"), probe.problem or translate("Hardware", "not found"))
        )
    else:
        build = (
            translate("Hardware", "CUDA %s build") % probe.cuda
            if probe.cuda
            else translate("Hardware", "CPU build")
        )
        sees = translate("Hardware", ", sees %d GPU(s)") % probe.gpu_count if probe.cuda else ""
        bits = ", ".join(probe.low_bit) or translate("Hardware", "none")
        rows.append((translate("Hardware", "Paddle"), f"{probe.version} · {build}{sees}"))
        rows.append((translate("Hardware", "8/4-bit training"), bits))
    bundled = editions.bundled_edition()
    installed = bundled
    if installed is None and probe is not None and probe.version:
        installed = editions.edition_for_build(probe.cuda)
    if installed is not None:
        rows.append((translate("Hardware", "Edition"), installed.label()))
    if system is not None:
        rows.append(
            (
                translate("Hardware", "CPU"),
                translate("Hardware", "%s · %d cores") % (system.cpu_name, system.cores),
            )
        )
        rows.append(
            (
                translate("Hardware", "Memory"),
                translate("Hardware", "%.1f GB, %.1f GB available")
                % (system.ram_total_mb / 1024, system.ram_available_mb / 1024),
            )
        )
        rows.append(
            (
                translate("Hardware", "Disk"),
                translate("Hardware", "%.0f GB free for runs") % (system.disk_free_mb / 1024),
            )
        )
    html = "<table cellspacing='4'>" + "".join(
        f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows
    )
    html += "</table>"
    notes = []
    if reading.problem:
        notes.append(f"<p style='color:#b35c00'>{reading.problem}</p>")
    if installed is not None and (bundled is not None or installed.nvidia):
        # the edition's own advice: the driver it needs, the download to take instead
        for ok, line in editions.advice(
            installed, len(reading.gpus), reading.driver_version, reading.cuda_driver_version
        ):
            style = "" if ok else " style='color:#b35c00'"
            text = escape(message_text(line), quote=False)
            text = re.sub(r"(https://[^\s<]+[^\s<.,;:)])", r"<a href='\1'>\1</a>", text)
            notes.append(f"<p{style}>{text}</p>")
    elif reading.gpus and probe is not None and probe.version and probe.cpu_build:
        # from source with Paddle's CPU build: the pip command of the GPU build
        command = hardware.gpu_build_command(reading.cuda_driver_version, probe.version)
        text = translate(
            "Hardware",
            "You have an NVIDIA GPU, but the installed Paddle is the CPU build: training would "
            "run on the CPU.",
        )
        if command:
            text += " " + translate("Hardware", "Install the GPU build that matches your driver:")
            text += f"<pre>{command}</pre>"
        else:
            text += " " + translate(
                "Hardware", "Your driver is too old for Paddle's GPU builds: update it first."
            )
        notes.append(f"<p style='color:#b35c00'>{text}</p>")
    if not reading.gpus:
        notes.append(
            "<p>"
            + translate(
                "Hardware",
                "<b>CPU mode.</b> Without an NVIDIA GPU, LoRA Studio trains on the processor. "
                "That is fine for the demo model and workable for models up to about 0.5B "
                "parameters with short sequences; larger models take hours per epoch. The "
                "recommendation below plans against the memory that is free.",
            )
            + " "
            + cpu_example(detection)
            + "</p>"
        )
    return html + "".join(notes)


def cpu_example(detection: Detection) -> str:
    """A time estimate that makes CPU mode concrete: the bundled sample on Qwen2.5-0.5B."""
    machine = planner.detected_machine(detection.reading, detection.probe, detection.system)
    if machine.device != "cpu":
        return ""
    records, tokens = 64, 200  # the bundled sample: 64 records of about 200 tokens
    run = planner.RunShape(micro_batch=2, seq_len=512, precision="fp32", device="cpu")
    seconds = planner.epoch_seconds(
        model_shape.resolve_shape("qwen2.5-0.5b"), run, machine, records * tokens
    )
    return translate(
        "Hardware",
        "For example, one epoch of the bundled sample (64 records) on Qwen2.5-0.5B takes "
        "roughly %s here; a dataset of 5,000 records, roughly %s.",
    ) % (duration(seconds), duration(seconds * 5000 / records))


def plan_html(plan: planner.Plan, key: str, name: str = "") -> str:
    """The recommendation for model preset ``key`` (or the library model called ``name``) as
    rich text."""
    name = name or (preset_label(key, BY_KEY[key].label) if key in BY_KEY else key)
    if plan.fits:
        weights = {
            "none": tr("16-bit") if plan.device == "gpu" else "fp32",
            "int8": tr("8-bit"),
            "int4": tr("4-bit"),
        }[plan.quantization]
        lines = [
            tr("<b>%s fits.</b> Estimated peak %.1f GB of %.1f GB available.")
            % (name, plan.estimated_peak_gb, plan.available_gb),
            tr(
                "Precision %s · micro-batch %d × accumulation %d · gradient checkpointing "
                "%s · base weights %s · LoRA rank %d · sequence length %d"
            )
            % (
                plan.precision,
                plan.micro_batch,
                plan.grad_accumulation,
                tr("on") if plan.gradient_checkpointing else tr("off"),
                weights,
                plan.lora_rank,
                plan.max_seq_length,
            ),
        ]
    else:
        lines = [
            tr(
                "<b>%s does not fit</b>, even with micro-batch 1 and gradient "
                "checkpointing: about %.1f GB against %.1f GB available."
            )
            % (name, plan.estimated_peak_gb, plan.available_gb)
        ]
        if plan.largest_fitting_model:
            lines.append(
                tr("The largest model that fits: %s.")
                % preset_label(plan.largest_fitting_model, BY_KEY[plan.largest_fitting_model].label)
            )
        else:
            lines.append(tr("Try a shorter sequence length."))
    if plan.fits and plan.gpus > 1:
        lines.append(
            tr(
                "On %d GPUs at once (data parallel): the memory above is per GPU; effective "
                "batch %d × %d × %d = %d sequences per step."
            )
            % (
                plan.gpus,
                plan.micro_batch,
                plan.grad_accumulation,
                plan.gpus,
                plan.effective_batch,
            )
        )
    if plan.seconds_per_epoch:
        lines.append(tr("Rough time per epoch: %s.") % duration(plan.seconds_per_epoch))
    if plan.gradient_checkpointing:
        lines.append(tr("Gradient checkpointing is needed to fit: about 30% slower."))
    if plan.device == "cpu":
        lines.append(tr("CPU mode: training runs on the processor, slowly."))
    return "<br>".join(lines)


def tr(text: str) -> str:
    # lupdate files a module-level tr("...") under no context (as it does say()), so it is
    # looked up there: under a class's name it would find nothing and stay English.
    return translate("", text)
