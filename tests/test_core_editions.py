"""core/editions: the driver each edition needs, and which download a machine should take.

No NVIDIA GPU can exist on this machine: the GPU cases are stand-in NVML readings (the numbers
a real driver reports), and the bundle's edition file is written into a stand-in resources
folder, as scripts/build_dist writes it into the bundle."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import editions
from lora_studio.core.editions import EDITIONS, advice, best_edition, driver_runs, edition_for_build

CPU, CU126, CU118 = EDITIONS["cpu"], EDITIONS["cuda126"], EDITIONS["cuda118"]
URL = "https://example.invalid/releases/latest"


def texts(lines):
    return [(ok, str(text)) for ok, text in lines]


def test_the_table_names_every_nvidia_edition_with_both_platforms():
    for edition in EDITIONS.values():
        if edition.nvidia:
            linux, windows = editions.MINIMUM_DRIVER[edition.cuda]
            assert editions.version_tuple(linux) and editions.version_tuple(windows)
            assert edition.paddle_index.endswith(f"/cu{edition.cuda[0]}{edition.cuda[1]}/")
    assert editions.minimum_driver((12, 6), "linux") == "560.28.03"
    assert editions.minimum_driver((12, 6), "win32") == "560.76"
    assert editions.minimum_driver((11, 8), "win32") == "520.06"
    # the newest CUDA first: a machine gets the newest edition its driver runs
    assert [e.key for e in editions.NVIDIA_EDITIONS] == ["cuda126", "cuda118"]


@pytest.mark.parametrize(
    ("driver", "cuda_driver", "platform", "expected"),
    [
        ("560.35.03", "12.6", "linux", "cuda126"),  # new driver
        ("566.36", "12.7", "win32", "cuda126"),
        ("535.183.01", "12.2", "linux", "cuda118"),  # runs 11.8, not 12.6
        ("531.14", "", "win32", "cuda118"),  # no CUDA version from NVML: the driver table
        ("561.09", "", "win32", "cuda126"),
        ("470.256.02", "11.4", "linux", None),  # old driver: runs no edition
        ("", "", "linux", None),
    ],
)
def test_the_edition_a_driver_runs(driver, cuda_driver, platform, expected):
    best = best_edition(1, driver, cuda_driver, platform)
    assert (best.key if best else None) == expected
    assert best_edition(0, driver, cuda_driver, platform) == CPU  # no GPU: the CPU edition


def test_no_gpu_with_the_cpu_edition_says_nothing():
    assert advice(CPU, 0, url=URL) == []


def test_no_gpu_with_an_nvidia_edition_points_to_the_smaller_download():
    [(ok, text)] = texts(advice(CU126, 0, url=URL))
    assert not ok and "No NVIDIA GPU" in text and URL in text


def test_a_new_driver_runs_the_nvidia_edition():
    [(ok, text)] = texts(advice(CU126, 1, "560.35.03", "12.6", "linux", url=URL))
    assert ok and "560.35.03 runs this edition" in text and "560.28.03" in text


def test_an_old_driver_is_told_the_version_it_needs_and_the_edition_it_runs():
    lines = texts(advice(CU126, 1, "531.14", "12.1", "win32", url=URL))
    assert [ok for ok, _ in lines] == [False, False]
    assert "531.14 is too old" in lines[0][1] and "560.76 or newer" in lines[0][1]
    assert "NVIDIA CUDA 11.8 edition" in lines[1][1] and URL in lines[1][1]
    # a driver too old for every edition: update it, nothing else to take
    [(ok, text)] = texts(advice(CU118, 1, "470.256.02", "11.4", "linux", url=URL))
    assert not ok and "520.61.05" in text and "Or take" not in text


def test_the_cpu_edition_on_a_gpu_machine_names_the_nvidia_edition():
    [(ok, text)] = texts(advice(CPU, 1, "560.35.03", "12.6", "linux", url=URL))
    assert not ok and "CPU edition" in text and "NVIDIA CUDA 12.6" in text and URL in text
    [(ok, text)] = texts(advice(CPU, 2, "470.256.02", "11.4", "linux", url=""))
    assert "update the driver first" in text and "520.61.05" in text
    [(ok, text)] = texts(advice(CPU, 1, "535.183.01", "12.2", "linux", url=""))
    assert "NVIDIA CUDA 11.8" in text and "download page" in text  # no URL known: in words


def test_the_bundle_says_its_edition_and_where_it_came_from(tmp_path, monkeypatch):
    monkeypatch.setattr(editions, "resource_path", lambda *parts: str(tmp_path.joinpath(*parts)))
    assert editions.bundled_edition() is None and editions.downloads_url() == ""
    assert editions.installed_edition("12.6") == CU126  # from source: the Paddle build
    assert editions.installed_edition("") == CPU
    (tmp_path / editions.EDITION_FILE).write_text(editions.edition_file_text("cuda118", URL))
    assert editions.bundled_edition() == CU118 and editions.downloads_url() == URL
    assert editions.installed_edition("") == CU118
    for broken in ("", "{", "[]", '{"edition": 3, "downloads": "http://plain"}'):
        (tmp_path / editions.EDITION_FILE).write_text(broken)
        assert editions.bundled_edition() is None and editions.downloads_url() == ""
    with pytest.raises(ValueError, match="unknown edition"):
        editions.edition_file_text("cuda999")
    assert json.loads(editions.edition_file_text("cpu")) == {"edition": "cpu", "downloads": ""}


def test_builds_map_to_editions():
    assert edition_for_build("") == CPU
    assert edition_for_build("12.6") == CU126 and edition_for_build("11.8") == CU118
    assert edition_for_build("12.9") == CU126  # newer than any edition: the nearest below
    assert edition_for_build("10.2") == CU118


@given(st.text(max_size=20), st.text(max_size=8), st.sampled_from(["linux", "win32"]))
def test_any_driver_text_gives_an_answer_not_a_traceback(driver, cuda_driver, platform):
    for edition in EDITIONS.values():
        for gpus in (0, 1):
            for _ok, text in advice(edition, gpus, driver, cuda_driver, platform, url=""):
                assert str(text)
    assert isinstance(driver_runs((12, 6), driver, cuda_driver, platform), bool)
