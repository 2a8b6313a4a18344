"""Chinese personal names as found in Ganzhou villages: clan surnames per village, two- or one-character given names."""

import random

from bench.datagen.draw import Choice

# Common surnames of southern Jiangxi (Hakka country), roughly by frequency.
SURNAMES: tuple[str, ...] = (
    "刘", "钟", "谢", "曾", "黄", "李", "陈", "王", "张", "肖", "赖", "罗", "廖", "邱", "温",
    "朱", "杨", "郭", "蓝", "何", "林", "吴", "胡", "邓", "周", "叶", "徐", "彭", "宋", "卢",
)  # fmt: skip
_SURNAME_CHOICE = Choice(SURNAMES, [1.0 / (1 + i * 0.25) for i in range(len(SURNAMES))])

MALE_CHARS = "伟强军勇明华建平国志文斌林辉波杰鹏海春东兵龙金生荣发祥福贵根水永新德庆小俊浩宇"
FEMALE_CHARS = "秀英华兰芳玲梅珍凤莲萍红燕丽娟霞琴桂云春香敏婷静雪小金玉美慧"

# Villages are often named after the clan that founded them (谢岗村, 曾陂村): that clan still dominates.
CLAN_SHARE = 0.45


def village_surname(village_name: str) -> str | None:
    first = village_name[:1]
    return first if first in SURNAMES else None


def surname(rng: random.Random, clan: str | None) -> str:
    if clan is not None and rng.random() < CLAN_SHARE:
        return clan
    return _SURNAME_CHOICE.pick(rng)


def given_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.2:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def full_name(rng: random.Random, family: str, male: bool) -> str:
    return family + given_name(rng, male)
