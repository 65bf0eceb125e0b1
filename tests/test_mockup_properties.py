"""Property-based: for any valid question spec the false data respects type, range,
exclusivity and relevance, and every number the sentence states is in the chart."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from factories import make_country, make_question
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_mockup_agreement import chart_text, shown, stated_numbers

from generator import expressions
from generator.mockup import FalseAssessment, build_mockup
from generator.mockup.sentence import PLACEHOLDERS, allowed_placeholders
from generator.mockup.spec import spec_problems
from generator.models import Question

COUNTRY = make_country()
SETTINGS = settings(max_examples=int(os.environ.get("MOCKUP_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SPECIAL = ["Do not know", "Other (specify)", "None of these", "Prefer not to answer"]


@st.composite
def option_specs(draw: st.DrawFn, qtype: str) -> dict[str, Any]:
    k = draw(st.integers(2, 25))
    labels = [f"Answer {i}" for i in range(k)]
    specials = draw(st.lists(st.sampled_from(SPECIAL), unique=True, max_size=3))
    labels = labels[: max(2, k - len(specials))] + specials
    options = [{"code": f"o{i}", "label": label,
                "exclusive": label in ("Do not know", "None of these", "Prefer not to answer")
                and qtype == "select_multiple"}
               for i, label in enumerate(labels)]
    spec: dict[str, Any] = {"ordered": draw(st.booleans())}
    codes = [o["code"] for o in options]
    chosen = draw(st.lists(st.sampled_from(codes), unique=True, max_size=3))
    budget = 100.0
    shares = {}
    for code in chosen:
        value = draw(st.floats(0, budget if qtype == "select_one" else 100))
        shares[code] = round(value, 1)
        if qtype == "select_one":
            budget = max(budget - shares[code], 0.0)
    spec["shares"] = shares
    if draw(st.booleans()):
        spec["expected_share"] = draw(st.floats(0, 100))
    spec["rare"] = draw(st.none() | st.booleans())
    extra: dict[str, Any] = {}
    if qtype == "select_multiple" and draw(st.booleans()):
        extra["max_choices"] = draw(st.integers(1, 4))
    return {"options": options, "spec": spec, **extra}


@st.composite
def number_specs(draw: st.DrawFn, qtype: str) -> dict[str, Any]:
    integer = qtype == "integer"
    value = st.integers(-50, 5000) if integer else st.floats(-50, 5000, allow_nan=False)
    low = draw(st.none() | value)
    high = draw(st.none() | value)
    if low is not None and high is not None and low > high:
        low, high = high, low
    out: dict[str, Any] = {"min": low, "max": high, "spec": {}}
    if draw(st.booleans()):
        out["special_codes"] = [{"code": -999, "label": "Do not know"}]
    if draw(st.booleans()):
        a_hi = high if high is not None else (low if low is not None else 0) + 1000
        a_lo = low if low is not None else a_hi - 1010
        a = draw(st.floats(a_lo, a_hi))
        b = draw(st.floats(a, a_hi))
        out["spec"]["typical"] = {"min": a, "max": b}
    if draw(st.booleans()):
        out["spec"]["expected_share"] = draw(st.floats(0, 100))
    return out


@st.composite
def questions(draw: st.DrawFn) -> tuple[Question, Question | None]:
    qtype = draw(st.sampled_from(["select_one", "select_multiple", "yes_no", "integer",
                                  "decimal", "date", "text"]))
    fields: dict[str, Any]
    if qtype in ("select_one", "select_multiple"):
        fields = draw(option_specs(qtype))
        options = fields.pop("options")
    elif qtype in ("integer", "decimal"):
        fields = draw(number_specs(qtype))
        options = []
    else:
        fields = {"spec": {"expected_share": draw(st.floats(0, 100))}} \
            if qtype == "yes_no" and draw(st.booleans()) else {}
        options = []
    disaggregation = draw(st.sampled_from([[], ["admin1"], ["population_group"],
                                           ["key_informant_type"]]))
    chart = draw(st.sampled_from(["bar", "stacked-bar", "table"]))
    names = allowed_placeholders(make_question(qtype=qtype, disaggregation=disaggregation))
    sentence = " ".join(f"{{{n}}}" for n in names)
    parent = None
    if draw(st.booleans()):
        parent = make_question("parent-q", "select_multiple" if draw(st.booleans())
                               else "select_one")
        code = draw(st.sampled_from([f"opt_{i}" for i in range(5)]))
        fields["relevant"] = (f"selected(${{parent_q}}, '{code}')"
                              if parent.type == "select_multiple"
                              else f"${{parent_q}} = '{code}'")
    q = make_question("child-q", qtype, chart=chart, disaggregation=disaggregation,
                      sentence=sentence, **fields)
    # make_question gives labels only: rebuild the options with codes and exclusive flags.
    if options:
        q = Question.model_validate({**q.model_dump(), "options": options})
    return q, parent


@SETTINGS
@given(questions())
def test_false_data_respects_the_spec(pair: tuple[Question, Question | None]) -> None:
    q, parent = pair
    assert spec_problems(q) == []
    qs = {x.id: x for x in (q, parent) if x is not None}
    assessment = FalseAssessment(COUNTRY, qs)
    a = assessment.answers(q)
    n = assessment.units.n
    # Relevance: asked exactly where the rule holds on the parent's false answers.
    if parent is not None:
        expr = expressions.parse(q.relevant or "")
        values = assessment.answers(parent).odk()
        expected = np.array([bool(expressions.evaluate(expr, {"parent_q": v})) for v in values])
        assert (a.asked == expected).all()
    else:
        assert a.asked.all() and a.n == n
    asked = a.asked
    if q.type in ("select_one", "yes_no"):
        assert ((a.choice >= 0) == asked).all()
        assert (a.choice < len(a.spec.labels)).all()
    elif q.type == "select_multiple":
        picks = a.chosen[asked]
        assert (picks.sum(axis=1) >= 1).all()  # every asked unit answered
        assert not a.chosen[~asked].any()
        exclusive = np.array(a.spec.exclusive)
        alone = picks[:, exclusive].any(axis=1)
        assert (picks[alone].sum(axis=1) == 1).all()  # exclusive options never combined
        if q.max_choices:
            assert (picks[:, ~exclusive].sum(axis=1) <= q.max_choices).all()
    elif q.type in ("integer", "decimal"):
        x = a.value[asked]
        assert np.isnan(a.value[~asked]).all() and not np.isnan(x).any()
        x = x[~np.isin(x, [c.code for c in q.special_codes])]
        low = q.min if q.min is not None else min(0.0, q.max if q.max is not None else 0.0)
        assert (x >= low - 1e-9).all()
        if q.max is not None:
            assert (x <= q.max + 1e-9).all()
        if q.type == "integer":
            assert (x == np.round(x)).all()
    result = build_mockup(q, COUNTRY, assessment)
    text = chart_text(result)
    for name, value in stated_numbers(q.mockup.sentence, result).items():
        assert shown(value, text), (name, value)
    assert len(result.chart_html.encode()) <= 15 * 1024


@SETTINGS
@given(st.sampled_from(sorted(PLACEHOLDERS)), st.integers(0, 2**16))
def test_same_question_same_false_data(qtype: str, salt: int) -> None:
    q = make_question(f"q-{salt}", qtype)
    first = build_mockup(q, COUNTRY, FalseAssessment(COUNTRY, {q.id: q}))
    again = build_mockup(q, COUNTRY, FalseAssessment(COUNTRY, {q.id: q}))
    assert first.chart_html == again.chart_html and first.sentence == again.sentence
