"""One identity per company: "Google LLC", "Alphabet (Google)" and "google" are all "google".

Legal suffixes go (cleanco), then words that do not name the company ("HQ", "Technologies", a ".com");
names in parentheses are other names of the same company; close spellings within the batch are
merged (rapidfuzz), since two colleagues in one circle is worse than two strangers kept apart.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from cleanco import basename
from rapidfuzz import process
from rapidfuzz.distance import OSA

from circles.cleaning.text import as_text, fold, normalise

MIN_FUZZY_LENGTH = 5  # shorter names ("Box", "Wise") differ by one letter from other companies
_FILLER = frozenset(
    "hq technologies technology tech labs lab group holdings holding platforms platform inc corp co "
    "company ltd llc gmbh plc ag sa bv ab pty limited software systems solutions global international "
    "the bank".split()
)
_DOMAIN = re.compile(r"\.(?:com|io|ai|co|net|org|dev|app|tech)\b", re.IGNORECASE)
_PARENS = re.compile(r"\(([^)]*)\)?")
_NOT_A_NAME = frozenset({"formerly", "fka", "aka", "dba", "now", "part of", "an", "a"})
# Other names the big employers go by (tickers, parents, old names); organizers add their own aliases.
KNOWN = {
    "alphabet": "google", "googl": "google", "msft": "microsoft", "facebook": "meta", "fb": "meta",
    "meta platforms": "meta", "amzn": "amazon", "aws": "amazon", "amazon web services": "amazon",
    "maplebear": "instacart", "aapl": "apple", "nflx": "netflix", "block": "square", "x": "twitter",
    "ibm research": "ibm", "salesforce": "salesforce", "sfdc": "salesforce",
}  # fmt: skip


@dataclass(frozen=True)
class CompanyKey:
    value: str  # "" when no company was given
    confidence: float
    note: str


def names_of(raw: str) -> tuple[str, ...]:
    """The candidate keys of a company text: its main name, then any name in parentheses."""
    inner = [part.strip() for part in _PARENS.findall(raw)]
    outer = _PARENS.sub(" ", raw)
    names = []
    for text in (outer, *inner):
        key = _key(text)
        if key and key not in _NOT_A_NAME and key not in names:
            names.append(KNOWN.get(key, key))
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    text = _DOMAIN.sub("", text.strip())
    try:
        text = basename(text)
    except Exception:  # cleanco has no documented errors; a bad name must not stop the import
        pass
    words = fold(text).split()
    while len(words) > 1 and words[-1] in _FILLER:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    key = " ".join(words)
    return KNOWN.get(key, key)


def company_keys(raws: Iterable[object], aliases: Mapping[str, str]) -> list[CompanyKey]:
    """One key per raw text, the same for every spelling of one company within the batch."""
    texts = [as_text(raw) for raw in raws]
    names: dict[str, tuple[str, ...]] = {}
    for text in dict.fromkeys(texts):
        alias = aliases.get(normalise("company", text))
        names[text] = (_key(alias) or fold(alias),) if alias else names_of(text)
    parent = _cluster(names.values())
    label = _labels(parent, names, texts)
    return [_describe(text, names[text], parent, label, aliases) for text in texts]


def _cluster(all_names: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Union-find over names: the names of one text, and close spellings, are one company."""
    parent: dict[str, str] = {}
    for group in all_names:
        for name in group:
            parent.setdefault(name, name)
        for name in group[1:]:
            _union(parent, group[0], name)
    blocks: dict[str, list[str]] = {}
    for name in parent:
        squashed = name.replace(" ", "")
        if len(squashed) >= MIN_FUZZY_LENGTH:
            blocks.setdefault(squashed[0], []).append(name)  # slips rarely hit the first letter
    for block in blocks.values():
        squashed = [n.replace(" ", "") for n in block]
        # one slip apart: a letter missing, extra or wrong, or two letters swapped
        distances = process.cdist(squashed, squashed, scorer=OSA.distance, score_cutoff=1)
        for i, j in zip(*(distances == 1).nonzero(), strict=True):
            if i < j:
                _union(parent, block[i], block[j])
        for i, j in _identical_pairs(squashed):
            _union(parent, block[i], block[j])
    return parent


def _identical_pairs(squashed: list[str]) -> list[tuple[int, int]]:
    """Names equal once spaces are gone ("Deep Stack", "DeepStack"), which cdist reports as 0."""
    first: dict[str, int] = {}
    pairs = []
    for index, name in enumerate(squashed):
        if name in first:
            pairs.append((first[name], index))
        first.setdefault(name, index)
    return pairs


def _root(parent: dict[str, str], name: str) -> str:
    while parent[name] != name:
        parent[name] = parent[parent[name]]
        name = parent[name]
    return name


def _union(parent: dict[str, str], a: str, b: str) -> None:
    ra, rb = _root(parent, a), _root(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _labels(
    parent: dict[str, str], names: dict[str, tuple[str, ...]], texts: list[str]
) -> dict[str, str]:
    """Each company's key: the name its people use most often (ties: the shortest, then A-Z)."""
    votes: dict[str, Counter] = {}
    for text in texts:
        for name in names[text]:
            votes.setdefault(_root(parent, name), Counter())[name] += 1
    return {root: min(c, key=lambda n: (-c[n], len(n), n)) for root, c in votes.items()}


def _describe(text: str, names: tuple[str, ...], parent, label, aliases) -> CompanyKey:
    if not names:
        return CompanyKey(
            "", 0.0, "no company given" if not text else f"{text!r} does not name a company"
        )
    key = label[_root(parent, names[0])]
    if normalise("company", text) in aliases:
        return CompanyKey(
            key,
            1.0,
            f"corrected by an organizer: {text!r} is {aliases[normalise('company', text)]}",
        )
    if key in names:
        return CompanyKey(key, 1.0 if key == names[0] else 0.95, f"{text!r} is {key}")
    return CompanyKey(key, 0.85, f"{text!r} read as {key} (a close spelling or another name)")
