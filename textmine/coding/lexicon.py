"""Lexicons: codes of one scheme with their terms per language.

Native format (YAML, one file per scheme)::

    scheme: pentagon
    version: 1
    languages: [zh, en]
    roles: [columns, radar]    # optional: what the scheme is in the comparative analysis (ROLES)
    groups: {SUP: {zh: 供给型, en: supply-side}}   # optional, for codes like SUP.TAL
    categories:
      - code: NET
        name: {zh: 合作网络, en: cooperation network}
        terms:
          zh: [产学研合作, 协同创新]
          en: [cooperation network, "collaborat*"]
        exclude:
          en: [network infrastructure]
        policy_only:                      # count only in a unit that also has a policy cue
          en: [networking]
    policy_cues:                          # what makes a unit state a policy (for policy_only)
      en: [will, should, "support*"]

Term rules (see ``textmine.coding.tag``): Chinese terms match anywhere after
normalisation; other terms match whole words, case-insensitively, with regular
inflections of their last word; a trailing ``*`` matches any word ending.
The language key ``any`` holds terms for every language. ``overlaps: [[NET, INN]]``
declares pairs of codes that share terms on purpose (`lexicon check` does not warn).
``policy_only`` terms are generic words ("research", 标准) that are evidence for their
code only when the unit also states a policy: they count only in a unit where one of the
lexicon's ``policy_cues`` matches (same term rules); the cues code nothing.

A file with ``extends: pentagon`` instead of ``scheme:`` adds terms, exclusions and
codes to a loaded scheme (see the extensions section below).

Readers for quanteda YAML dictionaries and LIWC ``.dic`` files turn those into
the same ``Lexicon``. Validation collects every problem with its file and line
before failing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Collection, Mapping, Sequence

from textmine.coding import cache
from textmine.core.constants import ANY_LANG
from textmine.core.errors import LexiconError
from textmine.core.normalize import HAN_CHAR
from textmine.core.untrusted import MAX_LEXICON_BYTES, fast_yaml_loader, yaml_problem

# PyYAML is imported by the functions that read or write YAML: a start that finds its lexicons cached goes without it

CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
SCHEME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
LANG_PATTERN = re.compile(r"^([a-z]{2}|any)$")
TOP_KEYS = {"scheme", "extends", "version", "description", "languages", "roles", "groups", "categories", "name", "overlaps",
            "policy_cues"}
# Roles of a scheme in the comparative analysis: the rows or the columns of the framework table (the rows
# scheme's types are also the bars figure), and the radar figure. A scheme without roles takes no part in them.
ROLES = ("rows", "columns", "radar")
CATEGORY_KEYS = {"code", "name", "description", "terms", "exclude", "policy_only"}


@dataclass(frozen=True)
class Category:
    code: str
    names: Mapping[str, str] = field(default_factory=dict)
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    policy_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # terms that need a policy cue

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or next(iter(self.names.values()), self.code)


@dataclass(frozen=True)
class Lexicon:
    scheme: str
    categories: tuple[Category, ...]
    version: str = "1"
    path: str = ""
    sha256: str = ""
    groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    description: str = ""
    extends: str = ""  # an extension file (``extends: pentagon``): its categories add to that scheme's
    overlaps: frozenset = frozenset()  # pairs of codes declared to share terms on purpose (frozensets of two codes)
    extended_by: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the extension files merged into this lexicon
    lines: Mapping[tuple, int] = field(default_factory=dict, compare=False, repr=False)  # ("code", C) / (kind, C, lang, term) -> line
    roles: tuple[str, ...] = ()
    policy_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [category.code for category in self.categories]

    def column(self, code: str) -> str:
        """The column that holds ``code`` in coded tables: ``<scheme>_<CODE>`` with dots as underscores."""
        return code_column(self.scheme, code)

    @property
    def columns(self) -> list[str]:
        return [self.column(code) for code in self.codes]

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    @property
    def languages(self) -> list[str]:
        langs = {lang for c in self.categories for lang in (*c.terms, *c.exclude, *c.policy_only)}
        return sorted(langs)


@dataclass(frozen=True)
class SchemeRoles:
    """The scheme of each role (ROLES), or None."""

    rows: str | None = None
    columns: str | None = None
    radar: str | None = None

    @property
    def framework(self) -> tuple[str, str] | None:
        """(rows scheme, columns scheme) of the framework table, when both roles are taken."""
        return (self.rows, self.columns) if self.rows and self.columns else None


def scheme_roles(lexicons: Sequence[Lexicon], present: Collection[str] | None = None) -> SchemeRoles:
    """The roles the lexicons declare, each taken by the last lexicon that declares it (so a user's lexicon,
    loaded after the shipped ones, takes a role over); only schemes in ``present`` count when it is given."""
    taken: dict[str, str] = {}
    for lexicon in lexicons:
        if present is None or lexicon.scheme in present:
            taken.update(dict.fromkeys(lexicon.roles, lexicon.scheme))
    return SchemeRoles(**taken)


def code_column(scheme: str, code: str) -> str:
    return f"{scheme}_{code.replace('.', '_')}"


def find_code(lexicons, pattern: str) -> tuple[str, str] | None:
    """(scheme, code) if ``pattern`` names a code of ``lexicons``: ``NET``, ``pentagon:NET`` or ``pentagon_NET``."""
    for lexicon in lexicons:
        for code in lexicon.codes:
            if pattern in (code, f"{lexicon.scheme}:{code}", lexicon.column(code)):
                return lexicon.scheme, code
    return None


def code_group(code: str) -> str:
    """The type of a sub-code (``SUP`` for ``SUP.TAL``); codes without a dot are their own group."""
    return code.split(".", 1)[0]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" stops loading; "warning" is reported by `lexicon check`

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


def shipped_lexicon_paths() -> list[Path]:
    """The lexicons that come with textmine (pentagon and policy instruments)."""
    folder = resources.files("textmine") / "lexicons"
    paths = [Path(str(item)) for item in folder.iterdir() if item.name.endswith(".yaml")]
    return sorted(paths, key=lambda p: (p.name != "pentagon.yaml", p.name))  # scheme 1 of the codebook first


def load_lexicons(paths=None) -> list[Lexicon]:
    """Read and validate lexicon files (the shipped ones when ``paths`` is None), extensions merged.

    Raises LexiconError listing every problem if any file is invalid, if two
    files define the same scheme, or if an extension's scheme is not loaded.
    """
    paths = shipped_lexicon_paths() if paths is None else paths
    key = _files_key(paths)
    entry = cache.load(key) if key else None
    if entry is not None:
        try:
            return [_from_record(record) for record in entry["lexicons"]]
        except (KeyError, TypeError, ValueError):
            pass  # not an entry of this format: read again, and replaced
    lexicons, problems = _load(paths)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise LexiconError(str(errors[0]) + _more(errors), errors)
    if key:
        _store(key, lexicons)
    return lexicons


def _files_key(paths) -> str | None:
    """The cache key of the lexicons these files make (their paths as given and resolved, their bytes); None when
    one cannot be read or is too large (reading reports why)."""
    files = []
    try:
        for given in paths:
            path = Path(given)
            if path.stat().st_size > MAX_LEXICON_BYTES:
                return None
            files.append([str(path), str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()])
    except OSError:
        return None
    return cache.entry_key("lexicons", files)


def _store(key: str, lexicons: list[Lexicon]) -> None:
    """Cache the lexicons, if their record gives them back exactly (values YAML allows but JSON changes, such as
    numbers as keys of names, are read from the files every time)."""
    records = [_record(lexicon) for lexicon in lexicons]
    text = json.dumps(records, ensure_ascii=False)
    again = [_from_record(record) for record in json.loads(text)]
    if again == lexicons and [l.lines for l in again] == [l.lines for l in lexicons] and \
            json.dumps([_record(lexicon) for lexicon in again], ensure_ascii=False) == text:
        cache.store(key, {"lexicons": records})


def _record(lexicon: Lexicon) -> dict:
    """A lexicon as JSON values, every order kept."""
    return {"scheme": lexicon.scheme, "version": lexicon.version, "path": lexicon.path, "sha256": lexicon.sha256,
            "description": lexicon.description, "extends": lexicon.extends, "roles": list(lexicon.roles),
            "groups": [[code, list(names.items())] for code, names in lexicon.groups.items()],
            "overlaps": sorted(sorted(pair) for pair in lexicon.overlaps), "extended_by": [list(e) for e in lexicon.extended_by],
            "lines": [[list(where), line] for where, line in lexicon.lines.items()],
            "policy_cues": terms_record(lexicon.policy_cues),
            "categories": [[c.code, list(c.names.items()), terms_record(c.terms), terms_record(c.exclude), c.description,
                            terms_record(c.policy_only)] for c in lexicon.categories]}


def terms_record(terms: Mapping[str, Sequence[str]]) -> list:
    """A table of terms by language as JSON values, in its order (a lexicon's cache record, a matcher's cache key)."""
    return [[lang, list(items)] for lang, items in terms.items()]


def _from_record(record: dict) -> Lexicon:
    def terms(pairs) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(items) for lang, items in pairs}

    categories = tuple(Category(code, dict(names), terms(found), terms(exclude), description, terms(policy_only))
                       for code, names, found, exclude, description, policy_only in record["categories"])
    return Lexicon(record["scheme"], categories, record["version"], record["path"], record["sha256"],
                   {code: dict(names) for code, names in record["groups"]}, record["description"], record["extends"],
                   frozenset(frozenset(pair) for pair in record["overlaps"]), tuple(tuple(e) for e in record["extended_by"]),
                   {tuple(where): line for where, line in record["lines"]}, tuple(record["roles"]), terms(record["policy_cues"]))


def _load(paths) -> tuple[list[Lexicon], list[Problem]]:
    """The lexicons of ``paths`` as the commands use them (extensions merged), and every problem, warnings too."""
    lexicons, problems = [], []
    for path in {Path(p).resolve(): Path(p) for p in paths}.values():  # a file given twice is read once
        lexicon, found = read_lexicon(path)
        problems.extend(found)
        if lexicon is not None:
            lexicons.append(lexicon)
    seen = {}
    for lexicon in lexicons:
        if lexicon.extends:
            continue
        if lexicon.scheme in seen:
            problems.append(Problem(lexicon.path, None, f"scheme '{lexicon.scheme}' is already defined by {seen[lexicon.scheme]}; "
                                    f"to add terms or codes to it, write 'extends: {lexicon.scheme}' instead of "
                                    f"'scheme: {lexicon.scheme}' and keep only what you add"))
        seen.setdefault(lexicon.scheme, lexicon.path)
    merged, found = apply_extensions(lexicons)
    return merged, problems + found


def resolve_lexicons(extra: Sequence = (), shipped: bool = True) -> list[Lexicon]:
    """The shipped lexicons (unless ``shipped`` is False) followed by the ``extra`` lexicon files, read and validated."""
    return load_lexicons([*(shipped_lexicon_paths() if shipped else []), *extra])


def _more(problems) -> str:
    return f" (and {len(problems) - 1} more problems; run `textmine lexicon check`)" if len(problems) > 1 else ""


def check_lexicon(path) -> list[Problem]:
    """Every problem of a lexicon file, errors and warnings, with its location (an extension: see check_lexicons)."""
    return read_lexicon(path)[1]


def check_lexicons(paths=None, shipped: bool = True) -> list[Problem]:
    """Every problem of lexicon files as the commands will use them: together with the shipped lexicons (unless
    ``shipped`` is false), so that an extension is checked merged into its scheme and a second file defining a
    shipped scheme is reported. Only problems of ``paths`` (all files when None) are returned."""
    given = [Path(p).resolve() for p in (paths or [])]
    base = shipped_lexicon_paths() if shipped or not given else []
    _, problems = _load([*base, *given])
    if not given:
        return problems
    wanted = {str(p) for p in given}
    return [p for p in problems if str(Path(p.path).resolve()) in wanted]


def read_lexicon(path, scheme: str | None = None, default_lang: str = ANY_LANG):
    """Read a native, quanteda or LIWC lexicon; return (Lexicon or None, problems)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_LEXICON_BYTES:
            return None, [Problem(str(path), None, f"the file is larger than {MAX_LEXICON_BYTES:,} bytes: not a lexicon")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(str(path), None, f"cannot read lexicon: {error.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(str(path), None, f"not UTF-8 text (byte {error.start})")]
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() == ".dic":
        builder = _read_liwc(text, str(path), scheme, default_lang)
    else:
        builder = _read_yaml(text, str(path), scheme, default_lang)
    lexicon = builder.build(digest) if builder.ok else None
    return lexicon, builder.problems


class _Builder:
    """Collects categories and problems while a lexicon file is read."""

    def __init__(self, path: str, scheme: str | None):
        self.path = path
        self.scheme = scheme or ""
        self.version = "1"
        self.description = ""
        self.roles: tuple[str, ...] = ()
        self.groups: dict[str, dict[str, str]] = {}
        self.categories: list[Category] = []
        self.policy_cues: dict[str, tuple[str, ...]] = {}
        self.problems: list[Problem] = []
        self._codes: dict[str, int | None] = {}
        self._term_owner: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.extends = ""
        self.overlaps: set[frozenset] = set()
        self.lines: dict[tuple, int] = {}

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def error(self, line, message):
        self.problems.append(Problem(self.path, line, message, "error"))

    def warn(self, line, message):
        self.problems.append(Problem(self.path, line, message, "warning"))

    def add_category(self, code, line, names=None, terms=None, exclude=None, description="", policy_only=None):
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            self.error(line, f"invalid code {code!r}: use letters, digits and _ with dots between levels (e.g. NET, SUP.TAL)")
            return
        if code in self._codes:
            self.error(line, f"duplicate code {code} (first defined on line {self._codes[code]})")
            return
        self._codes[code] = line
        self.lines[("code", code)] = line
        terms = {lang: tuple(dict.fromkeys(items)) for lang, items in (terms or {}).items()}
        exclude = {lang: tuple(dict.fromkeys(items)) for lang, items in (exclude or {}).items()}
        policy_only = {lang: tuple(dict.fromkeys(items)) for lang, items in (policy_only or {}).items()}
        if not self.extends:  # an extension is checked once merged with the lexicon it extends (lexicon_extend)
            if not any(terms.values()) and not any(policy_only.values()):
                self.warn(line, f"code {code} has no terms: it will never be assigned by the lexicon")
            self._check_terms(code, line, _union(terms, policy_only), exclude)
        self.categories.append(Category(code, dict(names or {}), terms, exclude, description, policy_only))

    def _check_terms(self, code, line, terms, exclude):
        for lang, items in terms.items():
            for term in items:
                at = self.lines.get(("term", code, lang, term), line)
                key = (lang, _term_key(term))
                owner = self._term_owner.get(key)
                if owner and owner[0] != code and frozenset((owner[0], code)) not in self.overlaps:
                    self.warn(at, f"term '{term}' ({lang}) is in {owner[0]} (line {owner[1]}) and {code}; if that is "
                                  f"on purpose, declare it: overlaps: [[{owner[0]}, {code}]]")
                self._term_owner.setdefault(key, (code, at))
                if HAN_CHAR.search(term) and len(term) == 1:
                    self.warn(at, f"one-character term '{term}' in {code} matches inside many words")
        for lang, items in exclude.items():
            for phrase in items:
                if not excludes_something(phrase, lang, terms):
                    self.warn(self.lines.get(("exclude", code, lang, phrase), line),
                              f"exclusion '{phrase}' of {code} contains none of its {lang} terms, so it excludes nothing")

    def build(self, digest: str) -> Lexicon:
        return Lexicon(
            scheme=self.scheme,
            categories=tuple(self.categories),
            version=str(self.version),
            path=self.path,
            sha256=digest,
            groups=self.groups,
            description=self.description,
            extends=self.extends,
            overlaps=frozenset(self.overlaps),
            lines=dict(self.lines),
            roles=self.roles,
            policy_cues=self.policy_cues,
        )


def excludes_something(phrase: str, lang: str, terms: Mapping[str, Sequence[str]]) -> bool:
    """Whether an exclusion phrase contains one of the code's terms of its language (or of any language)."""
    candidates = [*terms.get(lang, ()), *terms.get(ANY_LANG, ())]
    return any(_term_key(t).rstrip("*") in _term_key(phrase) for t in candidates)


def _term_key(term: str) -> str:
    return " ".join(term.lower().split())


def _check_term(builder: _Builder, term, line, where: str) -> str | None:
    if not isinstance(term, str) or not term.strip():
        builder.error(line, f"{where}: empty or non-text term {term!r}")
        return None
    term = " ".join(term.split())
    body = term[:-1] if term.endswith("*") else term
    if any(ch in body for ch in "*?"):
        builder.error(line, f"{where}: '{term}': wildcards are only allowed as one trailing '*'")
        return None
    if term.endswith("*") and HAN_CHAR.search(term):
        builder.error(line, f"{where}: '{term}': Chinese terms already match inside words; drop the '*'")
        return None
    if term.endswith("*") and len(body) < 3:
        builder.error(line, f"{where}: '{term}': a prefix needs at least 3 characters before '*'")
        return None
    return term


# --- native YAML -------------------------------------------------------------


def _read_yaml(text: str, path: str, scheme, default_lang) -> _Builder:
    import yaml

    builder = _Builder(path, scheme)
    refused = yaml_problem(text)
    if refused is not None:
        builder.error(*refused)
        return builder
    try:
        try:
            root = yaml.compose(text, Loader=fast_yaml_loader())
        except yaml.YAMLError:  # the pure-Python reader's account of the error (its words, as documented)
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        builder.error(mark.line + 1 if mark else None, f"YAML syntax error: {getattr(error, 'problem', error)}")
        return builder
    if root is None:
        builder.error(1, "the file is empty")
        return builder
    if not isinstance(root, yaml.MappingNode):
        builder.error(_line(root), "a lexicon must be a mapping (scheme:, categories: …) or a quanteda dictionary")
        return builder
    keys = {key.value for key, _ in root.value}
    if "categories" in keys:
        _read_native(root, builder)
    else:
        builder.scheme = builder.scheme or _scheme_from_path(path)
        _read_quanteda(root, builder, prefix="", default_lang=default_lang)
    return builder


def _line(node) -> int:
    return node.start_mark.line + 1


def _value(node):
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
        return node.value  # what a loader makes of it, without making a loader for each of thousands of terms
    return yaml.SafeLoader(" ").construct_object(node, deep=True) if node is not None else None


_STR_TAG = "tag:yaml.org,2002:str"


def _read_native(root, builder: _Builder) -> None:
    import yaml

    fields = {}
    for key, value in root.value:
        if key.value not in TOP_KEYS:
            builder.error(_line(key), f"unknown key '{key.value}'; expected one of {', '.join(sorted(TOP_KEYS))}")
        fields[key.value] = value
    if "extends" in fields:
        _read_extends(fields, builder)
    scheme_node = fields.get("scheme")
    scheme = _value(scheme_node)
    if not builder.scheme:
        if not isinstance(scheme, str) or not SCHEME_PATTERN.match(scheme):
            builder.error(_line(scheme_node) if scheme_node else 1, f"'scheme' must be a name of letters and digits, got {scheme!r}")
        else:
            builder.scheme = scheme
    builder.version = str(_value(fields.get("version")) or "1")
    builder.description = str(_value(fields.get("description")) or "")
    if fields.get("roles") is not None:
        builder.roles = _read_roles(fields["roles"], builder)
    groups = fields.get("groups")
    if groups is not None:
        builder.groups = _read_names_map(groups, builder)
    if "overlaps" in fields:
        builder.overlaps = _read_overlaps(fields["overlaps"], builder)
    cues = _read_terms(fields.get("policy_cues"), builder, "policy_cues")
    builder.policy_cues = {lang: tuple(dict.fromkeys(items)) for lang, items in cues.items()}
    categories = fields["categories"]
    if not isinstance(categories, yaml.SequenceNode):
        builder.error(_line(categories), "'categories' must be a list of categories (- code: …)")
        return
    for node in categories.value:
        _read_category(node, builder)
    for category in builder.categories:
        for lang in category.policy_only:
            if not builder.policy_cues.get(lang) and not builder.policy_cues.get(ANY_LANG) and not builder.extends:
                builder.warn(builder._codes[category.code], f"code {category.code}: policy_only terms ({lang}) never count: 'policy_cues' has no {lang} cues")
    for pair in builder.overlaps:
        for code in sorted(pair - set(builder._codes)):
            if not builder.extends:
                builder.error(_line(fields["overlaps"]), f"overlaps: no code {code} in this lexicon")
    if builder.groups and not builder.extends:
        for category in builder.categories:
            if "." in category.code and code_group(category.code) not in builder.groups:
                builder.error(builder._codes[category.code], f"code {category.code}: group {code_group(category.code)} is not in 'groups'")


def _read_extends(fields, builder: _Builder) -> None:
    node = fields["extends"]
    extends = _value(node)
    if not isinstance(extends, str) or not SCHEME_PATTERN.match(extends):
        builder.error(_line(node), f"'extends' must name the scheme to add to (e.g. extends: pentagon), got {extends!r}")
        return
    if "scheme" in fields:
        builder.error(_line(fields["scheme"]), "give either 'scheme:' (a lexicon of its own) or 'extends:' (adding to one), not both")
    builder.extends = builder.scheme = extends


def _read_overlaps(node, builder: _Builder) -> set[frozenset]:
    """``overlaps: [[NET, INN], …]``: pairs of codes that share terms on purpose (`lexicon check` does not warn)."""
    value = _value(node)
    pairs = value if isinstance(value, list) else None
    if pairs is None or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) for c in p) for p in pairs):
        builder.error(_line(node), "'overlaps' must be a list of code pairs, e.g. overlaps: [[NET, INN], [NET, TRU]]")
        return set()
    return {frozenset(pair) for pair in pairs}


def _read_roles(node, builder: _Builder) -> tuple[str, ...]:
    value = _value(node)
    roles = [value] if isinstance(value, str) else value
    if not isinstance(roles, list) or any(role not in ROLES for role in roles):
        builder.error(_line(node), f"'roles' must be a list of {', '.join(ROLES)}, got {value!r}")
        return ()
    return tuple(dict.fromkeys(roles))


def _read_names_map(node, builder) -> dict:
    value = _value(node)
    if not isinstance(value, dict):
        builder.error(_line(node), "'groups' must map a group code to its names, e.g. SUP: {en: supply-side}")
        return {}
    return {str(k): (v if isinstance(v, dict) else {"en": str(v)}) for k, v in value.items()}


def _read_category(node, builder: _Builder) -> None:
    import yaml

    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        builder.error(line, "each category must be a mapping with 'code' and 'terms'")
        return
    fields = {}
    for key, value in node.value:
        if key.value not in CATEGORY_KEYS:
            builder.error(_line(key), f"unknown key '{key.value}' in a category; expected one of {', '.join(sorted(CATEGORY_KEYS))}")
        fields[key.value] = value
    if "code" not in fields:
        builder.error(line, "category without 'code'")
        return
    code = _value(fields["code"])
    names = _value(fields.get("name")) or {}
    if isinstance(names, str):
        names = {"en": names}
    terms = _read_terms(fields.get("terms"), builder, f"{code} terms", code, "term")
    exclude = _read_terms(fields.get("exclude"), builder, f"{code} exclude", code, "exclude")
    policy_only = _read_terms(fields.get("policy_only"), builder, f"{code} policy_only", code, "policy_only")
    builder.add_category(code, line, names, terms, exclude, str(_value(fields.get("description")) or ""), policy_only)


def _read_terms(node, builder: _Builder, where: str, code=None, kind: str = "term") -> dict[str, list[str]]:
    import yaml

    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        builder.error(_line(node), f"{where}: must map languages to lists of terms, e.g. zh: [产学研]")
        return {}
    result = {}
    for key, value in node.value:
        lang = key.value
        if not LANG_PATTERN.match(lang):
            builder.error(_line(key), f"{where}: '{lang}' is not an ISO 639-1 language code (zh, en, de …) or 'any'")
            continue
        if not isinstance(value, yaml.SequenceNode):
            builder.error(_line(value), f"{where}.{lang}: must be a list of terms")
            continue
        terms = []
        for item in value.value:
            term = _check_term(builder, _value(item), _line(item), f"{where}.{lang}")
            if term is not None:
                terms.append(term)
                builder.lines.setdefault((kind, code, lang, term), _line(item))
        result[lang] = terms
    return result


# --- quanteda YAML dictionaries ---------------------------------------------------


def _read_quanteda(node, builder: _Builder, prefix: str, default_lang: str) -> None:
    """quanteda dictionaries map keys to term lists or to nested dictionaries."""
    import yaml

    for key, value in node.value:
        code = f"{prefix}.{key.value}" if prefix else str(key.value)
        code = re.sub(r"[^A-Za-z0-9_.]", "_", code)
        if isinstance(value, yaml.MappingNode):
            _read_quanteda(value, builder, code, default_lang)
        elif isinstance(value, yaml.SequenceNode):
            terms: dict[str, list[str]] = {}
            for item in value.value:
                term = _check_term(builder, _value(item), _line(item), code)
                if term is not None:
                    terms.setdefault(_lang_of_term(term, default_lang), []).append(term)
            builder.add_category(code, _line(key), {}, terms)
        else:
            builder.error(_line(value), f"{code}: expected a list of terms or a nested dictionary")


def _lang_of_term(term: str, default_lang: str) -> str:
    return "zh" if HAN_CHAR.search(term) else default_lang


def _scheme_from_path(path: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]", "", Path(path).stem)
    return stem if stem and stem[0].isalpha() else f"lexicon{stem}"


# --- LIWC .dic ---------------------------------------------------------------------


def _read_liwc(text: str, path: str, scheme, default_lang) -> _Builder:
    """LIWC dictionaries: a header of ``number<TAB>category`` between ``%`` lines, then ``term<TAB>numbers``."""
    builder = _Builder(path, scheme or _scheme_from_path(path))
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        builder.error(1, "not a LIWC dictionary: the category header must sit between two lines holding only '%'")
        return builder
    categories: dict[str, tuple[str, int]] = {}
    for i in range(marks[0] + 1, marks[1]):
        parts = lines[i].split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[0].isdigit():
            builder.error(i + 1, f"header line must be 'number<TAB>category', got {lines[i]!r}")
            continue
        categories[parts[0]] = (re.sub(r"[^A-Za-z0-9_.]", "_", parts[1]), i + 1)
    terms: dict[str, dict[str, list[str]]] = {num: {} for num in categories}
    for i in range(marks[1] + 1, len(lines)):
        _read_liwc_entry(lines[i], i + 1, categories, terms, builder, default_lang)
    for num, (code, line) in categories.items():
        builder.add_category(code, line, {}, terms[num])
    return builder


def _read_liwc_entry(raw, line, categories, terms, builder, default_lang) -> None:
    if not raw.strip():
        return
    if "\t" in raw:  # term<TAB>numbers separated by tabs or spaces; the term may hold spaces
        word, _, rest = raw.partition("\t")
        numbers = rest.split()
    else:
        tokens = raw.split()
        split = len(tokens)
        while split > 1 and tokens[split - 1].isdigit():
            split -= 1
        word, numbers = " ".join(tokens[:split]), tokens[split:]
    word = word.strip()
    if "(" in raw or "<" in raw:
        builder.error(line, f"LIWC context rules such as {raw.strip()!r} are not supported; write the phrase as a term")
        return
    if not numbers or not all(n.strip().isdigit() for n in numbers):
        builder.error(line, f"entry must be 'term<TAB>category numbers', got {raw.strip()!r}")
        return
    term = _check_term(builder, word, line, "entry")
    if term is None:
        return
    for number in numbers:
        number = number.strip()
        if number not in categories:
            builder.error(line, f"'{term}' refers to category {number}, which the header does not define")
            continue
        terms[number].setdefault(_lang_of_term(term, default_lang), []).append(term)


# --- extensions (`extends: pentagon`) ----------------------------------------------
# Lexicon files that extend a loaded scheme (``extends: pentagon``) instead of defining one.
#
# An extension lists categories like any lexicon. A category whose code the scheme has adds
# its terms and exclusions to that code; any other category is a new code of the scheme.
# The merged lexicon is what every command uses, and what `lexicon check` checks: a term
# the scheme already has, a term of another code (unless a file declares the pair in
# ``overlaps:``) and an exclusion matching none of the code's terms are reported at the
# extension's line.


def apply_extensions(lexicons: Sequence[Lexicon]) -> tuple[list[Lexicon], list[Problem]]:
    """The lexicons with every extension merged into the lexicon of its scheme, and the problems found (warnings too)."""
    merged = [lexicon for lexicon in lexicons if not lexicon.extends]
    problems: list[Problem] = []
    for extension in (lexicon for lexicon in lexicons if lexicon.extends):
        index = next((i for i, l in enumerate(merged) if l.scheme == extension.extends), None)
        if index is None:
            loaded = ", ".join(l.scheme for l in merged) or "none"
            problems.append(Problem(extension.path, 1, f"extends: {extension.extends}, but no lexicon of scheme "
                                    f"'{extension.extends}' is loaded (loaded: {loaded})"))
            continue
        merged[index], found = merge(merged[index], extension)
        problems += found
    return merged, problems


def merge(base: Lexicon, extension: Lexicon) -> tuple[Lexicon, list[Problem]]:
    """``base`` with the categories of ``extension`` added; problems carry the extension's lines."""
    problems: list[Problem] = []
    overlaps = base.overlaps | extension.overlaps
    owners = {(lang, _term_key(t)): c.code for c in base.categories for lang, terms in c.terms.items() for t in terms}
    categories = {c.code: c for c in base.categories}
    groups = {**base.groups, **extension.groups}

    def warn(key, message):
        problems.append(Problem(extension.path, extension.lines.get(key), message, "warning"))

    for added in extension.categories:
        code = added.code
        existing = categories.get(code)
        if existing is None and "." in code and groups and code_group(code) not in groups:
            problems.append(Problem(extension.path, extension.lines.get(("code", code)),
                                    f"new code {code}: group {code_group(code)} is not in the groups of {base.scheme}"))
            continue
        for lang, terms in added.terms.items():
            for term in terms:
                owner = owners.get((lang, _term_key(term)))
                key = ("term", code, lang, term)
                if owner == code:
                    warn(key, f"term '{term}' ({lang}) is already in {base.scheme}:{code}")
                elif owner and frozenset((owner, code)) not in overlaps:
                    warn(key, f"term '{term}' ({lang}) is also in {base.scheme}:{owner}; if that is on purpose, declare it: "
                              f"overlaps: [[{owner}, {code}]]")
                elif HAN_CHAR.search(term) and len(term) == 1:
                    warn(key, f"one-character term '{term}' in {code} matches inside many words")
                owners.setdefault((lang, _term_key(term)), code)
        combined = _combine(existing, added) if existing else added
        if existing and added.names:
            warn(("code", code), f"{code} is a code of {base.scheme}: its name is kept; 'name' here is ignored")
        if not existing and not any(combined.terms.values()):
            warn(("code", code), f"code {code} has no terms: it will never be assigned by the lexicon")
        for lang, phrases in added.exclude.items():
            for phrase in phrases:
                if not excludes_something(phrase, lang, combined.terms):
                    warn(("exclude", code, lang, phrase),
                         f"exclusion '{phrase}' of {code} contains none of its {lang} terms, so it excludes nothing")
        categories[code] = combined
    merged = replace(base, categories=tuple(categories.values()), groups=groups, overlaps=overlaps,
                     extended_by=(*base.extended_by, (extension.path, extension.sha256)),
                     policy_cues=_union(base.policy_cues, extension.policy_cues))
    return merged, problems


def _combine(existing: Category, added: Category) -> Category:
    return replace(existing, terms=_union(existing.terms, added.terms), exclude=_union(existing.exclude, added.exclude),
                   policy_only=_union(existing.policy_only, added.policy_only))


def _union(first: Mapping, second: Mapping) -> dict[str, tuple[str, ...]]:
    """Terms per language of both, in order, without repeats."""
    return {lang: tuple(dict.fromkeys([*first.get(lang, ()), *second.get(lang, ())])) for lang in {**first, **second}}


# --- writing -------------------------------------------------------------------------


def lexicon_to_yaml(lexicon: Lexicon) -> str:
    """The lexicon in the native YAML format (used by `textmine lexicon import`)."""
    import yaml

    data: dict[str, Any] = {"scheme": lexicon.scheme, "version": lexicon.version}
    if lexicon.description:
        data["description"] = lexicon.description
    data["languages"] = [lang for lang in lexicon.languages]
    if lexicon.roles:
        data["roles"] = list(lexicon.roles)
    if lexicon.groups:
        data["groups"] = {k: dict(v) for k, v in lexicon.groups.items()}
    data["categories"] = []
    for category in lexicon.categories:
        entry: dict[str, Any] = {"code": category.code}
        if category.names:
            entry["name"] = dict(category.names)
        entry["terms"] = {lang: list(items) for lang, items in category.terms.items()}
        if category.exclude:
            entry["exclude"] = {lang: list(items) for lang, items in category.exclude.items()}
        if category.policy_only:
            entry["policy_only"] = {lang: list(items) for lang, items in category.policy_only.items()}
        data["categories"].append(entry)
    if lexicon.policy_cues:
        data["policy_cues"] = {lang: list(items) for lang, items in lexicon.policy_cues.items()}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
