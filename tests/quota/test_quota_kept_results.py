"""The engine answers a snapshot alike to one it evaluated before with the same result
(`engine.evaluate_with` keeps the shipped packs' results by what they read): the answer must
be exactly what a fresh evaluation gives, and anything the assessment reads must tell two
snapshots apart."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from datetime import date

import pytest

from compliance.quota import InputError, default_registry, evaluate
from compliance.quota.model import counting_once, kinds_of
from tests.quota.builders import TODAY, person, snapshot


def _fresh(value):
    # Another registry with the same packs is never kept: a real evaluation.
    return evaluate(value, today=TODAY, registry=default_registry().with_packs())


def test_a_kept_result_is_the_fresh_result():
    people = tuple(person("physical", ref=str(n)) for n in range(3))
    value = snapshot(permanent=250, disabled=people, region="34.02")
    first = evaluate(value, today=TODAY)
    again = evaluate(value, today=TODAY)
    assert again is first
    assert first == _fresh(value)


def test_people_alike_but_for_their_references_give_the_same_result():
    one = snapshot(permanent=250, disabled=(person("physical", ref="1"),))
    other = snapshot(permanent=250, disabled=(person("physical", ref="99"),))
    assert evaluate(one, today=TODAY) == evaluate(other, today=TODAY)


def test_everything_the_assessment_reads_tells_snapshots_apart():
    base = snapshot(permanent=250, disabled=(person("physical"),))
    variants = [
        snapshot(permanent=251, disabled=(person("physical"),)),
        snapshot(permanent=250, disabled=(person("physical"), person("mental"))),
        snapshot(permanent=250, disabled=(person("physical", is_verified=False),)),
        snapshot(permanent=250, disabled=(person("physical", evidence="self_declaration"),)),
        snapshot("soe", permanent=250, disabled=(person("physical"),)),
        snapshot(permanent=250, disabled=(person("physical"),), region="34.02"),
        replace(base, as_of=date(2025, 7, 31)),
    ]
    kept = evaluate(base, today=TODAY)
    for variant in variants:
        assert evaluate(variant, today=TODAY) == _fresh(variant)
        assert evaluate(variant, today=TODAY) != kept
    later = date(2030, 1, 1)  # a pack can go stale: `today` is read
    fresh_later = evaluate(base, today=later, registry=default_registry().with_packs())
    assert evaluate(base, today=later) == fresh_later


def test_counting_once_counts_the_same_people_once_within_its_block_only():
    people = (person("physical", ref="1"), person("mental", ref="2"), person("physical", ref="3"))
    with counting_once():
        first = snapshot(permanent=250, disabled=people)
        second = snapshot(permanent=260, as_of=date(2025, 7, 31), disabled=people)
        assert second.kinds is first.kinds  # one count for the same tuple
        other = snapshot(permanent=250, disabled=people[:2])
        assert other.kinds is not first.kinds
    after = snapshot(permanent=250, disabled=people)
    assert after.kinds is not first.kinds  # nothing kept once the block ended
    assert after.kinds == first.kinds
    assert sorted(first.kinds.values()) == [1, 2]
    assert kinds_of(list(people)) == first.kinds


def test_a_roster_entry_that_is_not_a_person_is_refused_counted_once_or_not():
    stray = (person("physical", ref="1"), {"categories": ["physical"]})
    for block in (nullcontext, counting_once):
        with block(), pytest.raises(InputError) as raised:
            snapshot(permanent=250, disabled=stray)
        assert raised.value.field == "disabled_employees[1]"
    people = (person("physical", ref="1"),)
    with counting_once():  # a tuple checked once is not taken for another with the same id
        assert snapshot(permanent=250, disabled=people).kinds
        with pytest.raises(InputError):
            snapshot(permanent=250, disabled=(*people, "2"))
