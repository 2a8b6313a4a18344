"""Refusals about project assets; each names its rule."""

from funds_api.errors import FundsRule


class ProjectNotCompleted(FundsRule):
    slug, rule_name = "asset-from-completed-project", "asset-from-completed-project"
    title = "The project is not completed"
    template = "project {project_id} is not completed; its assets come into being with its completion"
    title_zh = "项目尚未完工"
    template_zh = "项目 {project_id} 尚未完工，项目资产在项目完工时形成"


class FormedBeforeCompletion(FundsRule):
    slug, rule_name = "asset-from-completed-project", "asset-from-completed-project"
    title = "Asset formed before the project was completed"
    template = "formed_on {formed_on} is before project {project_id} was completed ({completed_on})"
    title_zh = "资产形成日期早于项目完工日期"
    template_zh = "资产形成日期 {formed_on} 早于项目 {project_id} 的完工日期 {completed_on}"


class LedgerPlace(FundsRule):
    slug, rule_name = "asset-ledger-place", "asset-ledger-place"
    title = "Ledger and place do not match"
    template = "an asset on a {ledger_level} ledger is kept by a {expected}; {region_code} is not one in your region"
    title_zh = "台账层级与所在区划不符"
    template_zh = "{ledger_level}台账的资产应由{expected_zh}管理，{region_code} 不是您辖区内的{expected_zh}"


class UpkeepByItsLevel(FundsRule):
    slug, rule_name = "upkeep-by-its-level", "upkeep-by-its-level"
    title = "Upkeep recorded by the wrong level"
    template = "{level} is recorded by {role} staff"
    title_zh = "管护记录层级不符"
    template_zh = "{level}应由{role_zh}工作人员记录"


class UpkeepNotApplicable(FundsRule):
    slug, rule_name = "upkeep-applies", "upkeep-applies"
    title = "This upkeep does not apply to the asset"
    template = "{level} applies to assets on {ledgers} ledgers; asset {asset_id} is on a {ledger_level} ledger"
    title_zh = "该资产不适用此类管护"
    template_zh = "{level}适用于{ledgers}台账的资产，资产 {asset_id} 属于{ledger_level}台账"


class SurveyNotOperating(FundsRule):
    slug, rule_name = "survey-operating-assets", "survey-operating-assets"
    title = "Only operating assets are surveyed"
    template = "asset {asset_id} is {category}; the survey of idle or damaged assets covers 经营性 assets"
    title_zh = "只排查经营性资产"
    template_zh = "资产 {asset_id} 为{category}资产，闲置低效和损坏资产排查只针对经营性资产"


class DistributionOverIncome(FundsRule):
    slug, rule_name = "distribution-within-income", "distribution-within-income"
    title = "Distribution over the income"
    template = "income {income_id} of {amount} yuan has {distributed} distributed; {requested} more is too much"
    title_zh = "分配金额超过收益"
    template_zh = "收益 {income_id} 共 {amount} 元，已分配 {distributed} 元，再分配 {requested} 元将超过收益"


class NotAPvStation(FundsRule):
    slug, rule_name = "pv-station-only", "pv-station-only"
    title = "Not a photovoltaic station"
    template = "asset {asset_id} is {kind}; monthly output is reported for 光伏电站 assets"
    title_zh = "不是光伏电站"
    template_zh = "资产 {asset_id} 类型为{kind}，只有光伏电站按月报送发电量和收益"


class SurveyClosed(FundsRule):
    slug, rule_name = "survey-handled-once", "survey-handled-once"
    title = "The survey finding is closed"
    template = "survey finding {survey_id} was handled on {handled_on}"
    title_zh = "该排查问题已处置完毕"
    template_zh = "排查问题 {survey_id} 已于 {handled_on} 处置完毕"
