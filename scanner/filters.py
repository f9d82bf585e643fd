"""Filters: named pure predicates, listed explicitly.

Two families live here:

* Suppressions chosen by the user. Inline: a line (or table cell) holding `piimap: ignore`
  drops every detection on it; `piimap: ignore[EMAIL_ADDRESS, PHONE_NUMBER]` drops only those
  entities. Allowlist file (`--allowlist FILE`): known-harmless values and regexes, e.g.
  example.com addresses or test card numbers; safe-loaded and validated, errors name file and
  line. Both act on detections before classification, so record rules never see what was dropped.
* NER false positives (`FILTERS`): each predicate takes the candidate `value`, the whole `line`
  and the span, and returns True when the candidate is not personal data (a log level, a month,
  a code identifier, a product, a log key). `suppressed_by()` names the first filter that fires.
  Word lists: filters.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from scanner import yamlio
from scanner.errors import ConfigError
from scanner.records import Detection

#: the inline marker (lower case, like a noqa comment); entity names in brackets are optional
INLINE_MARK = re.compile(r"piimap:\s*ignore(?:\[([^\]]*)\])?")
#: cheap pre-check before any per-line work (a plain substring test runs at ~1 GB/s)
INLINE_PREFIX = "piimap:"


def inline_ignores(line: str) -> frozenset[str] | None:
    """Entities ignored on `line`: None without a marker, an empty set for "everything"."""
    if INLINE_PREFIX not in line:
        return None
    found: set[str] = set()
    any_mark = False
    for m in INLINE_MARK.finditer(line):
        any_mark = True
        if m.group(1) is None:
            return frozenset()
        found |= {e.strip().upper() for e in m.group(1).split(",") if e.strip()}
    return frozenset(found) if any_mark else None


def is_inline_ignored(entity: str, ignored: frozenset[str] | None) -> bool:
    """True when an inline marker covers `entity`."""
    return ignored is not None and (not ignored or entity in ignored)


def _canon(value: str) -> str:
    """Case-folded, without spaces and dashes: `4111 1111-1111 1111` == `4111111111111111`."""
    return re.sub(r"[\s\-]", "", value).casefold()


@dataclass(frozen=True)
class AllowRule:
    """One allowlist entry: an exact value or a regex, optionally for one entity only."""

    entity: str | None
    value: str | None = None
    regex: re.Pattern[str] | None = None
    where: str = ""


@dataclass(frozen=True)
class Allowlist:
    """Values and regexes whose detections are dropped."""

    rules: tuple[AllowRule, ...]
    source: str = ""

    def allows(self, entity: str, value: str) -> bool:
        """True when `value` (found as `entity`) is allowlisted."""
        canon = _canon(value)
        for r in self.rules:
            if r.entity is not None and r.entity != entity:
                continue
            if r.value is not None and (r.value == value or _canon(r.value) == canon):
                return True
            if r.regex is not None and r.regex.search(value):
                return True
        return False

    def filter(self, dets: list[Detection]) -> list[Detection]:
        """Detections that are not allowlisted."""
        return [d for d in dets if not self.allows(d.entity, d.value)] if self.rules else dets


_KEYS = {"version", "values", "patterns"}
_ENTRY_KEYS = {"value", "regex", "entity", "comment"}


def parse_allowlist(text: str, source: str) -> Allowlist:
    """Parse and validate an allowlist document (safe loader; errors name the line)."""
    from scanner.policy import known_entities, load_yaml_lines

    doc = load_yaml_lines(text, source)
    if doc is None:
        return Allowlist((), source)
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}:1: an allowlist must be a mapping with 'values' and/or 'patterns'")
    unknown = sorted(set(doc) - _KEYS - {"__line__"})
    if unknown:
        raise ConfigError(f"{source}:{doc['__line__']}: unknown keys {unknown} (allowed: {sorted(_KEYS)})")
    if doc.get("version", 1) != 1:
        raise ConfigError(f"{source}:{doc['__line__']}: unsupported allowlist version {doc.get('version')!r}")
    rules: list[AllowRule] = []
    for key in ("values", "patterns"):
        items = doc.get(key) or []
        line = int(getattr(items, "line", 0) or doc["__line__"])
        if not isinstance(items, list):
            raise ConfigError(f"{source}:{line}: '{key}' must be a list")
        for item in items:
            rules.append(_entry(item, key, source, line, known_entities()))
    return Allowlist(tuple(rules), source)


def _entry(item: Any, key: str, source: str, line: int, known: frozenset[str]) -> AllowRule:
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        item = {"value" if key == "values" else "regex": str(item)}
    elif isinstance(item, dict):
        line = item.get("__line__", line)
    else:
        raise ConfigError(f"{source}:{line}: each entry of '{key}' must be a string or a mapping")
    where = f"{source}:{line}"
    unknown = sorted(set(item) - _ENTRY_KEYS - {"__line__"})
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown} (allowed: {sorted(_ENTRY_KEYS)})")
    entity = item.get("entity")
    if entity is not None and entity not in known:
        raise ConfigError(f"{where}: unknown entity {entity!r}")
    if key == "values":
        if not isinstance(item.get("value"), (str, int)) or item.get("regex") is not None:
            raise ConfigError(f"{where}: a 'values' entry needs 'value' (a string)")
        return AllowRule(entity, value=str(item["value"]), where=where)
    if not isinstance(item.get("regex"), str) or item.get("value") is not None:
        raise ConfigError(f"{where}: a 'patterns' entry needs 'regex' (a string)")
    try:
        compiled = re.compile(item["regex"])
    except re.error as exc:
        raise ConfigError(f"{where}: regex {item['regex']!r} does not compile: {exc}") from exc
    return AllowRule(entity, regex=compiled, where=where)


def load_allowlist(path: str) -> Allowlist:
    """Load an allowlist YAML file."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read allowlist: {exc}") from exc
    return parse_allowlist(text, path)


# -- source code ---------------------------------------------------------------------

#: an identifier or attribute chain, maybe called or subscripted or closing a bracket
#: (`credentials`, `os.environ[`, `get_pw()`, `None)`), or a bracket opening an expression
_CODE_EXPR = regex.compile(r"(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:[(\[].*|[)\]}:]*)|[(\[{].*)")
_COMMENT = regex.compile(r"(?:^|\s)(?:#|//|/\*|\*|--|;)")


def code_expression_entities() -> frozenset[str]:
    """Entities found after a key (`password=`, `user:`) that source code assigns expressions to."""
    return frozenset(e.upper() for e in _words()["code_expression_entities"])


def is_source_code(path: str) -> bool:
    """True when the file name ends in a programming-language suffix (filters.yaml)."""
    name = path.rsplit("/", 1)[-1].lower()
    return "." in name and name.rsplit(".", 1)[1] in _words()["code_suffixes"]


def is_config_file(path: str) -> bool:
    """True when the file name ends in a configuration-format suffix (filters.yaml), or is a
    dotenv file (`.env`, `.env.production`)."""
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(".env") or ("." in name and name.rsplit(".", 1)[1] in _words()["config_suffixes"])


def is_code_expression(line: str, start: int, end: int) -> bool:
    """In source code: the value at [start, end) follows `=` or `:` unquoted and reads as an
    expression (identifier, attribute, call, subscript, bracket: `self.password = credentials`,
    `def f(passwd=None)`, `pwd = (self.password ...`), not a password literal. Comments keep
    their values (`# password = hunter2`), and so do quoted literals.
    """
    before = line[:start].rstrip()
    if not before.endswith(("=", ":")) or before.endswith(("==", "!=", "<=", ">=", "::")):
        return False  # quoted: the quote precedes the value
    if _COMMENT.search(line, 0, start) is not None:
        return False
    return _CODE_EXPR.fullmatch(line, start, end) is not None


_REFERENCE_PATH = regex.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_KEY_BEFORE = regex.compile(r"([A-Za-z_]\w*)\s*[=:]\s*$")
#: stems of the keys whose values `is_reference_expression` looks at (`cfg.password`, `request.user`)
_REFERENCE_STEMS = ("pass", "pwd", "secret", "user", "login", "account", "name", "cred", "uid", "dn", "principal")
#: characters looked at before a value for its key and the call around it
_REFERENCE_WINDOW = 120
#: a call at the start of a value (`get_password()`, `vault.read_password(path)`)
_CALL = regex.compile(r"[A-Za-z_][\w.]*\(")
#: a log annotation after a name: only `key=literal` pairs in the brackets (`(uid=1003)`,
#: `(uid=0, gid=0)`), as PAM and sudo print them after a user name
_ANNOTATION = regex.compile(r"\(\w+=[\w.:-]*(?:[,;]?\s*\w+=[\w.:-]*)*\)")


def is_reference_expression(line: str, start: int, end: int) -> bool:
    """In any file (source code quoted in a log or a stack trace): the value at [start, end)
    names where a credential comes from, not the credential: a call (`user = authenticate(`),
    an attribute path ending in a credential word (`password=cfg.password`, `user=request.user`),
    or, inside an argument list, the key's own name (`login(username=username, password=password)`).
    A bare word after `password=` (`hunter2`, even `password` outside a call) stays a finding.

    A name in running log text followed by `(key=value)` is not a call: `session opened for
    user kwatanabe(uid=1003)` (PAM). A call needs an assignment (`user = get_user(id=5)`),
    so the annotation reading holds only when no `=` or `:` comes right before the value.
    """
    value = line[start:end].rstrip(")]};")  # a value pattern may run into the closing bracket
    after = line[start + len(value) : start + len(value) + 1]
    if after == "(" and not _is_log_annotation(line, start, start + len(value)):
        return True
    if _CALL.match(value):
        return True
    if _REFERENCE_PATH.fullmatch(value):
        last = value.rsplit(".", 1)[1].lower()
        if any(stem in last for stem in _REFERENCE_STEMS):
            return True
    # bounded windows: a long line with many keys must not cost a scan of the line per hit
    lo = max(0, start - _REFERENCE_WINDOW)
    key = _KEY_BEFORE.search(line, lo, start)
    if key is not None and key.group(1).lower() == value.lower() and after in (",", ")"):
        return "(" in line[max(0, key.start() - _REFERENCE_WINDOW) : key.start()]
    return False


def _is_log_annotation(line: str, start: int, end: int) -> bool:
    """`name(key=literal, ...)` after a word, not after `=` or `:`: a log line annotating a
    name (`for user kwatanabe(uid=1003)`), not a call assigned to a key."""
    if line[max(0, start - _REFERENCE_WINDOW) : start].rstrip().endswith(("=", ":")):
        return False
    return _ANNOTATION.match(line, end) is not None


# -- NER false positives ------------------------------------------------------------

Predicate = Callable[[str, str, int, int], bool]


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    text = (resources.files("scanner") / "filters.yaml").read_text(encoding="utf-8")
    doc = yamlio.safe_load(text) or {}
    return {k: frozenset(str(w).lower() for w in v) for k, v in doc.items()}


_IDENT = regex.compile(r"[a-z]+[A-Z]\w*|\w*_\w+|\w+\.\w+|\w+\(\)?|\w*\d\w*")
_KEY_AFTER = regex.compile(r"\s*(?:=|:(?!\s*\d{2}\b)|\]=)")


def is_log_level(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A log level word (Warning), or a span holding an upper-case level (INFO Service)."""
    levels = _words()["log_levels"]
    v = value.strip()
    return v.lower() in levels or any(t.isupper() and t.lower() in levels for t in v.split())


def is_month_or_weekday(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A month or weekday name, possibly with a day number (March, Mon, June 5)."""
    first = value.strip().split(" ")[0].rstrip(".,").lower()
    w = _words()
    return first in w["months"] or first in w["weekdays"]


#: a CamelCase word (ParameterSource, DataFrame): a type or class name when it stands alone
_UPPER_CAMEL = regex.compile(r"\p{Lu}\p{Ll}+(?:\p{Lu}[\p{Ll}\d]*)+")


def is_code_identifier(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """camelCase, snake_case, dotted.path, call(), digits inside, or CONSTANT_CASE; a span
    that is one CamelCase word (`source: ParameterSource`) unless it is shaped like a
    name (McDonald, DiCaprio, LeBlanc: models/gate.py's name word)."""
    v = value.strip()
    if any(ch in v for ch in "_()[]{}<>/\\|=$#@"):
        return True
    if any(_IDENT.fullmatch(tok) is not None for tok in v.split()):
        return True
    if " " not in v and _UPPER_CAMEL.fullmatch(v) is not None:
        from models.gate import is_name_word

        return not is_name_word(v)
    # the span's last word goes on as a dotted identifier (`Restored Newtonsoft` in
    # `Restored Newtonsoft.Json 7.0.0.0`, `Serilog` in `Serilog.Sinks.Console`)
    return bool(line) and _DOTTED_AFTER.match(line, end) is not None


#: `.Json`, `.Sinks`: a dot directly followed by an identifier character
_DOTTED_AFTER = regex.compile(r"\.[A-Za-z_]")
#: a version number after a name (`Moq 7.0.0.0`, `Serilog v4.2`): a package or product;
#: not one dot alone (`paid John Smith 12.50`)
_VERSION_AFTER = regex.compile(r"[ \t]+(?:[vV]\d+(?:\.\d+)+|\d+\.\d+\.\d+)(?![\w])")


def is_versioned_name(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A name followed by a version number (`Restored Moq 7.0.0.0`, `Acme Agent 2.4.1`): a
    package or product, not a person or company."""
    return bool(line) and _VERSION_AFTER.match(line, end) is not None


def is_product_or_tech_term(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A product, service, protocol or format name (Slack, Kubernetes, the JSON API)."""
    low = value.strip().lower()
    prods = _words()["products"]
    toks = [t for t in low.split() if t not in ("the", "a", "an")]
    return low in prods or (bool(toks) and all(tok in prods for tok in toks))


def is_log_key(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """The candidate is itself a key: followed by '=' or ':' (`Customer=`, `Name:`)."""
    return bool(line) and _KEY_AFTER.match(line, end) is not None


def is_too_short(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """One or two Latin characters, or no letter at all: never a name on its own."""
    v = value.strip()
    if not any(ch.isalpha() for ch in v):
        return True
    return v.isascii() and len(v) <= 2


_DEPT_END = regex.compile(r"(?:\b(?:Department|Division|Dept\.?|Team)|(?:本部|事業部|部|課|室))$")


def is_department_like(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """Ends like a department (…Department, …部, …課): a DEPARTMENT, not an ORG/title/name."""
    return _DEPT_END.search(value.strip()) is not None


@lru_cache(maxsize=1)
def company_words_ja() -> tuple[str, ...]:
    """filters.yaml `company_words_ja`, longest first (電機, 株式会社, 製作所)."""
    return tuple(sorted(_words()["company_words_ja"], key=len, reverse=True))


def is_company_like(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """Holds a legal form or ends like a company name (…物産, …電機): not a person or title."""
    v = value.strip()
    return "株式会社" in v or v.endswith(company_words_ja())


#: closing brackets and spaces after 御中 at a line end
_LINE_END_CLOSERS = " \t\u3000」』)）]】〕>"
_PERSON_HONORIFICS_JA = ("様", "殿", "さん", "先生")


def is_in_company_name(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A Japanese name directly followed by a company word (鈴木 in 鈴木電機, 山田 in 山田建設),
    or any name on a line addressed with 御中 (to an organisation, never a person: a line
    with 様/殿 is left alone): the founder's name inside an organisation's name."""
    v = value.strip()
    if not v or v.isascii():
        return False
    if line.startswith(company_words_ja(), end):
        return True
    return line.rstrip(_LINE_END_CLOSERS).endswith("御中") and not any(h in line for h in _PERSON_HONORIFICS_JA)


@lru_cache(maxsize=1)
def _ja_title_terms() -> tuple[frozenset[str], tuple[str, ...]]:
    """(Japanese job titles of the word lists, compound-noun heads `compounds_ja`), both from
    recognizers/gazetteer.yaml, the same data the title gazetteer uses for 部長会議."""
    from recognizers.gazetteer import gazetteer_config, is_japanese, read_wordlist

    cfg = gazetteer_config()
    titles: set[str] = set()
    for g in cfg.get("gazetteers") or ():
        if g.get("entity") == "JOB_TITLE":
            for name in g.get("lists") or ():
                titles.update(t for t in read_wordlist(name) if is_japanese(t))
    return frozenset(titles), tuple(str(w) for w in cfg.get("compounds_ja") or ())


def is_title_in_compound(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A Japanese title that begins a compound noun: the span directly followed by a compound
    head (部長 in 部長会議, 課長 in 課長クラス), or a listed title inside the span followed by
    one (課長職以上): a meeting, a grade or a rank, no one's title (gazetteer.yaml
    `compounds_ja`, as the title gazetteer applies it)."""
    v = value.strip()
    if not v or v.isascii():
        return False
    titles, heads = _ja_title_terms()
    if not heads:
        return False
    if line.startswith(heads, end):
        return True
    # a listed title ending inside the span, the rest of the span starting with a head and
    # not itself a title (社長室長 is a title: 社長室 + 室長)
    for k in range(1, len(v)):
        if v.startswith(heads, k) and v[k:] not in titles and any(v[j:k] in titles for j in range(k)):
            return True
    return False


def is_generic_role(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A word for a relation (顧客, スタッフ, customer), not a job title (filters.yaml)."""
    return value.strip().lower() in _words()["generic_roles"]


_ROLE_END = regex.compile(
    r"\b(?:Engineer|Developer|Designer|Manager|Officer|Analyst|Architect|Director|Specialist|"
    r"Consultant|Executive|Lead|President|Counsel|Recruiter|Accountant)$"
)


def is_job_title_or_department(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A job title or department from the word lists or ending in a role word: not an ORG."""
    v = value.strip()
    if _ROLE_END.search(v):
        return True
    from recognizers.gazetteer import Gazetteer, default_gazetteer

    gaz: Gazetteer = default_gazetteer()
    found = list(gaz.detect_lines([v]))
    if any(s == 0 and e == len(v) for _, s, e, *_ in found):
        return True  # the whole span is a listed term, even a weak one (Treasury, Payroll)
    hits = [(s, e) for _, s, e, _, score, _ in found if score >= 0.5]
    if sum(e - s for s, e in hits) * 2 >= len(v):
        return True
    # a title or department standing as its own word inside the span (会社名　部長　氏名)
    tokens = {t for t in v.split()}
    return any(v[s:e] in tokens for s, e in hits)


#: every filter applied to NER candidates, in order (names appear in debug logs and docs)
_TITLE_BEFORE = regex.compile(r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Mx)\.?|[:=])\s*$")


def is_lone_latin_word(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """One Latin word (`Config`, `Cache`, a word cut at the line end) or a span with digits.

    The small English model tags capitalised common words at a sentence start as PERSON or
    ORGANIZATION; real names in logs and prose mostly have two parts. A lone word right after
    a title (`Dr. Tanaka`) or a key (`customer: Acme`) is kept.
    """
    v = value.strip()
    if any(ch.isdigit() for ch in v):
        return True
    if not v.isascii() or len(v.split()) != 1:
        return False
    return not (line and _TITLE_BEFORE.search(line[max(0, start - 12) : start]))


#: the window before a span ends a clause: line start, `:`/`=`/sentence end, then only list,
#: comment, quote or bullet marks (`- name: `, `//! `, `    """`, `Done. `)
_CLAUSE_START = regex.compile(r"(?:^|[:=.!?;])[\s\"'`*#/!+>|(\[{•\-]*$")
#: characters looked at before a span for its clause start
_CLAUSE_WINDOW = 40


def _starts_clause(line: str, start: int) -> bool:
    return not line or _CLAUSE_START.search(line, max(0, start - _CLAUSE_WINDOW), start) is not None


def _is_action_verb(word: str) -> bool:
    """An action verb of filters.yaml, or its past or -ing form (`Restored`, `Running`,
    `Copied`, `Stopped`): log lines report what a tool did (`Restored Moq 7.0.0.0`)."""
    verbs = _words()["action_verbs"]
    if word in verbs:
        return True
    for suffix in ("ed", "ing"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem in verbs or stem + "e" in verbs:
                return True
            if stem.endswith("i") and stem[:-1] + "y" in verbs:  # copied, applied
                return True
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in verbs:  # stopped, running
                return True
    return False


def is_action_phrase(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A span starting a line, a value or a sentence with an imperative verb (`- name: Run
    Tests`, `Notify Slack`, a docstring `Ignore Transfer-Encoding ...`): a step, task or
    heading, not a name (filters.yaml `action_verbs`). A span ending in an organisation
    word (`Apply Digital Labs`) is kept; so is a verb-like word inside a sentence
    (`moved to Check Point`)."""
    words = value.strip().split()
    if len(words) < 2 or not value.isascii():
        return False
    if not _is_action_verb(words[0].lower()) or not _starts_clause(line, start):
        return False
    from models.gate import is_org_head

    return not is_org_head(words[-1])


def is_component_name(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A name whose last word is an infrastructure or software component (`Web Server`,
    `Fair Scheduler`, `Acme CLI`, `Payment API`): a system, not a person (filters.yaml
    `infra_nouns`)."""
    words = value.strip().split()
    return bool(words) and value.isascii() and words[-1].strip(".,;:!?").lower() in _words()["infra_nouns"]


def starts_with_article(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A span starting with the definite article (`The Acme`, `THE FAIR SCHEDULER`): a thing
    or a heading, never a person's name (lower-case `the …` is is_lowercase_phrase's). `A`
    and `An` are left alone: an initial without a dot (`A Patel`) and a given name (`An Nguyen`)."""
    words = value.strip().split(maxsplit=1)
    return len(words) == 2 and words[0] in ("The", "THE")


_HONORIFIC_BEFORE = regex.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Mx)\.?\s*$")


def is_single_common_word(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """One capitalised common English word (`Headers`, `Config`, `Source` after a key):
    models/common_words_en.yaml, which leaves out words that are also first names or
    surnames (Will, Grace, Young). Kept right after an honorific (`Dr. Page`)."""
    v = value.strip().rstrip(".,;:!?")
    if " " in v or not v.isascii() or not v[:1].isupper():
        return False
    from models.gate import is_common_word

    if not is_common_word(v):
        return False
    return not (line and _HONORIFIC_BEFORE.search(line, max(0, start - 12), start))


#: lower-case particles a name can start with (van der Berg, de la Cruz, al Amin)
_NAME_PARTICLES = frozenset(
    ("de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le", "bin", "al")
)


def is_lowercase_phrase(value: str, line: str = "", start: int = 0, end: int = 0) -> bool:
    """A Latin-script span starting with a lower-case word (`and departments`, `the code is`).

    Names, companies and titles start with a capital (or a particle: `van der Berg`); such
    spans come from a model tagging English inside Japanese text, or a phrase around a name.
    """
    v = value.strip()
    if not v.isascii():
        return False
    first = v.split()[0] if v.split() else ""
    return first.isalpha() and first.islower() and first not in _NAME_PARTICLES


FILTERS: tuple[tuple[str, Predicate], ...] = (
    ("is_too_short", is_too_short),
    ("is_log_level", is_log_level),
    ("is_month_or_weekday", is_month_or_weekday),
    ("is_product_or_tech_term", is_product_or_tech_term),
    ("is_code_identifier", is_code_identifier),
    ("is_log_key", is_log_key),
    ("is_department_like", is_department_like),
)


#: filters applied only to candidates of one entity
ENTITY_FILTERS: dict[str, tuple[tuple[str, Predicate], ...]] = {
    "PERSON": (
        ("is_versioned_name", is_versioned_name),
        ("is_lone_latin_word", is_lone_latin_word),
        ("is_single_common_word", is_single_common_word),
        ("starts_with_article", starts_with_article),
        ("is_action_phrase", is_action_phrase),
        ("is_component_name", is_component_name),
        ("is_company_like", is_company_like),
        ("is_in_company_name", is_in_company_name),
        ("is_job_title_or_department", is_job_title_or_department),
    ),
    "ORGANIZATION": (
        ("is_versioned_name", is_versioned_name),
        ("is_lone_latin_word", is_lone_latin_word),
        ("is_single_common_word", is_single_common_word),
        ("is_action_phrase", is_action_phrase),
        ("is_job_title_or_department", is_job_title_or_department),
    ),
    "JOB_TITLE": (
        ("is_company_like", is_company_like),
        ("is_generic_role", is_generic_role),
        ("is_title_in_compound", is_title_in_compound),
    ),
}

#: applied to every candidate after the entity filters
LAST_FILTERS: tuple[tuple[str, Predicate], ...] = (("is_lowercase_phrase", is_lowercase_phrase),)


def suppressed_by(
    value: str, line: str = "", start: int = 0, end: int = 0, entity: str = ""
) -> str | None:
    """The name of the first filter that rejects the candidate, or None to keep it."""
    for name, pred in FILTERS + ENTITY_FILTERS.get(entity, ()) + LAST_FILTERS:
        if pred(value, line, start, end):
            return name
    return None
