"""How well do the shipped lexicons reproduce the hand-coded gold units?

Tags every unit of ``<repo>/../shared/gold/dev-units.jsonl`` with the shipped
lexicons (a unit carries a code when at least one term of that code matches)
and compares the result with the gold codes, per language (zh, en, all):

* pentagon codes (NET, INN, ORG, TRU, EXC);
* instrument types (SUP, ENV, DEM: a unit carries a type when it carries any
  of its sub-codes), and the instrument sub-codes as detail.

For each code it prints precision, recall, F1, Cohen's kappa and support, and
for each scheme micro-F1, macro-F1 and mean kappa (``textmine.coding.reliability``).
Then, to guide a scholar revising the lexicons, the terms behind the false
positives and the worst errors per code: false positives with the matched
terms in context (most matches first), false negatives (gold confidence
"high" first).

    python benchmarks/lexicon_quality.py                 # all of it
    python benchmarks/lexicon_quality.py --lang zh --errors 3
    python benchmarks/lexicon_quality.py --json figures.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from textmine.coding.lexicon import code_group, load_lexicons  # noqa: E402
from textmine.coding.reliability import MultiLabelReport, multilabel_report  # noqa: E402
from textmine.coding.tag import Tagger  # noqa: E402

GOLD = REPO.parent / "shared" / "gold" / "dev-units.jsonl"
LANGS = ("zh", "en", "all")
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class GoldUnit:
    unit_id: str
    lang: str
    text: str
    gold: dict[str, set[str]]  # view name -> gold codes
    confidence: str = ""
    pred: dict[str, set[str]] = field(default_factory=dict)  # view name -> predicted codes
    hits: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # code -> (term, start, end)


def load_gold(path: Path) -> list[GoldUnit]:
    units = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            instrument = set(row.get("instrument") or ())
            units.append(
                GoldUnit(
                    unit_id=row["unit_id"],
                    lang=row["lang"],
                    text=row["text"],
                    confidence=row.get("confidence") or "",
                    gold={
                        "pentagon": set(row.get("pentagon") or ()),
                        "instrument types": {code_group(c) for c in instrument},
                        "instrument sub-codes": instrument,
                    },
                )
            )
    return units


def views(lexicons) -> dict[str, list[str]]:
    """The code lists scored: pentagon codes, instrument types and sub-codes."""
    by_scheme = {lexicon.scheme: lexicon for lexicon in lexicons}
    instrument = by_scheme["instrument"]
    return {
        "pentagon": by_scheme["pentagon"].codes,
        "instrument types": list(dict.fromkeys(code_group(c) for c in instrument.codes)),
        "instrument sub-codes": instrument.codes,
    }


def tag(units: list[GoldUnit], lexicons) -> None:
    """Fill ``pred`` and ``hits`` of every unit from the lexicon matches."""
    matches = Tagger(lexicons).match_texts([u.text for u in units], [u.lang for u in units])
    for unit, found in zip(units, matches):
        codes: dict[str, set[str]] = defaultdict(set)
        for match in found:
            pattern = match.pattern
            codes[pattern.scheme].add(pattern.code)
            unit.hits.setdefault(pattern.code, []).append((pattern.term, match.start, match.end))
        instrument = codes.get("instrument", set())
        unit.pred = {
            "pentagon": codes.get("pentagon", set()),
            "instrument types": {code_group(c) for c in instrument},
            "instrument sub-codes": instrument,
        }


def hits_of(unit: GoldUnit, view: str, code: str) -> list[tuple[str, int, int]]:
    if view == "instrument types":
        return [h for c, hs in unit.hits.items() if "." in c and code_group(c) == code for h in hs]
    return unit.hits.get(code, [])


def evaluate(units: list[GoldUnit], code_lists: dict[str, list[str]]) -> dict[str, dict[str, MultiLabelReport]]:
    results: dict[str, dict[str, MultiLabelReport]] = {}
    for lang in LANGS:
        subset = [u for u in units if lang == "all" or u.lang == lang]
        results[lang] = {
            view: multilabel_report([u.gold[view] for u in subset], [u.pred[view] for u in subset], codes)
            for view, codes in code_lists.items()
        }
    return results


# --- printing -------------------------------------------------------------------------


def print_scores(results: dict[str, dict[str, MultiLabelReport]], langs) -> None:
    for lang in langs:
        reports = results[lang]
        n = next(iter(reports.values())).n_units
        print(f"\n=== {lang}: {n} units ===")
        for view, report in reports.items():
            print(f"\n{view:<22} {'P':>6} {'R':>6} {'F1':>6} {'kappa':>6} {'support':>8} {'pred':>6}")
            for code, s in report.per_code.items():
                print(
                    f"  {code:<20} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.kappa:6.2f} {s.support:8d} {s.predicted:6d}"
                )
            print(
                f"  micro-F1 {report.micro_f1:.3f} (P {report.micro_precision:.2f}, R {report.micro_recall:.2f})"
                f"   macro-F1 {report.macro_f1:.3f}   mean kappa {report.mean_kappa:.3f}"
            )


def kwic(text: str, start: int, end: int, width: int = 18) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def term_counts(units, view: str, code: str) -> tuple[Counter, Counter]:
    """Per term: units where it fired for ``code`` and the gold agrees (tp) or not (fp)."""
    tp, fp = Counter(), Counter()
    for unit in units:
        terms = {term for term, _, _ in hits_of(unit, view, code)}
        target = tp if code in unit.gold[view] else fp
        target.update(terms)
    return tp, fp


def print_errors(units: list[GoldUnit], code_lists, view_names, n_examples: int) -> None:
    for view in view_names:
        print(f"\n##### errors: {view} #####")
        for code in code_lists[view]:
            fps = [u for u in units if code in u.pred[view] and code not in u.gold[view]]
            fns = [u for u in units if code in u.gold[view] and code not in u.pred[view]]
            print(f"\n--- {code}: {len(fps)} false positives, {len(fns)} false negatives ---")
            tp, fp = term_counts(units, view, code)
            if fp:
                worst = ", ".join(f"{t} ({n} FP / {tp[t]} TP)" for t, n in fp.most_common(12))
                print(f"  terms behind false positives: {worst}")
            fps.sort(key=lambda u: -len(hits_of(u, view, code)))
            for unit in fps[:n_examples]:
                hits = hits_of(unit, view, code)
                contexts = "  ".join(kwic(unit.text, s, e) for _, s, e in hits[:2])
                print(f"  FP {unit.unit_id} ({len(hits)} matches): {contexts}")
            fns.sort(key=lambda u: (CONFIDENCE_RANK.get(u.confidence, 3), len(u.text)))
            for unit in fns[:n_examples]:
                other = sorted(unit.pred[view])
                snippet = " ".join(unit.text.split())[:110]
                print(f"  FN {unit.unit_id} [{unit.confidence}] (predicted {other or 'nothing'}): {snippet}")


def figures(results, units: list[GoldUnit], lexicons) -> dict:
    return {
        "gold": str(GOLD),
        "lexicons": {lex.scheme: {"path": lex.path, "sha256": lex.sha256, "version": lex.version} for lex in lexicons},
        "results": {lang: {view: report.as_dict() for view, report in reports.items()} for lang, reports in results.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold units (JSON lines)")
    parser.add_argument("--lang", choices=LANGS, action="append", help="only these languages (repeatable)")
    parser.add_argument("--errors", type=int, default=5, metavar="N", help="error examples per code (0: none)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="save the figures as JSON")
    args = parser.parse_args(argv)

    if not args.gold.is_file():
        print(f"gold units not found: {args.gold}\n(expected the shared folder next to the repository: <repo>/../shared)", file=sys.stderr)
        return 2
    lexicons = load_lexicons()
    code_lists = views(lexicons)
    units = load_gold(args.gold)
    tag(units, lexicons)
    results = evaluate(units, code_lists)
    langs = args.lang or list(LANGS)
    print(f"lexicons: {', '.join(f'{lex.scheme} ({Path(lex.path).name})' for lex in lexicons)}; gold: {args.gold}")
    print_scores(results, langs)
    if args.errors:
        error_units = [u for u in units if "all" in langs or u.lang in langs]
        print_errors(error_units, code_lists, ["pentagon", "instrument types", "instrument sub-codes"], args.errors)
    if args.json:
        args.json.write_text(json.dumps(figures(results, units, lexicons), indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nfigures saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
