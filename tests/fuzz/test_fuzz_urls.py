"""Every page's URL parameters, fuzzed: each page state's, and a talk's scene list.

A URL gives a state that writes itself back to the same URL with no complaint, plus one short message per
parameter it refused; unknown parameters change nothing, and nothing raises.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import cases
from .cases import fuzz_settings

STATES = cases.page_states()


def test_every_page_state_is_found():
    names = {cls.__name__ for cls in STATES}
    assert {"KLState", "NormsState", "TrainState", "TradeoffState", "ExplorerState", "FrontierState",
            "SuperpositionState", "AutoencodersState", "KLLossState"} <= names


@pytest.mark.parametrize("cls", STATES, ids=lambda c: c.__name__)
@fuzz_settings(650)
@given(data=st.data())
def test_page_state_urls(cls, data):
    query = data.draw(cases.url_queries(cls))
    problems = cases.check_state(cls, query)
    cases.TALLY.record(f"url:{cls.__name__}", problems)


@fuzz_settings(700)
@given(cases.talk_texts())
def test_talk_urls(text):
    problems = cases.check_talk(text)
    cases.TALLY.record("url:talk", problems)
