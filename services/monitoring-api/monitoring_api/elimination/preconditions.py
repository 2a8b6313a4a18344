"""The preconditions of a risk elimination, evaluated on facts gathered by the repository.

Definitions (DOMAIN.md, 风险消除):
- included more than `elimination_min_months` months ago: today is after inclusion + N calendar months
  (inclusion 15 Jan, N = 6: refused on 15 Jul, allowed from 16 Jul; 31 Aug + 6 months is 28/29 Feb);
- at least `elimination_min_measures` measures delivered: status 已完成, or 实施中 with results written;
- income stably above the threshold: the household's last `elimination_income_stable_years` recorded years (the most
  recent years with a HouseholdIncome row) each have a per-capita net income strictly above that year's
  `income_lines[year].threshold`; fewer recorded years, or a year with no configured line, is not stable; nor is an
  income the province verified below the line (its open 收入线 warning, warnings/conditions/province.py);
- three guarantees and water secure: no open guarantee-line warning (保障线, any grade, any source: housing, water,
  department cross-checks), and — because warnings are recomputed by a job and may lag a member's change — the member
  facts read live: no active member of compulsory-school age (compulsory_school_age_min..max full years on today's
  date) who is 非在校生, and every active member medically insured;
- the original risk gone and no new one: the caller confirms `risk_resolved` with a note, and the household has no
  risk cause left (or the caller asks to clear them with the elimination);
- labour: a household with no active member able to work (整户无劳动能力) stays under protective measures.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from monitoring_api.elimination.enums import Precondition
from monitoring_api.households.enums import MemberStatus, SchoolStatus
from monitoring_api.households.models import Member
from monitoring_api.rules import RuleSettings


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day, exactly as PostgreSQL's date + interval does."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Facts:
    today: date
    included_on: date | None
    members: list[Member]
    delivered_measures: int
    incomes: list[tuple[int, Decimal]]  # most recent year first
    risk_causes: list[str]
    guarantee_warnings: list[str]  # open 保障线 warnings, as "rule (subject)"
    verified_below_line: list[str] = field(default_factory=list)  # the province's income below the line, "year: value"


@dataclass(frozen=True)
class Failure:
    name: Precondition
    message: str


@dataclass
class Evaluation:
    failures: list[Failure] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    def fail(self, name: Precondition, message: str) -> None:
        self.failures.append(Failure(name, message))


def _months(ev: Evaluation, facts: Facts, rules: RuleSettings) -> None:
    if facts.included_on is None:
        ev.fail(Precondition.min_months, "the household has no inclusion date")
        return
    earliest = add_months(facts.included_on, rules.elimination_min_months) + timedelta(days=1)
    ev.evidence["included_on"] = facts.included_on.isoformat()
    ev.evidence["earliest_elimination_on"] = earliest.isoformat()
    if facts.today < earliest:
        ev.fail(
            Precondition.min_months,
            f"included on {facts.included_on}: not more than {rules.elimination_min_months} months ago "
            f"(possible from {earliest})",
        )


def _measures(ev: Evaluation, facts: Facts, rules: RuleSettings) -> None:
    ev.evidence["delivered_measures"] = facts.delivered_measures
    if facts.delivered_measures < rules.elimination_min_measures:
        ev.fail(
            Precondition.min_measures,
            f"{facts.delivered_measures} measure(s) delivered (已完成, or 实施中 with results); "
            f"at least {rules.elimination_min_measures} needed",
        )


def _income(ev: Evaluation, facts: Facts, rules: RuleSettings) -> None:
    needed = rules.elimination_income_stable_years
    recent = facts.incomes[:needed]
    ev.evidence["incomes"] = {str(year): str(value) for year, value in recent}
    problems = []
    if len(recent) < needed:
        problems.append(f"{len(recent)} year(s) of income recorded, {needed} needed")
    for year, value in recent:
        line = rules.income_lines.get(year)
        if line is None:
            problems.append(f"no income line configured for {year}")
        elif value <= line.threshold:
            problems.append(f"{year}: {value} is not above the threshold {line.threshold}")
    if facts.verified_below_line:
        ev.evidence["verified_below_line"] = list(facts.verified_below_line)
        problems.append(f"the province verified an income below the threshold: {', '.join(facts.verified_below_line)}")
    if problems:
        ev.fail(Precondition.income_stable, "; ".join(problems))


def _guarantees(ev: Evaluation, facts: Facts, rules: RuleSettings) -> None:
    active = [m for m in facts.members if m.status == MemberStatus.active]
    school_ages = range(rules.compulsory_school_age_min, rules.compulsory_school_age_max + 1)
    out_of_school = [
        m.id
        for m in active
        if age_on(m.birth_date, facts.today) in school_ages and m.school_status == SchoolStatus.not_student
    ]
    uninsured = [m.id for m in active if not m.medical_insured]
    ev.evidence["out_of_school_member_ids"] = out_of_school
    ev.evidence["uninsured_member_ids"] = uninsured
    ev.evidence["open_guarantee_warnings"] = list(facts.guarantee_warnings)
    problems = []
    if facts.guarantee_warnings:
        problems.append(f"open guarantee-line warnings: {', '.join(facts.guarantee_warnings)}")
    if out_of_school:
        problems.append(f"children of compulsory-school age out of school: members {out_of_school}")
    if uninsured:
        problems.append(f"not medically insured: members {uninsured}")
    if problems:
        ev.fail(Precondition.guarantees_secure, "; ".join(problems))


def _risk(ev: Evaluation, facts: Facts, risk_resolved: bool, note: str | None, clearing: bool) -> None:
    if not risk_resolved or not (note and note.strip()):
        ev.fail(Precondition.risk_resolved, "confirm risk_resolved=true with a note saying how the risk went away")
    ev.evidence["risk_causes"] = list(facts.risk_causes)
    if facts.risk_causes and not clearing:
        ev.fail(
            Precondition.no_remaining_risk,
            f"risk causes still recorded: {'、'.join(facts.risk_causes)} (clear them with clear_risk_causes=true)",
        )


def _labour(ev: Evaluation, facts: Facts) -> None:
    able = [m for m in facts.members if m.status == MemberStatus.active and m.labour_skill.can_work]
    if not able:
        ev.fail(
            Precondition.has_labour,
            "no member can work (整户无劳动能力): the household stays under protective measures",
        )


def evaluate_facts(facts: Facts, rules: RuleSettings) -> Evaluation:
    """The preconditions the registry's data decides: labour, months, measures, income, guarantees and water.

    What is left is the proposer's own confirmation that the risk is gone (risk_resolved, with a note); a subject
    passing these is ready to be proposed (GET /eliminations/ready).
    """
    ev = Evaluation()
    _labour(ev, facts)
    _months(ev, facts, rules)
    _measures(ev, facts, rules)
    _income(ev, facts, rules)
    _guarantees(ev, facts, rules)
    return ev


def evaluate(
    facts: Facts, rules: RuleSettings, *, risk_resolved: bool, risk_note: str | None, clearing_risk_causes: bool
) -> Evaluation:
    """Every precondition is checked, so a refusal can list all that fail, not only the first."""
    ev = evaluate_facts(facts, rules)
    _risk(ev, facts, risk_resolved, risk_note, clearing_risk_causes)
    return ev
