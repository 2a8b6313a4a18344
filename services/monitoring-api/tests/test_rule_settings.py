"""The rules' configuration refuses settings that would silently switch a rule off."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from monitoring_api.rules import ExpenditureLine, RuleSettings
from monitoring_api.settings import MonitoringSettings


def test_the_defaults_are_the_work_plans() -> None:
    rules = RuleSettings()
    assert (rules.notice_min_days, rules.clue_to_decision_max_days, rules.elimination_min_months) == (5, 15, 6)
    assert (rules.visit_every_months_subject, rules.visit_every_months_lifted) == (1, 2)
    assert (rules.development_measure_within_months, rules.elimination_min_measures) == (6, 1)
    assert (rules.income_decline_years, rules.at_risk_months) == (2, 6)


@pytest.mark.parametrize("name", ["compulsory_school_age", "pension_contribution_age"])
def test_an_age_range_upside_down_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match=f"{name}_min"):
        RuleSettings(**{f"{name}_min": 40, f"{name}_max": 30})


def test_a_yellow_share_above_the_red_share_is_refused() -> None:
    with pytest.raises(ValidationError, match="yellow_share"):
        ExpenditureLine(yellow_share=Decimal("0.6"), red_share=Decimal("0.5"))


def test_rules_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITORING_RULES__NOTICE_MIN_DAYS", "7")
    assert MonitoringSettings().rules.notice_min_days == 7
