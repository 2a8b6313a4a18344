"""Pinyin initials of a name (张三丰 → zsf), stored beside the name so that a search can use an index.

A family name is read as a family name where its common reading differs (单 → s, 曾 → z, 解 → x); characters
without pinyin (Latin letters, digits) are kept lower-cased and anything else (the · of 阿不都·热合曼) dropped.
"""

from pypinyin import Style, lazy_pinyin

MAX_INITIALS = 50
# Family names whose reading as a surname differs from the everyday one pypinyin picks.
SURNAME_INITIALS = {"单": "s", "曾": "z", "解": "x", "仇": "q", "区": "o", "查": "z", "盖": "g", "朴": "p", "覃": "q"}


def initials(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    # pypinyin's stub types `errors` as returning str; a list (one item per character) is what we mean and works.
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
    if name[0] in SURNAME_INITIALS:
        letters[0] = SURNAME_INITIALS[name[0]]
    return "".join(ch for part in letters for ch in part.lower() if ch.isascii() and ch.isalnum())[:MAX_INITIALS]
