"""``main.py job export RUN_CONFIG OUT_DIR``: a run as a cluster job (core/cluster_job.py)."""

from __future__ import annotations

import argparse
import os
import sys

from lora_studio.cli_models import AddCommand, usage_error
from lora_studio.core import cluster_job
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig


def cmd_job_export(args: argparse.Namespace) -> int:
    source = args.config
    if os.path.isdir(source):
        source = os.path.join(source, CONFIG_FILE_NAME)
    try:
        config = RunConfig.load(source)
    except ConfigError as exc:
        usage_error(args.prog, str(exc))
    spec = cluster_job.JobSpec(
        nnodes=args.nnodes,
        nproc_per_node=args.nproc_per_node,
        master=args.master or "",
        image=args.image,
        name=args.name or "",
    )
    try:
        written = cluster_job.write_job(
            config, args.out_dir, spec, lambda line: sys.stdout.write(f"  {line}\n")
        )
    except cluster_job.JobError as exc:
        usage_error(args.prog, str(exc))
    except OSError as exc:
        sys.stderr.write(f"{args.prog}: error: cannot write the job: {exc}\n")
        return 1
    sys.stdout.write(f"job written to {os.path.abspath(args.out_dir)}:\n")
    for name in written:
        sys.stdout.write(f"  {name}\n")
    sys.stdout.write(f"see {os.path.join(args.out_dir, cluster_job.README)} for how to run it\n")
    return 0


def add_job_command(add: AddCommand, parser_class: type) -> None:
    p = add("job", lambda _args: 2, "make a run ready for a cluster (Slurm, Kubernetes, by hand)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)
    actions.required = True
    q = actions.add_parser(
        "export",
        help="write a self-contained job folder: config, dataset, model, launch scripts",
    )
    q.add_argument("config", metavar="RUN_CONFIG", help="a run_config.json, or a run folder")
    q.add_argument("out_dir", metavar="OUT_DIR", help="a new, empty folder for the job")
    q.add_argument("--nnodes", type=int, default=1, help="machines (1)")
    q.add_argument("--nproc_per_node", type=int, default=1, help="processes (GPUs) per machine")
    q.add_argument("--master", help="node 0's HOST:PORT (the scripts also take $MASTER)")
    q.add_argument("--image", default=cluster_job.DEFAULT_IMAGE, help="container image (k8s)")
    q.add_argument("--name", help="the job's name (default: from the run folder's name)")
    q.set_defaults(func=cmd_job_export, prog=f"{p.prog} export")
