"""The cluster job folder (core/cluster_job.py): its files, their syntax, hostile settings.
Running the node scripts is in test_engine_distributed.py (they train there, on 127.0.0.1)."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.core import cluster_job
from lora_studio.core.config import RunConfig


@pytest.fixture()
def config(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"instruction": "hi", "output": "hello"}) + "\n")
    model = tmp_path / "my model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    return RunConfig(
        model_name_or_path=str(model),
        dataset_path=str(data),
        output_dir=str(tmp_path / "runs" / "My Run 1"),
        per_device_train_batch_size=2,
        gradient_accumulation_steps=4,
    )


def test_the_job_folder_holds_everything_a_cluster_needs(tmp_path, config):
    out = tmp_path / "job"
    spec = cluster_job.JobSpec(nnodes=3, nproc_per_node=4, master="head:9000")
    written = cluster_job.write_job(config, str(out), spec)
    assert "launch-node-2.sh" in written and "slurm.sbatch" in written
    job = RunConfig.load(out / "run_config.json")
    assert (job.dataset_path, job.model_name_or_path, job.output_dir) == (
        "data/data.jsonl",
        "model",
        "run",
    )
    assert job.nproc_per_node == 4 and (out / "model" / "config.json").is_file()
    for n in range(3):
        script = (out / f"launch-node-{n}.sh").read_text()
        assert f"--rank {n}" in script and "--nnodes 3" in script and '"$MASTER"' in script
        assert subprocess.run(["sh", "-n", str(out / f"launch-node-{n}.sh")]).returncode == 0
    slurm = (out / "slurm.sbatch").read_text()
    assert "#SBATCH --nodes=3" in slurm and "#SBATCH --gpus-per-node=4" in slurm
    assert subprocess.run(["bash", "-n", str(out / "slurm.sbatch")]).returncode == 0
    service, k8s_job = list(yaml.safe_load_all((out / "kubernetes.yaml").read_text()))
    assert service["kind"] == "Service" and service["spec"]["clusterIP"] == "None"
    spec_k8s = k8s_job["spec"]
    assert spec_k8s["completionMode"] == "Indexed" and spec_k8s["completions"] == 3
    pod = spec_k8s["template"]["spec"]
    assert pod["subdomain"] == service["metadata"]["name"] == "my-run-1"
    container = pod["containers"][0]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 4
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["MASTER"] == "my-run-1-0.my-run-1:9000"
    readme = (out / "README.md").read_text()
    assert "2 per device x\n4 accumulation x 12 = 96" in readme and "Shared storage" in readme


def test_a_single_node_job_needs_no_master_and_a_nonempty_folder_is_refused(tmp_path, config):
    out = tmp_path / "job"
    cluster_job.write_job(config, str(out), cluster_job.JobSpec(nproc_per_node=2))
    script = (out / "launch-node-0.sh").read_text()
    assert "--nnodes" not in script and "--nproc_per_node 2" in script
    with pytest.raises(cluster_job.JobError, match="is not empty"):
        cluster_job.write_job(config, str(out), cluster_job.JobSpec())


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    master=st.one_of(
        st.just(""), st.from_regex(r"[a-z0-9.]{1,10}:[0-9]{1,5}", fullmatch=True), st.text()
    ),
    name=st.one_of(st.just(""), st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), st.text()),
    nnodes=st.integers(-2, 4),
)
def test_hostile_settings_are_refused_or_make_valid_scripts(
    tmp_path_factory, config, master, name, nnodes
):
    out = tmp_path_factory.mktemp("job")
    spec = cluster_job.JobSpec(nnodes=nnodes, nproc_per_node=1, master=master, name=name)
    try:
        cluster_job.write_job(config, str(out), spec)
    except cluster_job.JobError as exc:
        assert str(exc) and spec.problems()
        return
    for n in range(nnodes):
        path = out / f"launch-node-{n}.sh"
        assert subprocess.run(["sh", "-n", str(path)]).returncode == 0, path.read_text()
    assert len(list(yaml.safe_load_all((out / "kubernetes.yaml").read_text()))) == 2
