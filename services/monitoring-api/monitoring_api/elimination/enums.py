"""Kinds, statuses and steps of a risk elimination (values are the Chinese terms)."""

from enum import StrEnum

from dixian_shared.auth.principal import Role


class EliminationKind(StrEnum):
    by_assistance = "帮扶消除"
    natural = "自然消除"


class EliminationStatus(StrEnum):
    awaiting_verification = "待入户核实"
    awaiting_notice = "待评议公示"
    awaiting_town_review = "待乡镇审核"
    awaiting_approval = "待区级审定"
    eliminated = "已消除"
    refused = "未通过"


OPEN_STATUSES = frozenset(
    {
        EliminationStatus.awaiting_verification,
        EliminationStatus.awaiting_notice,
        EliminationStatus.awaiting_town_review,
        EliminationStatus.awaiting_approval,
    }
)


class EliminationStep(StrEnum):
    verification = "入户核实"
    notice = "民主评议公示"
    town_review = "乡镇审核"
    approval = "区级审定"


# The status an elimination must be in for each step to be recorded.
STEP_EXPECTS: dict[EliminationStep, EliminationStatus] = {
    EliminationStep.verification: EliminationStatus.awaiting_verification,
    EliminationStep.notice: EliminationStatus.awaiting_notice,
    EliminationStep.town_review: EliminationStatus.awaiting_town_review,
    EliminationStep.approval: EliminationStatus.awaiting_approval,
}

# And the status it moves to when the step passes.
STEP_PASSES_TO: dict[EliminationStep, EliminationStatus] = {
    EliminationStep.verification: EliminationStatus.awaiting_notice,
    EliminationStep.notice: EliminationStatus.awaiting_town_review,
    EliminationStep.town_review: EliminationStatus.awaiting_approval,
    EliminationStep.approval: EliminationStatus.eliminated,
}

# Who takes each step (DOMAIN.md, 风险消除): the village verifies and holds the appraisal and notice, the town
# reviews, the district decides; as in the inclusion workflow, no role takes another's step.
STEP_ROLE: dict[EliminationStep, Role] = {
    EliminationStep.verification: Role.village,
    EliminationStep.notice: Role.village,
    EliminationStep.town_review: Role.town,
    EliminationStep.approval: Role.district,
}


class Precondition(StrEnum):
    """The preconditions of an elimination; each value is the rule name a refusal reports."""

    min_months = "elimination-min-months"
    min_measures = "elimination-min-measures"
    income_stable = "income-stably-above-threshold"
    guarantees_secure = "guarantees-and-water-secure"
    risk_resolved = "original-risk-resolved"
    no_remaining_risk = "no-remaining-risk"
    has_labour = "whole-household-no-labour"
