"""How well do the shipped lexicons reproduce the hand-coded gold units, document by document?

Tags every unit of ``<repo>/../shared/gold/dev-units.jsonl`` and ``train-units.jsonl`` with the
shipped lexicons (a unit carries a code when at least one term of that code matches) and
compares the result with the gold codes, per language (zh, en, all), separately for

* the documents the lexicons were tuned on, labelled **in-sample** (optimistic): by default
  every gold document outside ``benchmarks/heldout_documents.txt`` (the lexicon revision of
  issue 8 looked at all of them; ``--tuned-on dev-units.jsonl`` for the lexicons revised on
  the dev file only);
* the documents of ``benchmarks/heldout_documents.txt``, which no tuning looked at
  (out-of-sample; look at the figures, never at their errors).

Micro-F1 and mean kappa come with 95% intervals by bootstrap over documents (1,000 resamples
of documents with replacement, seed 0; ``textmine.coding.evaluation``). Scored:

* pentagon codes (NET, INN, ORG, TRU, EXC);
* instrument types (SUP, ENV, DEM: a unit carries a type when it carries any
  of its sub-codes), and the instrument sub-codes as detail.

For each code it prints precision, recall, F1, Cohen's kappa and support, and
for each scheme micro-F1, macro-F1 and mean kappa (``textmine.coding.reliability``).
Then, to guide a scholar revising the lexicons, the terms behind the false
positives and the worst errors per code: false positives with the matched
terms in context (most matches first), false negatives (gold confidence
"high" first) — of the in-sample documents only, so that nobody tunes on the
held-out ones.

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

import numpy as np  # noqa: E402

from textmine.coding.evaluation import bootstrap, document_counts  # noqa: E402
from textmine.coding.lexicon import code_group, load_lexicons  # noqa: E402
from textmine.coding.reliability import multilabel_report  # noqa: E402
from textmine.coding.tag import Tagger  # noqa: E402

GOLDS = [REPO.parent / "shared" / "gold" / name for name in ("dev-units.jsonl", "train-units.jsonl")]
HELDOUT = REPO / "benchmarks" / "heldout_documents.txt"
LANGS = ("zh", "en", "all")
SUBSETS = ("in-sample", "held-out")
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class GoldUnit:
    unit_id: str
    lang: str
    text: str
    gold: dict[str, set[str]]  # view name -> gold codes
    confidence: str = ""
    document: str = ""
    file: str = ""
    pred: dict[str, set[str]] = field(default_factory=dict)  # view name -> predicted codes
    hits: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # code -> (term, start, end)


def heldout_documents() -> set[str]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def subset_of(unit: GoldUnit, heldout: set[str], tuned_on: set[str]) -> str | None:
    """"held-out", "in-sample" (a document the lexicons were tuned on) or None (neither: left out)."""
    if unit.document in heldout or unit.document.split("#")[0] in heldout:
        return "held-out"
    return "in-sample" if unit.file in tuned_on else None


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
                    document=str(row.get("doc") or row["unit_id"]) + (f"#{row['record']}" if row.get("record") is not None else ""),
                    file=path.name,
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


def intervals(units: list[GoldUnit], view: str, codes: list[str]):
    """95% intervals of micro-F1 and mean kappa by bootstrap over the documents of ``units``."""
    gold = np.array([[c in u.gold[view] for c in codes] for u in units], dtype=bool).reshape(len(units), len(codes))
    pred = np.array([[c in u.pred[view] for c in codes] for u in units], dtype=bool).reshape(len(units), len(codes))
    counts = document_counts(gold, pred, [u.document for u in units])
    return counts.shape[0], *bootstrap(counts)


def evaluate(units: list[GoldUnit], code_lists: dict[str, list[str]]) -> dict[str, dict[str, tuple]]:
    """lang -> view -> (report, documents, micro-F1 interval, kappa interval)."""
    results: dict[str, dict[str, tuple]] = {}
    for lang in LANGS:
        subset = [u for u in units if lang == "all" or u.lang == lang]
        if not subset:
            continue
        results[lang] = {
            view: (multilabel_report([u.gold[view] for u in subset], [u.pred[view] for u in subset], codes),
                   *intervals(subset, view, codes))
            for view, codes in code_lists.items()
        }
    return results


# --- printing -------------------------------------------------------------------------


def print_summary(by_subset: dict, langs) -> None:
    print("\nsummary: micro-F1 [95% interval] / mean kappa [95% interval], bootstrap over documents")
    print(f"  {'subset':10} {'lang':4} {'docs':>4} {'units':>5}  " + "  ".join(f"{view:>38}" for view in next(iter(by_subset.values()))["all"]))
    for subset, results in by_subset.items():
        for lang in langs:
            if lang not in results:
                continue
            report0, documents = next(iter(results[lang].values()))[:2]  # the same units and documents in every view
            cells = []
            for report, _, f1_ci, kappa_ci in results[lang].values():
                cells.append(f"{report.micro_f1:.3f} {f1_ci} / {report.mean_kappa:.3f} {kappa_ci}")
            print(f"  {subset:10} {lang:4} {documents:4d} {report0.n_units:5d}  " + "  ".join(f"{c:>38}" for c in cells))


def print_scores(results: dict[str, dict[str, tuple]], langs, label: str) -> None:
    for lang in langs:
        if lang not in results:
            continue
        reports = results[lang]
        report0, documents = next(iter(reports.values()))[:2]
        print(f"\n=== {label}, {lang}: {report0.n_units} units, {documents} documents ===")
        for view, (report, _, f1_ci, kappa_ci) in reports.items():
            print(f"\n{view:<22} {'P':>6} {'R':>6} {'F1':>6} {'kappa':>6} {'support':>8} {'pred':>6}")
            for code, s in report.per_code.items():
                print(
                    f"  {code:<20} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.kappa:6.2f} {s.support:8d} {s.predicted:6d}"
                )
            print(
                f"  micro-F1 {report.micro_f1:.3f} {f1_ci} (P {report.micro_precision:.2f}, R {report.micro_recall:.2f})"
                f"   macro-F1 {report.macro_f1:.3f}   mean kappa {report.mean_kappa:.3f} {kappa_ci}"
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


def figures(by_subset, golds, lexicons) -> dict:
    def entry(report, documents, f1_ci, kappa_ci):
        return {**report.as_dict(), "documents": documents, "micro_f1_95": [f1_ci.low, f1_ci.high],
                "mean_kappa_95": [kappa_ci.low, kappa_ci.high]}

    return {
        "gold": [str(g) for g in golds],
        "lexicons": {lex.scheme: {"path": lex.path, "sha256": lex.sha256, "version": lex.version} for lex in lexicons},
        "results": {subset: {lang: {view: entry(*scored) for view, scored in reports.items()} for lang, reports in results.items()}
                    for subset, results in by_subset.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, action="append", help="gold units (JSON lines; repeatable); default: dev + train")
    parser.add_argument("--tuned-on", action="append", metavar="FILE",
                        help="name of a gold file whose documents (outside the held-out list) the lexicons were tuned on; default: all")
    parser.add_argument("--lang", choices=LANGS, action="append", help="only these languages (repeatable)")
    parser.add_argument("--errors", type=int, default=5, metavar="N", help="error examples per code, in-sample documents only (0: none)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="save the figures as JSON")
    args = parser.parse_args(argv)

    golds = args.gold or GOLDS
    missing = [g for g in golds if not g.is_file()]
    if missing:
        print(f"gold units not found: {missing[0]}\n(expected the shared folder next to the repository: <repo>/../shared)", file=sys.stderr)
        return 2
    lexicons = load_lexicons()
    code_lists = views(lexicons)
    units = [unit for gold in golds for unit in load_gold(gold)]
    tag(units, lexicons)
    heldout, tuned_on = heldout_documents(), set(args.tuned_on or [g.name for g in golds])
    parts = {name: [u for u in units if subset_of(u, heldout, tuned_on) == name] for name in SUBSETS}
    by_subset = {name: evaluate(part, code_lists) for name, part in parts.items() if part}
    langs = args.lang or list(LANGS)
    print(f"lexicons: {', '.join(f'{lex.scheme} ({Path(lex.path).name}, version {lex.version})' for lex in lexicons)}")
    print(f"gold: {', '.join(g.name for g in golds)}; in-sample: documents of {', '.join(sorted(tuned_on))} outside "
          f"{HELDOUT.name} (the lexicons were tuned on them: optimistic); held-out: the {len(heldout)} documents of {HELDOUT.name}")
    print_summary(by_subset, langs)
    for subset, results in by_subset.items():
        print_scores(results, langs, subset)
    if args.errors and parts["in-sample"]:
        error_units = [u for u in parts["in-sample"] if "all" in langs or u.lang in langs]
        print_errors(error_units, code_lists, ["pentagon", "instrument types", "instrument sub-codes"], args.errors)
    if args.json:
        args.json.write_text(json.dumps(figures(by_subset, golds, lexicons), indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nfigures saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
