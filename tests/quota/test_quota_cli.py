"""`python -m compliance.quota`: a few real subprocess runs, the rest through `main()` in-process.

Each subprocess pays for importing the `compliance` package (Flask included), so only the
behaviours that need a real process (exit status, stdout/stderr streams) run as one.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from compliance.quota.__main__ import main

ROOT = Path(__file__).parents[2]
SNAPSHOT = {
    "as_of": "2025-06-30",
    "sector": "private",
    "region": "34.02",
    "headcount": {"permanent": 80},
}
PERIOD = {
    "sector": "private",
    "snapshots": [
        {"as_of": "2025-01-31", "headcount": {"permanent": 250}},
        {"as_of": "2025-02-28", "headcount": {"permanent": 150}},
    ],
}


def run(document: Any, *args: str) -> subprocess.CompletedProcess[str]:
    text = document if isinstance(document, str) else json.dumps(document)
    return subprocess.run(
        [sys.executable, "-m", "compliance.quota", "--today", "2026-11-23", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def call(
    document: Any, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    text = document if isinstance(document, str) else json.dumps(document)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    status = main(["--today", "2026-11-23", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_subprocess_snapshot_prints_json() -> None:
    done = run(SNAPSHOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["required"] == 1
    assert result["status"] == "shortfall"
    assert result["overlays"][0]["status"] == "no_obligation"
    assert result["comparisons"][0]["required"] == 0


def test_subprocess_bad_input_exits_non_zero_naming_the_field() -> None:
    done = run({**SNAPSHOT, "headcount": {"permanent": -3}})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == "error: headcount.permanent: must not be negative, got -3"


def test_subprocess_explain_period() -> None:
    done = run(PERIOD, "--explain", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "2025-01-31: shortfall, required 3, counted 0" in done.stdout
    assert "Period result = average of 2 monthly results" in done.stdout


def test_explain_in_each_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = call(
        SNAPSHOT, "--explain", "--lang", "en", monkeypatch=monkeypatch, capsys=capsys
    )
    assert status == 0
    assert "0.8 rounded up: 1 required." in out
    assert "product default, not in the law" in out
    assert "does not apply to this employer" in out
    _, out, _ = call(SNAPSHOT, "--explain", monkeypatch=monkeypatch, capsys=capsys)
    assert "0,8 dibulatkan ke atas: wajib 1 orang." in out
    _, out, _ = call(
        SNAPSHOT, "--explain", "--lang", "both", monkeypatch=monkeypatch, capsys=capsys
    )
    assert "dibulatkan ke atas" in out
    assert "rounded up" in out


def test_period_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(PERIOD, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0
    result = json.loads(out)
    assert result["required"] == "2.5"
    assert [m["required"] for m in result["months"]] == [3, 2]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{oops", "error: json: malformed JSON at line 1"),
        ({**SNAPSHOT, "as_of": "1990-01-01"}, "as_of: 1990-01-01 is before the first rule pack"),
        ({**SNAPSHOT, "sector": "ngo"}, "error: sector: unknown value 'ngo'"),
        (
            {
                **SNAPSHOT,
                "disabled_employees": [
                    {"categories": ["physical"], "evidence": "kpd", "employment_type": "daily"}
                ],
            },
            "error: disabled_employees: 1 disabled employees of type 'daily' but only 0",
        ),
    ],
)
def test_bad_input(
    document: Any,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = call(document, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 2
    assert out == ""
    assert message in err


def test_stale_pack_age_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = call(SNAPSHOT, "--max-pack-age-days", "0", monkeypatch=monkeypatch, capsys=capsys)
    assert json.loads(out)["is_stale"] is False  # verified on --today itself
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(SNAPSHOT)))
    main(["--today", "2030-01-01"])
    assert json.loads(capsys.readouterr().out)["is_stale"] is True


def test_easy_read(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call("", "--easy-read", monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0
    content = json.loads(out)
    assert content["pack_id"] == "id-uu8-2016"
    assert content["sections"][0]["code"] == "who"
