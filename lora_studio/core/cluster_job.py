"""A run made ready for a cluster: one self-contained folder (``main.py job export``).

The folder holds the run config, the dataset, the model when it is a local folder, a launch
script per node (PaddlePaddle's launcher, the command line of ``core/commands.launch``), a Slurm
batch script that starts the node scripts with ``srun``, a Kubernetes manifest (an indexed Job
and the headless Service its pods meet through), and a README saying what each needs. Every
path in it is relative to the folder, which must be on storage that every node mounts: rank 0
writes the run there, and every rank reads the checkpoints from it when the job resumes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

from lora_studio.core import commands, runs
from lora_studio.core.config import CONFIG_FILE_NAME, RunConfig
from lora_studio.core.messages import Text, join_texts, say
from lora_studio.core.paths import engine_command

JOB_CONFIG = CONFIG_FILE_NAME
RUN_DIR = "run"
DATA_DIR = "data"
MODEL_DIR = "model"
SLURM_SCRIPT = "slurm.sbatch"
KUBERNETES_MANIFEST = "kubernetes.yaml"
README = "README.md"
DEFAULT_PORT = 8090
DEFAULT_IMAGE = "registry.example.com/lora-studio:cuda12.6"


class JobError(ValueError):
    """A job that cannot be written; the message says why (``text``: for the app's language)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class JobSpec:
    nnodes: int = 1
    nproc_per_node: int = 1
    master: str = ""  # HOST:PORT of node 0; the scripts take $MASTER first
    image: str = DEFAULT_IMAGE
    name: str = ""

    def problems(self) -> list[Text]:
        out = []
        if self.nnodes < 1 or self.nproc_per_node < 1:
            out.append(say("The machines and the GPUs per machine must be at least 1."))
        if self.master and not re.fullmatch(r"[A-Za-z0-9_.\-\[\]:]+:\d{1,5}", self.master):
            out.append(
                say("The master address must be HOST:PORT, not {value}.", value=repr(self.master))
            )
        if self.name and not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?", self.name):
            out.append(
                say(
                    "The job name must be lower-case letters, digits and dashes (a Kubernetes "
                    "name), not {value}.",
                    value=repr(self.name),
                )
            )
        return out


def node_script_name(node: int) -> str:
    return f"launch-node-{node}.sh"


def job_name(config: RunConfig, spec: JobSpec) -> str:
    if spec.name:
        return spec.name
    base = os.path.basename(os.path.normpath(config.output_dir)) or "lora-run"
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:40].strip("-")
    return slug or "lora-run"


def write_job(
    config: RunConfig,
    out_dir: str,
    spec: JobSpec,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[str]:
    """Write the job folder; the paths written, relative to ``out_dir``. Raises JobError."""
    problems = spec.problems()
    problems += [
        say("The run config's {field}: {problem}.", field=k, problem=v)
        for k, v in config.problems().items()
    ]
    if problems:
        raise JobError(join_texts(problems, sep="\n"))
    if not os.path.isfile(config.dataset_path):
        raise JobError(say("The dataset {path} does not exist.", path=config.dataset_path))
    if os.path.exists(out_dir) and os.listdir(out_dir):
        raise JobError(say("{path} is not empty: choose a new folder for the job.", path=out_dir))
    os.makedirs(out_dir, exist_ok=True)
    written: list[str] = []

    job = RunConfig.from_dict(config.to_dict())
    data_name = os.path.basename(config.dataset_path)
    progress(f"copying the dataset {config.dataset_path}")
    os.makedirs(os.path.join(out_dir, DATA_DIR), exist_ok=True)
    shutil.copy2(config.dataset_path, os.path.join(out_dir, DATA_DIR, data_name))
    job.dataset_path = f"{DATA_DIR}/{data_name}"
    written.append(job.dataset_path)
    if os.path.isdir(config.model_name_or_path):
        progress(f"copying the model {config.model_name_or_path} (hard links where possible)")
        shutil.copytree(
            config.model_name_or_path, os.path.join(out_dir, MODEL_DIR), copy_function=_link
        )
        job.model_name_or_path = MODEL_DIR
        written.append(MODEL_DIR + "/")
    job.output_dir = RUN_DIR
    job.nproc_per_node = spec.nproc_per_node
    job.overwrite_output_dir = False
    job.save(os.path.join(out_dir, JOB_CONFIG))
    written.append(JOB_CONFIG)

    name = job_name(config, spec)
    texts = {node_script_name(n): node_script(spec, n) for n in range(spec.nnodes)}
    texts[SLURM_SCRIPT] = slurm_script(spec, name)
    texts[KUBERNETES_MANIFEST] = kubernetes_manifest(spec, name)
    texts[README] = readme(job, spec, name)
    for file_name, text in texts.items():
        path = os.path.join(out_dir, file_name)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if file_name.endswith((".sh", ".sbatch")):
            os.chmod(path, 0o755)
        written.append(file_name)
    return written


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _shell_words(command: list[str]) -> str:
    """The launcher's command line with the installation's own paths as variables."""
    engine = engine_command()
    out = []
    for word in command:
        if word == engine[0]:
            out.append('"$LORA_STUDIO"' if getattr(sys, "frozen", False) else '"$PYTHON"')
        elif len(engine) > 1 and word == engine[1]:
            out.append('"$LORA_STUDIO_MAIN"')
        elif word == "@MASTER@":
            out.append('"$MASTER"')
        else:
            out.append(shlex.quote(word))
    return " ".join(out)


def _engine_variables(engine: list[str]) -> str:
    if getattr(sys, "frozen", False):
        return f'LORA_STUDIO="${{LORA_STUDIO:-{engine[0]}}}"  # the LoRA Studio executable'
    return f'PYTHON="${{PYTHON:-{engine[0]}}}"  # with LoRA Studio\'s requirements installed'


def node_script(spec: JobSpec, node: int) -> str:
    train = commands.train_config_args(JOB_CONFIG)
    log_dir = f"{RUN_DIR}/{runs.LOGS}" + (f"/node-{node}" if spec.nnodes > 1 else "")
    launch = commands.launch(
        spec.nproc_per_node,
        log_dir,
        train,
        nnodes=spec.nnodes,
        master="@MASTER@",
        node_rank=node,
    )
    engine = engine_command()
    master = spec.master or f"node0.example.com:{DEFAULT_PORT}"
    return f"""#!/bin/sh
# Node {node} of {spec.nnodes}: {spec.nproc_per_node} training process(es) of this LoRA Studio job.
# Run it on node {node}, from any folder; the job folder must be at the same path on every node.
# Each variable below can be set in the environment instead.
set -eu
cd "$(dirname "$0")"
{_engine_variables(engine)}
LORA_STUDIO_MAIN="${{LORA_STUDIO_MAIN:-{engine[-1]}}}"  # LoRA Studio's main.py
MASTER="${{MASTER:-{master}}}"  # node 0's address and a free port
# A job that ran before continues from its last complete checkpoint; otherwise it starts anew.
if ls {RUN_DIR}/{runs.CHECKPOINTS}/*/{runs.CHECKPOINT_MARKER} >/dev/null 2>&1; then
    AGAIN=--resume
else
    AGAIN=--overwrite_output_dir
fi
status=0
{_shell_words(launch)} "$AGAIN" || status=$?
# the launcher copies the whole environment (access tokens too) into its log folder: not kept
rm -f {log_dir}/backup_env.*.json {log_dir}/envlog.*
exit "$status"
"""


def slurm_script(spec: JobSpec, name: str) -> str:
    port = spec.master.rsplit(":", 1)[-1] if spec.master else str(DEFAULT_PORT)
    return f"""#!/bin/bash
# Slurm: sbatch {SLURM_SCRIPT} from the job folder (on storage every node mounts).
#SBATCH --job-name={name}
#SBATCH --nodes={spec.nnodes}
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node={spec.nproc_per_node}
#SBATCH --output=slurm-%j.out
set -euo pipefail
cd "${{SLURM_SUBMIT_DIR:-$(dirname "$0")}}"
MASTER="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1):${{MASTER_PORT:-{port}}}"
export MASTER
# one task per node, each running that node's launch script
srun --kill-on-bad-exit=1 sh -c 'exec sh "launch-node-$SLURM_NODEID.sh"'
"""


def kubernetes_manifest(spec: JobSpec, name: str) -> str:
    port = spec.master.rsplit(":", 1)[-1] if spec.master else str(DEFAULT_PORT)
    return f"""# Kubernetes: kubectl apply -f {KUBERNETES_MANIFEST}
# An indexed Job ({spec.nnodes} pod(s), pod N runs launch-node-N.sh) and the headless Service
# through which the pods find pod 0. The job folder must be on the volume claim {name}-job
# (ReadWriteMany when there are several nodes), copied there before the Job starts.
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  clusterIP: None
  selector:
    job-name: {name}
  ports:
    - name: master
      port: {port}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
  completionMode: Indexed
  completions: {spec.nnodes}
  parallelism: {spec.nnodes}
  backoffLimit: 0
  template:
    metadata:
      labels:
        job-name: {name}
    spec:
      subdomain: {name}
      restartPolicy: Never
      containers:
        - name: trainer
          image: {spec.image}
          workingDir: /job
          command: ["sh", "-c", "exec sh launch-node-$JOB_COMPLETION_INDEX.sh"]
          env:
            - name: MASTER
              value: "{name}-0.{name}:{port}"
            - name: PYTHON
              value: python3
            - name: LORA_STUDIO_MAIN
              value: /opt/lora-studio/main.py
          resources:
            limits:
              nvidia.com/gpu: {spec.nproc_per_node}
          volumeMounts:
            - name: job
              mountPath: /job
            - name: shm
              mountPath: /dev/shm
      volumes:
        - name: job
          persistentVolumeClaim:
            claimName: {name}-job
        - name: shm
          emptyDir:
            medium: Memory
"""


def readme(job: RunConfig, spec: JobSpec, name: str) -> str:
    world = spec.nnodes * spec.nproc_per_node
    batch = job.per_device_train_batch_size * job.gradient_accumulation_steps * world
    nodes = "\n".join(
        f"- `{node_script_name(n)}`: node {n}"
        + (" (holds rank 0, which writes the run)" if n == 0 else "")
        for n in range(spec.nnodes)
    )
    model = (
        " (copied from the machine that exported the job)"
        if job.model_name_or_path == MODEL_DIR
        else " (a hub name: rank 0 downloads it; better copy the model here)"
    )
    master = spec.master or f"node0.example.com:{DEFAULT_PORT}"
    return f"""# LoRA Studio cluster job `{name}`

{spec.nnodes} node(s) x {spec.nproc_per_node} process(es) (one per GPU) = {world} processes,
data-parallel. Effective batch: {job.per_device_train_batch_size} per device x
{job.gradient_accumulation_steps} accumulation x {world} = {batch} sequences per optimiser step.

## What is here

- `{JOB_CONFIG}`: the run's settings; paths are relative to this folder.
- `{job.dataset_path}`: the training data.
- `{job.model_name_or_path}`: the base model{model}.
{nodes}
- `{SLURM_SCRIPT}`: Slurm batch script (`sbatch {SLURM_SCRIPT}`).
- `{KUBERNETES_MANIFEST}`: Kubernetes indexed Job and headless Service
  (`kubectl apply -f {KUBERNETES_MANIFEST}`).

The run is written to `{RUN_DIR}/` (events, checkpoints, adapter); each node's process logs to
`{RUN_DIR}/{runs.LOGS}/`. Started again, the job resumes from its last complete checkpoint. Open
`{RUN_DIR}/` in LoRA Studio (Runs, Open run folder) to follow or chat with the result.

## What every node needs

- **Shared storage**: this folder at the same path on every node, writable (NFS, a parallel
  file system, a ReadWriteMany volume). Rank 0 writes the run; every rank reads checkpoints.
- **The software**: Python 3.10-3.12 with LoRA Studio's `requirements.txt`, the CUDA build of
  PaddlePaddle 3.3 (`paddlepaddle-gpu`, from Paddle's own package index) and an NVIDIA driver
  recent enough for its CUDA version; LoRA Studio's source folder. The node scripts find them
  through `PYTHON` and `LORA_STUDIO_MAIN` (defaults: the paths on the machine that exported
  the job); the Kubernetes manifest sets `PYTHON=python3` and
  `LORA_STUDIO_MAIN=/opt/lora-studio/main.py` for an image (`{spec.image}`, change it) built
  that way.
- **The network**: node 0 reachable on the port of `MASTER` (`{master}`), and the nodes
  able to reach one another for NCCL (or gloo on CPU).

## Running it by hand

On each node N, at the same time: `MASTER=node0-host:{DEFAULT_PORT} sh launch-node-N.sh`.
One failed process ends the whole job within seconds; start it again to resume.
"""
