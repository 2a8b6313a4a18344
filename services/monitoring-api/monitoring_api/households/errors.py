"""Errors of the household registry."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, FieldError, Language, Problem, RuleViolation


class IdNumberTaken(Conflict):
    slug = "id-number-taken"
    title_zh = "此人已在农户库中"
    template_zh = "身份证号 {id_number} 已登记为农户 {household_id}（{region_code}）的成员 {member_id}"
    title = "Person already in the registry"
    template = "ID number {id_number} already belongs to member {member_id} of household {household_id} ({region_code})"


class IdNumberTakenElsewhere(IdNumberTaken):
    """The same conflict seen from outside the region that holds the person: only the village is named."""

    template = (
        "ID number {id_number} is already registered in village {region_code}; that village must move or close it"
    )
    template_zh = "身份证号 {id_number} 已在 {region_code} 登记，须由该村办理迁出或注销"


class DuplicateIdInRequest(RuleViolation):
    slug = "duplicate-id-number"
    title_zh = "身份证号重复"
    template_zh = "身份证号 {id_number} 在本次提交中出现了两次"
    template = "ID number {id_number} appears twice in this request"


class NotAVillage(RuleViolation):
    slug = "not-a-village"
    title_zh = "不是本区的村"
    template_zh = "农户归属于村；{region_code} 不是本区的村"
    template = "households belong to a village; {region_code} is not a village of this district"


class RegistryRule(RuleViolation):
    """A lifecycle rule of the registry; `rule_name` is reported as the problem's `rule`."""

    rule_name: ClassVar[str] = ""

    def __init__(self, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(rule=self.rule_name, **kwargs)
        self.field = field

    def to_problem(self, instance: str | None = None, language: Language = "zh") -> Problem:
        problem = super().to_problem(instance, language)
        if self.field is not None:
            problem.errors = [FieldError(field=self.field, message=self.detail_in(language))]
        return problem


class DateInFuture(RegistryRule):
    slug, rule_name = "date-in-future", "date-not-in-future"
    title_zh = "日期晚于今天"
    template_zh = "{what} {value} 晚于今天（{today}）"
    template = "{what} {value} is after today ({today})"


class DateBeforeBirth(RegistryRule):
    slug, rule_name = "date-before-birth", "date-not-before-birth"
    title_zh = "日期早于出生日期"
    template_zh = "{what} {value} 早于成员 {member_id} 的出生日期（{birth_date}）"
    template = "{what} {value} is before member {member_id} was born ({birth_date})"


class InclusionDateNotForCategory(RegistryRule):
    slug, rule_name = "inclusion-date-for-subjects", "inclusion-date-only-for-monitoring-subjects"
    title_zh = "非监测对象不能填写纳入监测时间"
    template_zh = "{category} 不是监测对象，不能填写纳入监测时间"
    template = "{category} is not a monitoring subject and has no inclusion date"


class HouseholdDissolved(RegistryRule):
    slug, rule_name = "household-dissolved", "no-change-to-dissolved-household"
    title_zh = "农户已注销"
    template_zh = "农户 {household_id} 已注销，不能再添加成员或迁移"
    template = "household {household_id} is dissolved (注销) and takes no members or moves"


class SameHousehold(RegistryRule):
    slug, rule_name = "same-household", "move-to-another-household"
    title_zh = "已在该户"
    template_zh = "成员 {member_id} 已属于农户 {household_id}"
    template = "member {member_id} already belongs to household {household_id}"


class SameVillage(RegistryRule):
    slug, rule_name = "same-village", "move-to-another-village"
    title_zh = "已在该村"
    template_zh = "农户 {household_id} 已在 {region_code}"
    template = "household {household_id} is already in {region_code}"


class OneHeadPerHousehold(RegistryRule):
    slug, rule_name = "one-head-per-household", "one-head-per-household"
    title_zh = "一户只有一个户主"


class HeadNeedsRelation(OneHeadPerHousehold):
    template = (
        "member {member_id} is 户主 of household {household_id}: give the relation (与户主关系) in household {target}"
    )
    template_zh = "成员 {member_id} 是农户 {household_id} 的户主：请填写其在农户 {target} 中的与户主关系"


class HeadAlreadyPresent(OneHeadPerHousehold):
    template = "household {household_id} already has a 户主"
    template_zh = "农户 {household_id} 已有户主"


class MemberNotActive(RegistryRule):
    slug, rule_name = "member-not-active", "only-active-members-change"
    title_zh = "成员已不在册"
    template_zh = "成员 {member_id} 已登记为{status}，不能再修改"
    template = "member {member_id} is recorded as {status} and can no longer change"


class CategoryByWorkflow(RegistryRule):
    slug, rule_name = "category-by-workflow", "category-by-workflow"
    template = (
        "the category of household {household_id} is not changed by PATCH: a household becomes a monitoring subject "
        "through an inclusion case (识别纳入, POST /inclusion-cases) and stops being one through a risk elimination "
        "(风险消除, POST /households/{household_id}/eliminations); the district corrects a wrongly recorded category "
        "with POST /households/{household_id}/category-corrections"
    )
    title_zh = "户类别须经识别纳入或风险消除变更"
    template_zh = (
        "农户 {household_id} 的户类别不能直接修改：经识别纳入程序（POST /inclusion-cases）纳入监测对象，"
        "经风险消除程序（POST /households/{household_id}/eliminations）标注风险消除；"
        "类别录入错误的，由区级通过 POST /households/{household_id}/category-corrections 更正并说明理由"
    )


class AssistanceStatusByProvince(RegistryRule):
    slug, rule_name = "assistance-status-by-province", "assistance-status-by-province"
    template = (
        "the assistance status (帮扶状态) of household {household_id} is not changed by PATCH: it is the provincial "
        "system's and comes only with the province's updates"
    )
    title_zh = "帮扶状态以省级系统为准"
    template_zh = "农户 {household_id} 的帮扶状态不能直接修改：以省防返贫监测帮扶系统的更新为准"


class CorrectionNeedsReason(RegistryRule):
    slug, rule_name = "correction-needs-reason", "correction-needs-reason"
    template = "a category correction carries the reason the recorded category was wrong"
    title_zh = "更正须说明理由"
    template_zh = "更正户类别须说明原录入类别错误的理由"


class CorrectionChangesNothing(RegistryRule):
    slug, rule_name = "correction-changes-category", "correction-changes-category"
    template = "household {household_id} is already {category}"
    title_zh = "类别未变"
    template_zh = "农户 {household_id} 已是{category}"


class SubjectNeedsInclusionDate(RegistryRule):
    slug, rule_name = "subject-has-inclusion-date", "subject-has-inclusion-date"
    template = "{category} is a monitoring subject: give the date it was included (included_on)"
    title_zh = "监测对象须有纳入日期"
    template_zh = "{category}属于监测对象，请填写纳入日期（included_on）"
