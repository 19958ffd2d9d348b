"""The memory planner and hardware detection (core, no Qt, no Paddle).

The expected table below was checked once by hand against published figures (docs/memory.md):
LLaMA-Factory's 7B LoRA at 16 bits ~16 GB and QLoRA 4-bit ~6 GB, Unsloth's 7B QLoRA ~5 GB.
GPUs cannot exist on this machine: they are synthetic profiles (Machine objects), and NVML is a
stand-in module for the detection tests.
"""

from __future__ import annotations

import json
import sys
import types

import pytest
from conftest import run_cli

from lora_studio.core import hardware, model_shape, planner
from lora_studio.core.planner import GB, Machine, ModelShape, RunShape, estimate, recommend

CUDA_BUILD = ("int8", "int4")  # what the probe reports for the CUDA build on a GPU
GPUS = {
    "RTX 3060 12GB": (12, (8, 6)),
    "RTX 4060 8GB": (8, (8, 9)),
    "RTX 4060 Ti 16GB": (16, (8, 9)),
    "RTX 4090 24GB": (24, (8, 9)),
    "A100 40GB": (40, (8, 0)),
}
# (GPU, model): fits, base weights, micro-batch, gradient checkpointing   [estimated peak]
EXPECTED = {
    ("RTX 3060 12GB", "qwen2.5-0.5b"): (True, "none", 4, False),  # 9.5 GB
    ("RTX 3060 12GB", "qwen2.5-1.5b"): (True, "none", 2, False),  # 10.3 GB
    ("RTX 3060 12GB", "qwen2.5-7b"): (True, "int4", 2, True),  # 8.8 GB
    ("RTX 4060 8GB", "qwen2.5-0.5b"): (True, "none", 2, False),  # 5.6 GB
    ("RTX 4060 8GB", "qwen2.5-1.5b"): (True, "none", 1, False),  # 7.1 GB
    ("RTX 4060 8GB", "qwen2.5-7b"): (False, "int4", 1, True),  # 7.7 GB: over the margin
    ("RTX 4060 Ti 16GB", "qwen2.5-0.5b"): (True, "none", 4, False),  # 9.5 GB
    ("RTX 4060 Ti 16GB", "qwen2.5-1.5b"): (True, "none", 2, False),  # 10.3 GB
    ("RTX 4060 Ti 16GB", "qwen2.5-7b"): (True, "int8", 4, True),  # 14.2 GB
    ("RTX 4090 24GB", "qwen2.5-0.5b"): (True, "none", 8, False),  # 17.4 GB
    ("RTX 4090 24GB", "qwen2.5-1.5b"): (True, "none", 4, False),  # 16.8 GB
    ("RTX 4090 24GB", "qwen2.5-7b"): (True, "none", 4, True),  # 20.6 GB
    ("A100 40GB", "qwen2.5-0.5b"): (True, "none", 16, False),  # 33.0 GB
    ("A100 40GB", "qwen2.5-1.5b"): (True, "none", 8, False),  # 29.8 GB
    ("A100 40GB", "qwen2.5-7b"): (True, "none", 2, False),  # 28.6 GB
}
LLAMA_7B = ModelShape(32000, 4096, 32, 32, 32, 11008, tied_embeddings=False, qkv_bias=False)


@pytest.mark.parametrize(("gpu", "model"), sorted(EXPECTED))
def test_recommendations_for_known_cards(gpu, model):
    gb, capability = GPUS[gpu]
    machine = Machine("gpu", gb * GB, gpu, capability, CUDA_BUILD)
    plan = recommend(model_shape.resolve_shape(model), machine)
    got = (plan.fits, plan.quantization, plan.micro_batch, plan.gradient_checkpointing)
    assert got == EXPECTED[(gpu, model)]
    assert plan.precision == "bf16"  # every card listed is Ampere or newer
    assert plan.micro_batch * plan.grad_accumulation >= 16
    if plan.fits:  # never more than the card by the planner's own estimate, with the margin
        assert plan.estimated_peak_gb * GB <= planner.budget(machine)
        assert plan.level() == "fits"
    else:
        assert plan.largest_fitting_model == "qwen3-4b"
        assert plan.level() in ("tight", "too_big")


def test_several_gpus_keep_the_memory_per_gpu_and_share_the_batch():
    gb, capability = GPUS["RTX 4090 24GB"]
    machine = Machine("gpu", gb * GB, "RTX 4090 24GB", capability, CUDA_BUILD)
    shape = model_shape.resolve_shape("qwen2.5-1.5b")
    one = recommend(shape, machine, dataset_tokens=2_000_000)
    four = recommend(shape, machine, dataset_tokens=2_000_000, gpus=4)
    assert four.micro_batch == one.micro_batch and four.estimated_peak_gb == one.estimated_peak_gb
    assert four.effective_batch >= 16 and four.effective_batch < one.effective_batch * 2
    assert four.seconds_per_epoch == pytest.approx(one.seconds_per_epoch / 4)
    text = planner.describe(four, "qwen2.5-1.5b", machine)
    assert "per GPU" in text and f"x 4 GPUs = {four.effective_batch}" in text
    assert run_cli("plan", "--model", "demo", "--gpus", "0").returncode == 2
    two = run_cli("plan", "--model", "qwen2.5-0.5b", "--vram-gb", "24", "--gpus", "2", "--json")
    assert two.returncode == 0 and json.loads(two.stdout)["gpus"] == 2


def test_without_low_bit_kernels_4bit_is_never_chosen():
    machine = Machine("gpu", 8 * GB, "RTX 4060", (8, 9), low_bit=())
    plan = recommend(model_shape.resolve_shape("qwen2.5-7b"), machine)
    assert not plan.fits and plan.quantization == "none"
    assert any("4-bit" in note for note in plan.notes)


def test_pre_ampere_cards_get_fp16_and_unfused_attention():
    turing = Machine("gpu", 8 * GB, "RTX 2070", (7, 5))
    plan = recommend(model_shape.resolve_shape("qwen2.5-0.5b"), turing)
    assert plan.precision == "fp16" and plan.fits
    shape = model_shape.resolve_shape("qwen2.5-0.5b")
    fused = estimate(shape, RunShape(seq_len=2048, fused_attention=True))
    unfused = estimate(shape, RunShape(seq_len=2048, fused_attention=False))
    assert unfused.activations > fused.activations


def test_cpu_mode_plans_in_fp32_against_ram():
    cpu = Machine("cpu", 16 * GB, "CPU", tflops=0.1)
    plan = recommend(model_shape.resolve_shape("qwen2.5-0.5b"), cpu, dataset_tokens=100_000)
    assert plan.fits and plan.precision == "fp32" and plan.quantization == "none"
    assert plan.device == "cpu" and plan.seconds_per_epoch > 0
    assert any("CPU mode" in note for note in plan.notes)
    big = recommend(model_shape.resolve_shape("qwen2.5-7b"), cpu)
    assert not big.fits and big.largest_fitting_model


def test_estimates_grow_with_every_setting():
    shape = model_shape.resolve_shape("qwen2.5-1.5b")
    base = estimate(shape, RunShape()).total
    for change in (
        {"micro_batch": 2},
        {"seq_len": 1024},
        {"lora_rank": 64},
        {"weights": "fp32"},
        {"precision": "fp32"},
    ):
        assert estimate(shape, RunShape(**change)).total > base, change
    assert estimate(shape, RunShape(gradient_checkpointing=True)).total < base
    assert estimate(shape, RunShape(weights="int4")).total < base
    # more memory never gives a smaller micro-batch or more recomputation
    plans = [recommend(shape, Machine("gpu", gb * GB, "", (8, 9))) for gb in (6, 8, 12, 16, 24)]
    batches = [(p.fits, p.micro_batch, not p.gradient_checkpointing) for p in plans]
    assert batches == sorted(batches)


def test_published_figures_for_7b():
    """docs/memory.md: LLaMA-Factory 16 GB (LoRA 16-bit), 6 GB (QLoRA); Unsloth 5 GB (QLoRA)."""
    lora = estimate(LLAMA_7B, RunShape(seq_len=512, gradient_checkpointing=True)).total / GB
    qlora = estimate(
        LLAMA_7B, RunShape(seq_len=512, weights="int4", gradient_checkpointing=True)
    ).total
    assert 0.8 < lora / 16 < 1.2
    assert 0.8 < qlora / GB / 6 < 1.2 and 0.8 < qlora / GB / 5 < 1.2
    assert abs(LLAMA_7B.parameters() / 6.74e9 - 1) < 0.01  # LLaMA-2-7B's 6.74B parameters


def test_model_shapes_from_config_and_presets(tmp_path):
    qwen = model_shape.resolve_shape("Qwen/Qwen2.5-0.5B-Instruct")
    assert abs(qwen.parameters() / 494e6 - 1) < 0.01  # the model card's 0.49B
    config = {
        "model_type": "qwen2",
        "vocab_size": 2048,
        "hidden_size": 128,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "intermediate_size": 256,
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    shape = model_shape.resolve_shape(str(tmp_path))
    assert shape.hd == 32 and shape.qkv_bias and shape.tied_embeddings
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(model_shape.PlanError, match="lacks a figure"):
        model_shape.resolve_shape(str(tmp_path))
    with pytest.raises(model_shape.PlanError, match="neither a model folder"):
        model_shape.resolve_shape(str(tmp_path / "missing"))


# ---- detection, with a stand-in NVML (no NVIDIA driver can exist here) ----
class _Memory:
    def __init__(self, total, used):
        self.total, self.used, self.free = total, used, total - used


class _Util:
    gpu = 7


def fake_nvml(monkeypatch, free_gb=10.0, fail_at: str = "", init_error=False):
    module = types.ModuleType("pynvml")

    def maybe_fail(name):
        if name == fail_at:
            raise RuntimeError("GPU is lost")

    def init():
        if init_error:
            raise RuntimeError("NVML Shared Library Not Found")

    module.nvmlInit = init
    module.nvmlSystemGetDriverVersion = lambda: b"560.35"
    module.nvmlSystemGetCudaDriverVersion = lambda: 12060
    module.nvmlDeviceGetCount = lambda: 2
    module.nvmlDeviceGetHandleByIndex = lambda i: i
    module.nvmlDeviceGetName = lambda h: (maybe_fail(f"name{h}"), "NVIDIA GeForce RTX 3060")[1]
    module.nvmlDeviceGetMemoryInfo = lambda h: _Memory(12 * GB, (12 - free_gb) * GB)
    module.nvmlDeviceGetUtilizationRates = lambda h: _Util()
    module.nvmlDeviceGetCudaComputeCapability = lambda h: (8, 6)
    monkeypatch.setitem(sys.modules, "pynvml", module)


def test_nvml_reading(monkeypatch):
    fake_nvml(monkeypatch)
    reading = hardware.read_gpus()
    assert reading.nvml and not reading.problem
    assert reading.driver_version == "560.35" and reading.cuda_driver_version == "12.6"
    gpu = reading.gpus[0]
    assert len(reading.gpus) == 2 and gpu.bf16 and gpu.compute_capability == (8, 6)
    assert round(gpu.memory_free_mb) == 10 * 1024
    machine = planner.detected_machine(reading, hardware.PaddleProbe("3.3.1", "12.6", 1, True))
    assert machine.device == "gpu" and machine.memory_bytes == 10 * GB and machine.bf16
    cpu_build = hardware.PaddleProbe(version="3.3.1")  # a GPU, but Paddle cannot use it
    assert planner.detected_machine(reading, cpu_build).device == "cpu"


def test_nvml_absent(monkeypatch):
    fake_nvml(monkeypatch, init_error=True)
    reading = hardware.read_gpus()
    assert reading == hardware.GpuReading()  # the normal CPU-only case: no problem to report
    monkeypatch.setitem(sys.modules, "pynvml", None)  # not even installed
    assert hardware.read_gpus().gpus == [] and hardware.cuda_driver_version() == ""
    system = hardware.system_info("/nonexistent/runs")
    machine = planner.detected_machine(reading, None, system)
    assert machine.device == "cpu" and machine.memory_bytes > 0 and system.disk_free_mb > 0


def test_nvml_failing_mid_read_keeps_what_was_read(monkeypatch):
    fake_nvml(monkeypatch, fail_at="name1")
    reading = hardware.read_gpus()
    assert len(reading.gpus) == 1 and "GPU is lost" in reading.problem


def test_a_gpu_with_no_free_memory_is_reported(monkeypatch):
    fake_nvml(monkeypatch, free_gb=0.0)
    reading = hardware.read_gpus()
    assert "no free memory" in reading.problem
    machine = planner.detected_machine(reading)
    plan = recommend(model_shape.resolve_shape("qwen2.5-0.5b"), machine)
    assert not plan.fits and plan.level() == "too_big"


def test_gpu_build_command_matches_the_driver():
    assert "cu126" in hardware.gpu_build_command("12.6")
    assert "cu126" in hardware.gpu_build_command("12.8")
    assert "cu129" in hardware.gpu_build_command("13.0")
    assert "cu118" in hardware.gpu_build_command("11.8")
    assert hardware.gpu_build_command("11.4") == ""  # the driver needs updating
    assert hardware.gpu_build_command("") == ""


# ---- the command line ----
def test_plan_command_json_and_text():
    result = run_cli("plan", "--model", "qwen2.5-7b", "--vram-gb", "24", "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    for key in (
        "fits",
        "precision",
        "quantization",
        "micro_batch",
        "grad_accumulation",
        "gradient_checkpointing",
        "lora_rank",
        "max_seq_length",
        "estimated_peak_gb",
        "breakdown",
    ):
        assert key in plan
    assert plan["fits"] and plan["micro_batch"] == 4 and plan["gradient_checkpointing"]
    assert abs(sum(plan["breakdown"].values()) - plan["estimated_peak_gb"]) < 0.01

    text = run_cli("plan", "--model", "qwen2.5-0.5b", "--seq-len", "1024", "--rank", "16")
    assert text.returncode == 0 and "on " in text.stdout and "sequence length 1024" in text.stdout
    assert "CPU" in text.stdout  # no GPU here: CPU mode, planned against the RAM
    assert run_cli("plan", "--model", "nothing").returncode == 1
    assert run_cli("plan", "--model", "demo", "--vram-gb", "0").returncode == 2
    assert run_cli("plan", "--model", "demo", "--batch", "0").returncode == 2


def test_probe_reports_the_cpu_build():
    result = run_cli("probe")
    assert result.returncode == 0
    probe = hardware.PaddleProbe.from_dict(json.loads(result.stdout.strip().splitlines()[-1]))
    assert probe.version.startswith("3.") and probe.cpu_build and probe.low_bit == []
