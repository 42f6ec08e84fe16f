"""`deep_copy`: what `model_copy(deep=True)` gives, with nothing shared with the original."""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.report.render import load_report
from pipeline.schemas import Item
from pipeline.schemas.copying import deep_copy
from tests.conftest import CASSETTES


def _models(value):
    """Every model, list and dict inside `value`."""
    if isinstance(value, (list, dict)) or hasattr(value, "__dict__"):
        yield value
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else vars(value).values()
        for child in children:
            yield from _models(child)


def test_a_deep_copy_of_every_recorded_report_equals_the_model_copy_and_shares_nothing():
    for path in sorted(CASSETTES.glob("*.report.json")):
        report = load_report(path)
        copied, expected = deep_copy(report), report.model_copy(deep=True)
        assert copied == expected == report
        assert copied.model_dump_json() == expected.model_dump_json()
        assert copied.model_fields_set == expected.model_fields_set
        original = {id(v) for v in _models(report)}
        assert not original & {id(v) for v in _models(copied)}


class Two(BaseModel):
    first: list[Item]
    second: list[Item]


def test_an_object_met_twice_is_copied_once_as_deepcopy_does():
    item = Item(text="Their offer is EUR 1.2m")
    two = Two(first=[item], second=[item])
    copied = deep_copy(two)
    assert copied.first[0] is copied.second[0] and copied.first[0] is not item
    copied.first[0].text = "changed"
    assert item.text == "Their offer is EUR 1.2m" and two.second[0].text == item.text
