"""The review sampler: suggestions split into heading and example, and the sample is repeatable."""

from __future__ import annotations

import pytest
from support.annomi import load_benchmark

from simulator.scoring.text import feedback_texts

review = load_benchmark("review_sample")


@pytest.mark.parametrize("language", ["en", "fi", "nl"])
def test_every_suggestion_with_an_example_splits(language: str) -> None:
    """Each suggestion template that carries an example yields its heading and the example."""
    for key, template in feedback_texts(language)["suggestions"].items():
        if "{" not in template:
            continue
        text = template.format(reflection="Ex ample", open_question="Ex ample",
                               deflection="Ex ample")
        parts = review.split_suggestion(text)
        assert parts is not None, key
        heading, example = parts
        assert example == "Ex ample", key
        assert heading and not heading.endswith(("Try", "Kokeile", "Probeer", ":")), key


def test_the_sample_is_seeded() -> None:
    """The same items and seed draw the same sample; another seed draws another."""
    items = [review.Item("p", f"line {i}", "good", "r", "h", f"ex {i}") for i in range(100)]
    first = review.sample(items, 60, 10)
    assert first == review.sample(list(reversed(items)), 60, 10)
    assert first != review.sample(items, 60, 11)
    assert len(set(first)) == 60
