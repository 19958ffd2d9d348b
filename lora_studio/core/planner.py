"""The memory planner: peak memory of a LoRA run, as a breakdown, and the settings that fit.

Everything here is arithmetic on a model's shape (``config.json`` figures, or a preset's) and a
run's settings; nothing is measured. ``bench/planner_calibration.py`` checks the CPU figures
against the peak resident memory of real training runs; ``docs/memory.md`` compares the GPU
figures with published ones.

The formula, per part (bytes; T = micro-batch x sequence length tokens, c = bytes per element of
the compute precision: 2 for bf16/fp16, 4 for fp32):

- base weights: the linear layers at the weight format's size (int8 1 byte, int4 4.25 bits with
  its block scales), embeddings and norms at 16 bits (32 on CPU); never trained.
- LoRA weights: r x (in + out) per adapted projection per layer, kept in fp32; their gradients
  in fp32; AdamW's two moments in fp32 (8 bytes per parameter).
- activations kept for the backward pass, per layer: T x (17 h + 8 i) x c / 2. The 17 h is the
  attention block and its norm, the 8 i SwiGLU's gate, up, activation and product (after
  Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models", 2022,
  table 2, rewritten for SwiGLU); plus the attention matrix, b x heads x s^2 x c x 1.16 (about
  one copy: the softmax output; fitted on CPU), when the attention is not fused (CPU, and GPUs
  older than Ampere). With gradient
  checkpointing only each layer's input is kept (T x h x c per layer) plus one layer's worth.
- LoRA activations: each adapted projection keeps its input after dropout and the rank-r
  intermediate, T x (in + r) x c.
- logits and loss: T x vocabulary x (c + 4, and 4 more below fp32): the logits, their fp32 copy
  for the cross-entropy (16-bit only) and its fp32 gradient. Large with Qwen's 152k vocabulary:
  512 tokens x 152k x 10 bytes = 0.8 GB at 16 bits.
- overhead: on a GPU the CUDA context and Paddle's kernels (about 0.6 GB) plus 8% of the rest for
  the allocator's fragmentation; on a CPU (resident memory above an idle Paddle process) the
  Trainer, the data pipeline and the allocator (a constant plus a share, fitted once by
  ``bench/planner_calibration.py`` and stated below).
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from lora_studio.core.model_shape import ModelShape
from lora_studio.core.presets import PRESETS
from lora_studio.core.units import duration

GB = 1024**3
MB = 1024**2
PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
WEIGHT_BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "int8": 1.0 + 2 / 64, "int4": 4.25 / 8}
COMPUTE_BYTES = {"fp32": 4, "bf16": 2, "fp16": 2}
GPU_OVERHEAD_BYTES = 0.6 * GB
GPU_FRAGMENTATION = 0.08
# CPU: fitted by bench/planner_calibration.py against measured peak RSS (see docs/memory.md)
CPU_OVERHEAD_BYTES = 174 * MB
CPU_FRAGMENTATION = 0.25
# copies of the b x heads x s^2 attention matrix kept when attention is not fused (fitted on CPU;
# Korthikanti et al. count 2.5 at 16 bits with attention dropout, which Qwen and Llama turn off)
ATTENTION_COPIES = 1.16
SAFETY_MARGIN = 0.10  # of the memory available: what the plan leaves free
MIN_MARGIN_BYTES = 0.5 * GB
MICRO_BATCHES = (16, 8, 4, 2, 1)


@dataclass(frozen=True)
class RunShape:
    """The settings that decide a run's memory."""

    micro_batch: int = 1
    seq_len: int = 512
    lora_rank: int = 8
    targets: tuple[str, ...] = PROJECTIONS
    precision: str = "bf16"  # compute precision: bf16 / fp16 / fp32
    weights: str = "bf16"  # base weight format: fp32 / bf16 / fp16 / int8 / int4
    gradient_checkpointing: bool = False
    lora_dropout: bool = True  # counted although the default is 0 (config.py): a margin
    device: str = "gpu"  # gpu / cpu
    fused_attention: bool = True  # flash attention (Ampere and newer GPUs)


@dataclass
class Breakdown:
    """Bytes per part of the peak."""

    base_weights: float
    lora_weights: float
    gradients: float
    optimizer: float
    activations: float
    logits: float
    overhead: float

    @property
    def total(self) -> float:
        return sum(asdict(self).values())

    def gb(self) -> dict[str, float]:
        return {k: round(v / GB, 3) for k, v in asdict(self).items()}


def lora_parameters(shape: ModelShape, rank: int, targets: tuple[str, ...]) -> int:
    dims = shape.projection_dims()
    return shape.num_layers * sum(rank * (dims[t][0] + dims[t][1]) for t in targets if t in dims)


def estimate(shape: ModelShape, run: RunShape) -> Breakdown:
    c = COMPUTE_BYTES[run.precision]
    cpu = run.device == "cpu"
    other_bytes = 4 if cpu or run.weights == "fp32" else 2
    base = shape.linear_parameters() * WEIGHT_BYTES[run.weights]
    base += shape.other_parameters() * other_bytes
    n_lora = lora_parameters(shape, run.lora_rank, run.targets)
    tokens = run.micro_batch * run.seq_len
    h, i = shape.hidden_size, shape.intermediate_size

    layer = tokens * (17 * h + 8 * i) * c / 2
    if not (run.fused_attention and not cpu):
        layer += run.micro_batch * shape.num_heads * run.seq_len**2 * c * ATTENTION_COPIES
    dims = shape.projection_dims()
    lora_inputs = sum(dims[t][0] * (2 if run.lora_dropout else 1) for t in run.targets if t in dims)
    layer += tokens * (lora_inputs + run.lora_rank * len(run.targets)) * c
    if run.gradient_checkpointing:
        activations = shape.num_layers * tokens * h * c + layer
    else:
        activations = shape.num_layers * layer
    activations += tokens * h * c * 2  # embeddings out, final norm
    logits = tokens * shape.vocab_size * (c + 4 + (4 if c < 4 else 0))

    parts = Breakdown(
        base_weights=base,
        lora_weights=n_lora * 4,
        gradients=n_lora * 4,
        optimizer=n_lora * 8,
        activations=activations,
        logits=logits,
        overhead=0.0,
    )
    if cpu:
        parts.overhead = CPU_OVERHEAD_BYTES + CPU_FRAGMENTATION * parts.total
    else:
        parts.overhead = GPU_OVERHEAD_BYTES + GPU_FRAGMENTATION * parts.total
    return parts


# ---- recommending --------------------------------------------------------------------------
@dataclass
class Machine:
    """What the plan must fit in: a GPU's memory, or on CPU the RAM that is free."""

    device: str = "cpu"  # gpu / cpu
    memory_bytes: float = 0.0
    name: str = ""
    compute_capability: tuple[int, int] = (0, 0)
    low_bit: tuple[str, ...] = ()  # weight formats the Paddle build can train on: int8, int4
    tflops: float = 0.0  # for the time estimate; 0: a guess from the device

    @property
    def bf16(self) -> bool:
        return self.device == "gpu" and self.compute_capability >= (8, 0)

    @property
    def fused_attention(self) -> bool:
        return self.device == "gpu" and self.compute_capability >= (8, 0)


@dataclass
class Plan:
    fits: bool
    precision: str
    quantization: str  # none / int8 / int4
    micro_batch: int
    grad_accumulation: int
    gradient_checkpointing: bool
    lora_rank: int
    max_seq_length: int
    estimated_peak_gb: float
    available_gb: float
    breakdown_gb: dict[str, float]
    device: str
    notes: list[str] = field(default_factory=list)
    largest_fitting_model: str = ""  # when nothing fits: the largest preset that would
    seconds_per_epoch: float | None = None
    gpus: int = 1  # data-parallel processes: the memory figures are per device

    @property
    def effective_batch(self) -> int:
        """Sequences per optimiser step: micro-batch x accumulation x devices."""
        return self.micro_batch * self.grad_accumulation * self.gpus

    @property
    def margin_gb(self) -> float:
        return round(self.available_gb - self.estimated_peak_gb, 3)

    def level(self) -> str:
        """fits / tight (under the safety margin) / too_big."""
        if self.estimated_peak_gb > self.available_gb:
            return "too_big"
        return "fits" if self.fits else "tight"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["breakdown"] = data.pop("breakdown_gb")
        data["margin_gb"] = self.margin_gb
        data["effective_batch"] = self.effective_batch
        return data


def budget(machine: Machine) -> float:
    """The memory a plan may use: what is available less the safety margin."""
    return machine.memory_bytes - max(MIN_MARGIN_BYTES, SAFETY_MARGIN * machine.memory_bytes)


def recommend(
    shape: ModelShape,
    machine: Machine,
    seq_len: int = 512,
    rank: int = 8,
    target_batch: int = 16,
    micro_batch: int | None = None,
    targets: tuple[str, ...] = PROJECTIONS,
    dataset_tokens: int = 0,
    gpus: int = 1,
) -> Plan:
    """The fastest settings that fit: 16-bit (bf16 where the card has it), no recomputation,
    the largest micro-batch; then gradient checkpointing; then 8-bit and 4-bit weights where the
    build can train on them. ``micro_batch`` fixes the micro-batch instead of searching.

    With ``gpus`` devices (data parallel), each holds the whole model and its own micro-batch:
    the memory per device is that of one, the accumulation shrinks so that the effective batch
    stays near ``target_batch``, and an epoch takes about 1/gpus of the time (the all-reduce of
    LoRA's gradients measured under 1% of a step: docs/distributed.md)."""
    gpus = max(1, gpus)
    run, fits = _search(shape, machine, seq_len, rank, target_batch, micro_batch, targets)
    plan = _plan(shape, machine, run, fits, target_batch, dataset_tokens)
    if gpus > 1:
        plan.gpus = gpus
        plan.grad_accumulation = max(1, math.ceil(target_batch / (run.micro_batch * gpus)))
        if plan.seconds_per_epoch:
            plan.seconds_per_epoch /= gpus
    if not fits:
        plan.largest_fitting_model = largest_fitting_preset(machine, seq_len, rank, targets)
        if machine.device == "gpu" and "int4" not in machine.low_bit:
            plan.notes.append(
                "4-bit training is not available with this Paddle build (it needs the CUDA "
                "build's weight-only kernels)"
            )
    return plan


def _search(
    shape: ModelShape,
    machine: Machine,
    seq_len: int,
    rank: int,
    target_batch: int,
    micro_batch: int | None,
    targets: tuple[str, ...],
) -> tuple[RunShape, bool]:
    cpu = machine.device == "cpu"
    precision = "fp32" if cpu else ("bf16" if machine.bf16 else "fp16")
    formats = (
        ["fp32"] if cpu else [precision] + [q for q in ("int8", "int4") if q in machine.low_bit]
    )
    batches = (
        (micro_batch,) if micro_batch else tuple(b for b in MICRO_BATCHES if b <= target_batch)
    )
    limit = budget(machine)
    base_run = RunShape(
        seq_len=seq_len,
        lora_rank=rank,
        targets=targets,
        precision=precision,
        device=machine.device,
        fused_attention=machine.fused_attention,
    )
    candidates = []
    for weights in formats:
        for checkpointing in (False, True):
            for batch in batches:
                run = replace(
                    base_run,
                    micro_batch=batch,
                    weights=weights,
                    gradient_checkpointing=checkpointing,
                )
                candidates.append(run)
                if estimate(shape, run).total <= limit:
                    return run, True
    # nothing fits: the smallest configuration, reported as not fitting
    return min(candidates, key=lambda r: estimate(shape, r).total), False


def _plan(
    shape: ModelShape,
    machine: Machine,
    run: RunShape,
    fits: bool,
    target_batch: int,
    dataset_tokens: int,
) -> Plan:
    parts = estimate(shape, run)
    notes = []
    if run.gradient_checkpointing:
        notes.append("gradient checkpointing: about 30% slower, needed to fit")
    if run.weights in ("int8", "int4"):
        notes.append(f"{run.weights} base weights: needed to fit; a little less accurate")
    if machine.device == "cpu":
        notes.append("CPU mode: only small models are practical, and training is slow")
    return Plan(
        fits=fits,
        precision=run.precision,
        quantization=run.weights if run.weights in ("int8", "int4") else "none",
        micro_batch=run.micro_batch,
        grad_accumulation=max(1, math.ceil(target_batch / run.micro_batch)),
        gradient_checkpointing=run.gradient_checkpointing,
        lora_rank=run.lora_rank,
        max_seq_length=run.seq_len,
        estimated_peak_gb=round(parts.total / GB, 3),
        available_gb=round(machine.memory_bytes / GB, 3),
        breakdown_gb=parts.gb(),
        device=machine.device,
        notes=notes,
        seconds_per_epoch=epoch_seconds(shape, run, machine, dataset_tokens),
    )


def largest_fitting_preset(
    machine: Machine, seq_len: int, rank: int, targets: tuple[str, ...] = PROJECTIONS
) -> str:
    best, best_size = "", -1
    for preset in PRESETS:
        if preset.made_here:
            continue
        shape = ModelShape.from_preset(preset)
        _run, fits = _search(shape, machine, seq_len, rank, 16, None, targets)
        if fits and shape.parameters() > best_size:
            best, best_size = preset.key, shape.parameters()
    return best


def epoch_seconds(
    shape: ModelShape, run: RunShape, machine: Machine, dataset_tokens: int
) -> float | None:
    """A rough time per epoch: LoRA training costs about 4 x parameters FLOPs per token (forward
    2, backward through the frozen weights 2; 6 with recomputation) plus the attention, at an
    assumed 35% of the device's peak ``machine.tflops`` (a generic figure when unknown)."""
    if dataset_tokens <= 0:
        return None
    flops_per_token = (6 if run.gradient_checkpointing else 4) * shape.parameters()
    flops_per_token += 4 * run.seq_len * shape.num_layers * shape.num_heads * shape.hd  # attention
    peak = machine.tflops or (20.0 if machine.device == "gpu" else 0.2)
    return dataset_tokens * flops_per_token / (peak * 1e12 * 0.35)


GPU_TFLOPS = {  # dense 16-bit tensor throughput, TFLOP/s (vendor figures, rounded)
    "3060": 51,
    "3070": 81,
    "3080": 119,
    "3090": 142,
    "4060 ti": 88,
    "4060": 60,
    "4070": 117,
    "4080": 195,
    "4090": 330,
    "a100": 312,
    "h100": 990,
}


def gpu_tflops(name: str) -> float:
    lowered = name.lower()
    for key in sorted(GPU_TFLOPS, key=len, reverse=True):
        if key in lowered:
            return float(GPU_TFLOPS[key])
    return 0.0


CPU_GFLOPS_PER_CORE = 50.0  # fp32, for the time estimate


def detected_machine(reading: Any, probe: Any = None, system: Any = None) -> Machine:
    """The machine to plan for, from ``hardware.read_gpus()``, an optional ``PaddleProbe`` and
    ``hardware.system_info()``: the first GPU's free memory when Paddle can use it, else CPU
    mode with the RAM that is available."""
    gpus = reading.gpus if reading is not None else []
    usable = gpus and (probe is None or probe.gpu_count > 0 or not probe.version)
    if usable:
        gpu = gpus[0]
        free = gpu.memory_free_mb or (gpu.memory_total_mb - gpu.memory_used_mb)
        return Machine(
            device="gpu",
            memory_bytes=max(0.0, free) * MB,
            name=gpu.name,
            compute_capability=gpu.compute_capability,
            low_bit=tuple(probe.low_bit) if probe is not None else (),
            tflops=gpu_tflops(gpu.name),
        )
    cores = system.cores if system is not None else (os.cpu_count() or 1)
    ram = system.ram_available_mb * MB if system is not None else 0.0
    return Machine(
        device="cpu",
        memory_bytes=ram,
        name=system.cpu_name if system is not None else "CPU",
        tflops=cores * CPU_GFLOPS_PER_CORE / 1000,
    )


def describe(plan: Plan, model: str, machine: Machine) -> str:
    """The plan as text for the terminal."""
    where = f"{machine.name or machine.device.upper()} ({plan.available_gb:.1f} GB available)"
    if plan.gpus > 1:
        where = f"{plan.gpus} x {where}, data parallel"
    lines = [f"{model} on {where}"]
    weights = plan.quantization if plan.quantization != "none" else "16-bit"
    if plan.device == "cpu":
        weights = "fp32"
    if plan.fits:
        lines.append(
            f"Fits: {plan.precision}, micro-batch {plan.micro_batch} x accumulation "
            f"{plan.grad_accumulation}, gradient checkpointing "
            f"{'on' if plan.gradient_checkpointing else 'off'}, base weights "
            f"{weights}, "
            f"LoRA rank {plan.lora_rank}, sequence length {plan.max_seq_length}"
        )
    else:
        lines.append("Does not fit, even with micro-batch 1 and gradient checkpointing.")
        if plan.largest_fitting_model:
            lines.append(f"The largest model that would fit: {plan.largest_fitting_model}")
    per = " per GPU" if plan.gpus > 1 else ""
    lines.append(
        f"Estimated peak{per}: {plan.estimated_peak_gb:.2f} GB of {plan.available_gb:.2f} GB"
    )
    if plan.fits:
        lines.append(
            f"Effective batch: {plan.micro_batch} x {plan.grad_accumulation}"
            + (f" x {plan.gpus} GPUs" if plan.gpus > 1 else "")
            + f" = {plan.effective_batch} sequences per step"
        )
    for part, gb in plan.breakdown_gb.items():
        lines.append(f"  {part.replace('_', ' '):14} {gb:8.3f} GB")
    if plan.seconds_per_epoch:
        lines.append(f"Rough time per epoch: {duration(plan.seconds_per_epoch)}")
    lines += [f"Note: {note}" for note in plan.notes]
    return "\n".join(lines)
