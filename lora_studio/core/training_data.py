"""What ``train`` reads: a dataset through the one reader (``formats.read_dataset``), refused
when ``dataset check`` would call anything in it a problem; warnings are said, not refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from lora_studio.core import checks
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.formats import ReadResult, read_dataset
from lora_studio.core.messages import Text, say
from lora_studio.core.records import Record


@dataclass
class TrainingData:
    records: list[Record]
    notes: list[str]  # records left out on purpose (KTO), placeholders: said, not refused


def read_for_training(path: str, encoding: str = "") -> TrainingData:
    """The records ``train`` uses; DatasetError naming the first place that ``dataset check``
    reports as a problem (warnings, such as duplicates, do not stop a run)."""
    result = read_dataset(path, encoding=encoding)
    refusals = training_refusals(result)
    if refusals:
        where, first = refusals[0]
        problem: Text | str = first
        if len(refusals) > 1:
            problem = say(
                "{problem} (and {more} more; 'dataset check' lists them all)",
                problem=first,
                more=len(refusals) - 1,
            )
        raise DatasetError(path, problem, where)
    return TrainingData(result.records, result.notes + training_warnings(result))


def load_records(path: str | os.PathLike[str]) -> list[Record]:
    """What ``train`` reads (``read_for_training``), as a list of records."""
    return read_for_training(os.fspath(path)).records


def training_refusals(result: ReadResult) -> list[tuple[str, str]]:
    """(where, problem) of everything ``train`` refuses in a file: each record that could not
    be imported, and each problem of an ERROR_KINDS kind; the file's own numbers."""
    out = [(p.location, p.message) for p in result.problems]
    for problem in checks.check_records(result.records, where=result.where):
        if problem.kind in checks.ERROR_KINDS:
            out.append((result.where(problem.row), problem.message))
    return out


def training_warnings(result: ReadResult) -> list[str]:
    """What ``train`` says about a file it accepts, once per kind (placeholders)."""
    with_placeholders = [i for i, r in enumerate(result.records) if checks.placeholders(r)]
    if not with_placeholders:
        return []
    names = sorted({n for i in with_placeholders for n in checks.placeholders(result.records[i])})
    return [
        f"{len(with_placeholders)} record(s) hold template placeholders such as "
        f"{{{{{names[0]}}}}} (first at {result.where(with_placeholders[0])}): the model will "
        "learn them literally. Fill them in in the Dataset editor (Fill placeholders)."
    ]


def append_record(path: str, record: Record) -> int:
    """Add a record at the end of a JSON dataset file (a new file when there is none), read
    and written whole, atomically; returns its record number. Raises DatasetError for a file
    that cannot be read, OSError for one that cannot be written."""
    from lora_studio.core.formats import write_dataset

    records = load_records(path) if os.path.isfile(path) else []
    write_dataset([*records, record], path, "json")
    return len(records) + 1
