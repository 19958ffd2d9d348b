"""One task slot per view (gui/jobs/slot.py), with real engine jobs: child processes that wait
until told to stop, so that a switch happens while the first one still runs."""

from __future__ import annotations

import sys

import pytest

from lora_studio.gui.jobs.slot import TaskSlot
from lora_studio.gui.jobs.worker import EngineJob

pytestmark = pytest.mark.usefixtures("no_leaks")

# Prints its name, then waits for a "stop" line on stdin (how the worker asks) and says goodbye.
WAITER = (
    "import json, sys\n"
    "name = sys.argv[1]\n"
    "print(json.dumps({'type': 'log', 'message': 'up ' + name}), flush=True)\n"
    "for line in sys.stdin:\n"
    "    if 'stop' in line: break\n"
    "print(json.dumps({'type': 'finished', 'status': 'stopped'}), flush=True)\n"
)


def waiter(name: str) -> EngineJob:
    return EngineJob([sys.executable, "-c", WAITER, name], stop_grace=10.0, terminate_grace=5.0)


def test_a_new_task_waits_for_the_running_one_to_end(qtbot):
    slot = TaskSlot()
    started, ended, busy = [], [], []
    slot.started.connect(lambda task: started.append(task))
    slot.busy_changed.connect(busy.append)
    first, second, third = waiter("1"), waiter("2"), waiter("3")
    slot.run(first, lambda outcome: ended.append(("first", outcome.status)))
    assert slot.task is first and slot.busy and not slot.switching
    slot.run(second, lambda outcome: ended.append(("second", outcome.status)))
    slot.run(third, lambda outcome: ended.append(("third", outcome.status)))  # replaces second
    assert slot.switching and slot.task is first
    qtbot.waitUntil(lambda: slot.task is third and third.running, timeout=20_000)
    assert started == [first, third]  # second was replaced before it ever started
    assert [name for name, _ in ended] == ["first"]
    slot.stop()
    qtbot.waitUntil(lambda: not slot.busy, timeout=20_000)
    assert [name for name, _ in ended] == ["first", "third"]
    assert busy == [True, False]  # busy once, through the whole switch


def test_stop_drops_a_waiting_task(qtbot):
    slot = TaskSlot()
    started = []
    slot.started.connect(started.append)
    first = waiter("1")
    slot.run(first)
    slot.run(waiter("2"))
    slot.stop()
    qtbot.waitUntil(lambda: not slot.busy, timeout=20_000)
    assert started == [first]
