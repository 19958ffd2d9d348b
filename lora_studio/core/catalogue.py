"""The models the presets know, as the Models section offers them for download: the hub id,
about how much it downloads, and whether LoRA training fits this machine (the planner's
verdict) before anything is fetched."""

from __future__ import annotations

from dataclasses import dataclass

from lora_studio.core.model_shape import ModelShape
from lora_studio.core.planner import Machine, recommend
from lora_studio.core.presets import PRESETS, ModelPreset

FITS, TIGHT, TOO_BIG, SLOW = "fits", "tight", "too_big", "slow"
TOKENIZER_BYTES = 12 * 1024**2  # tokenizer.json and friends, about
CHECKPOINT_BYTES_PER_PARAMETER = 2  # hubs publish these models in bf16
CPU_SLOW_PARAMETERS = 1.0e9  # above this, a CPU trains for hours per epoch of a small dataset


@dataclass(frozen=True)
class CatalogueEntry:
    preset: ModelPreset
    parameters: int
    download_bytes: int
    verdict: str  # FITS, TIGHT, TOO_BIG or SLOW
    peak_gb: float


def verdict(shape: ModelShape, machine: Machine) -> tuple[str, float]:
    """Whether LoRA training fits ``machine``, and the planner's estimated peak in GB."""
    plan = recommend(shape, machine)
    level = plan.level()
    if level == "too_big":
        return TOO_BIG, plan.estimated_peak_gb
    if machine.device == "cpu" and shape.parameters() > CPU_SLOW_PARAMETERS:
        return SLOW, plan.estimated_peak_gb
    return (FITS if level == "fits" else TIGHT), plan.estimated_peak_gb


def entries(machine: Machine) -> list[CatalogueEntry]:
    """Every downloadable preset (not the demo or the test model, which are made here)."""
    found = []
    for preset in PRESETS:
        if preset.made_here or not preset.hub_id:
            continue
        shape = ModelShape.from_preset(preset)
        level, peak = verdict(shape, machine)
        parameters = shape.parameters()
        found.append(
            CatalogueEntry(
                preset,
                parameters,
                parameters * CHECKPOINT_BYTES_PER_PARAMETER + TOKENIZER_BYTES,
                level,
                peak,
            )  # fmt: skip
        )
    return found
