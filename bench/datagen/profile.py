"""The designed shape of the district: every proportion the generator draws from, in one place (the tests read it)."""

from decimal import Decimal

from monitoring_api.households.enums import Category

# Household categories: most are ordinary; 脱贫户 ~12.5%; monitoring subjects ~1.5% over the three kinds.
CATEGORY_SHARES: dict[Category, float] = {
    Category.ordinary: 0.860,
    Category.lifted: 0.125,
    Category.unstable: 0.005,
    Category.borderline: 0.006,
    Category.sudden_hardship: 0.004,
}

# Registered household size (rural Jiangxi averages a little over three people a household).
SIZE_WEIGHTS: dict[int, float] = {1: 0.13, 2: 0.21, 3: 0.21, 4: 0.21, 5: 0.14, 6: 0.07, 7: 0.03}
MEAN_SIZE = sum(size * weight for size, weight in SIZE_WEIGHTS.items())

# Where members were born: mostly this district, the rest elsewhere in Ganzhou (married in, moved in).
BIRTH_PREFIXES: tuple[tuple[str, float], ...] = (
    ("360702", 0.70),  # 章贡区
    ("360703", 0.09),  # 南康区
    ("360704", 0.06),  # 赣县区
    ("360722", 0.02),  # 信丰县
    ("360723", 0.01),  # 大余县
    ("360724", 0.01),  # 上犹县
    ("360725", 0.01),  # 崇义县
    ("360726", 0.01),  # 安远县
    ("360728", 0.01),  # 定南县
    ("360729", 0.01),  # 全南县
    ("360730", 0.01),  # 宁都县
    ("360731", 0.02),  # 于都县
    ("360732", 0.01),  # 兴国县
    ("360733", 0.01),  # 会昌县
    ("360734", 0.005),  # 寻乌县
    ("360735", 0.005),  # 石城县
    ("360781", 0.01),  # 瑞金市
    ("360783", 0.01),  # 龙南市
)

# How much more often illness, disability and dropping out occur, by category (ordinary = 1).
HARDSHIP_FACTOR: dict[Category, float] = {
    Category.ordinary: 1.0,
    Category.lifted: 1.6,
    Category.unstable: 2.5,
    Category.borderline: 2.5,
    Category.sudden_hardship: 2.2,
}

# Children of compulsory-school age (6–15) not at school: a few, so the education cross-check finds something.
OUT_OF_SCHOOL: dict[Category, float] = {
    Category.ordinary: 0.004,
    Category.lifted: 0.015,
    Category.unstable: 0.03,
    Category.borderline: 0.03,
    Category.sudden_hardship: 0.03,
}

MEDICAL_INSURED: dict[Category, float] = {
    Category.ordinary: 0.966,
    Category.lifted: 0.99,
    Category.unstable: 0.99,
    Category.borderline: 0.985,
    Category.sudden_hardship: 0.98,
}
MEDICAL_INSURED_OVERALL = sum(CATEGORY_SHARES[c] * MEDICAL_INSURED[c] for c in Category)

# A household on 低保 (the whole household is on the roll).
DIBAO_HOUSEHOLD: dict[Category, float] = {
    Category.ordinary: 0.004,
    Category.lifted: 0.12,
    Category.unstable: 0.30,
    Category.borderline: 0.20,
    Category.sudden_hardship: 0.25,
}
# An old or disabled person living alone with no labour is supported as 特困 with this probability.
TEKUN_SINGLE_ELDER = 0.20
# A lifted or monitored household with a capable member in a public-welfare job (the district's target is 258).
PUBLIC_WELFARE_JOB = 0.07
# Members (not heads) aged 70 or more whose death has been recorded in the past year: the row stays, number freed.
DECEASED_ELDER = 0.01

LIFTED_YEARS: dict[int, float] = {2014: 0.12, 2015: 0.14, 2016: 0.18, 2017: 0.20, 2018: 0.18, 2019: 0.14, 2020: 0.04}

RISK_CAUSES: dict[str, float] = {
    "因病": 0.32,
    "因残": 0.14,
    "因学": 0.08,
    "因意外事故": 0.08,
    "因务工就业不稳": 0.12,
    "缺劳动力": 0.12,
    "因自然灾害": 0.04,
    "因产业项目失败": 0.04,
    "其他": 0.06,
}
SUDDEN_CAUSES: dict[str, float] = {"因病": 0.45, "因意外事故": 0.35, "因自然灾害": 0.15, "其他": 0.05}

# Per-capita net income of the latest income year: median (yuan) and log-normal spread, by category.
INCOME_MEDIAN: dict[Category, tuple[float, float]] = {
    Category.ordinary: (19_000.0, 0.45),
    Category.lifted: (15_500.0, 0.35),
    Category.unstable: (10_500.0, 0.25),
    Category.borderline: (9_500.0, 0.25),
    Category.sudden_hardship: (7_500.0, 0.30),
}
# A sudden-hardship household earned this much more the year before its shock (the income line's sharp drop).
SUDDEN_DROP_FACTOR = 1.7
DEFAULT_INCOME_YEARS = (2023, 2024)

CENT = Decimal("0.01")
