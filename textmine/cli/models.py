"""`textmine train`, `evaluate`, `agree`, `suggest`: classifiers from hand-coded units, and reliability."""

from __future__ import annotations

from pathlib import Path

import click

from textmine.cli.app import cli
from textmine.core.constants import MODES
from textmine.cli.options import lexicon_option, no_default_lexicons_option, verbose_option

folds_option = click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds (grouped by document).")
seed_option = click.option("--seed", default=0, show_default=True, type=int, help="Seed of folds and classifiers (same seed, same model bytes).")


def _lexicons(lexicons, no_default_lexicons):
    from textmine.coding.lexicon import resolve_lexicons

    return resolve_lexicons(lexicons, not no_default_lexicons)


FEW_DOCUMENTS = 10
resamples_option = click.option("--resamples", default=1000, show_default=True, type=click.IntRange(100),
                                 help="Bootstrap resamples of documents behind the 95% intervals (seed: --seed).")


@cli.command("train")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--scheme", required=True, help="Scheme to learn (pentagon, instrument, or one of your lexicons).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Model file to write (NAME.skops); its card goes to NAME.card.json.")
@click.option("--min-examples", default=3, show_default=True, type=click.IntRange(1), help="Refuse codes with fewer hand-coded units than this.")
@folds_option
@seed_option
@resamples_option
@lexicon_option
@no_default_lexicons_option
@verbose_option
def train_command(gold, scheme, out, min_examples, folds, seed, resamples, lexicons, no_default_lexicons):
    """Learn a classifier of SCHEME from the hand-coded units in GOLD (one or more files); print its cross-validated scores.

    GOLD is JSON lines with code lists (text, pentagon: [...], instrument:
    [...]) or a spreadsheet (.csv/.xlsx) with a text column and 0/1 columns
    <scheme>_<CODE>; a doc_id (or doc) column keeps documents together in the
    grouped cross-validation (across files too). Writes the model (skops) and
    its card (NAME.card.json: data hash, thresholds, cross-validated scores).
    """
    from textmine.coding.learning import train

    trained = train(gold, scheme, out, _lexicons(lexicons, no_default_lexicons), folds, seed, min_examples, resamples)
    _print_evaluation(trained.evaluation, None)
    click.echo(f"\nmodel -> {trained.model_path}; card -> {trained.card_path}", err=True)


@cli.command("evaluate")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--scheme", "schemes", multiple=True, help="Scheme(s) to score (default: every scheme in GOLD).")
@click.option("--model", "models", multiple=True, type=click.Path(dir_okay=False),
              help="Score this trained model (file or shipped name) on GOLD as held-out data instead of cross-validating.")
@click.option("--mode", type=click.Choice(MODES), default=None, help="Show only this mode (default: all three).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the per-code scores to a table (.csv, .xlsx, .parquet).")
@click.option("--learning-curve", "curve", is_flag=True,
              help="Also score models trained on 100, 200, 400, 800 and all hand-coded units (whole documents); table and figure.")
@click.option("--sizes", default="100,200,400,800", show_default=True, help="Training sizes of --learning-curve (all units are added).")
@click.option("--figure", "figure", default="learning_curve.png", show_default=True, type=click.Path(dir_okay=False),
              help="Where --learning-curve draws its figure (.png, .svg, .pdf); its table goes beside it (.csv).")
@folds_option
@seed_option
@resamples_option
@lexicon_option
@no_default_lexicons_option
@verbose_option
def evaluate_command(gold, schemes, models, mode, out, curve, sizes, figure, folds, seed, resamples, lexicons, no_default_lexicons):
    """Per-language and per-code precision, recall, F1 and Cohen's kappa of lexicon, model and hybrid coding against GOLD.

    GOLD is one or more hand-coded files, scored together (units of one
    document are one group, whichever file they are in). Without --model:
    grouped stratified k-fold cross-validation (units of one document are
    never in both training and test). With --model: the trained model codes
    GOLD as held-out data. Micro-F1 and mean kappa come with 95% intervals by
    bootstrap over documents.
    """
    from textmine.coding.learning import evaluate, write_evaluations
    from textmine.core.errors import InputError

    steps = _sizes(sizes)
    loaded = _lexicons(lexicons, no_default_lexicons)
    if curve:  # refuse what cannot be grouped before the long cross-validation
        from textmine.analysis.learning_curve import require_documents
        from textmine.coding.golds import read_golds

        if models:
            raise InputError("--learning-curve trains its own models: leave out --model")
        require_documents(read_golds(gold, loaded, list(schemes) or None))
    evaluations = evaluate(gold, loaded, schemes, models, folds, seed, resamples)
    for evaluation in evaluations:
        _print_evaluation(evaluation, mode)
    if out:
        write_evaluations(evaluations, out)
        click.echo(f"scores -> {out}", err=True)
    if curve:
        _learning_curve(gold, loaded, schemes, steps, folds, seed, resamples, figure, mode)


def _sizes(text: str) -> list[int]:
    from textmine.core.errors import InputError

    try:
        sizes = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise InputError(f"--sizes {text!r}: give whole numbers of units separated by commas, e.g. 100,200,400,800")
    return sizes


def _learning_curve(gold, lexicons, schemes, sizes, folds, seed, resamples, figure, only_mode) -> None:
    from textmine.analysis.learning_curve import curves, write_curve

    curve = curves(gold, lexicons, schemes, sizes, folds, seed, resamples)
    shown = curve if not only_mode else curve[curve["mode"] == only_mode]
    click.secho(f"\nlearning curve: grouped {folds}-fold cross-validation, training units sampled by whole documents; "
                f"micro-F1 / mean kappa by training units (95% intervals in the table written)", bold=True)
    for scheme, part in shown.groupby("scheme", sort=False):
        sizes_ = list(dict.fromkeys(part["size"]))
        units = part.drop_duplicates("size").set_index("size")["training_units"]
        heads = "".join(f" {(size if size != 'all' else f'all={units[size]}'):>12}" for size in sizes_)
        click.echo(f"\n{str(scheme)}\n  {'mode':8} {'lang':4}{heads}")
        for (mode, lang), line in part.groupby(["mode", "lang"], sort=False):
            cells = "".join(f" {f1:5.3f}/{kappa:6.3f}" for f1, kappa in zip(line["micro_f1"], line["kappa"]))
            click.echo(f"  {mode:8} {lang:4}{cells}")
    table = write_curve(curve, figure)
    click.echo(f"learning curve -> {figure}, {table}", err=True)


def _print_evaluation(evaluation, only_mode) -> None:
    modes = [only_mode] if only_mode else list(evaluation.reports)
    click.secho(f"{evaluation.scheme}: {evaluation.method}; {evaluation.units} units, {evaluation.documents} documents"
                f" (grouped by {evaluation.grouping})", bold=True)
    for note in evaluation.notes:
        click.secho(f"note: {note}", fg="yellow")
    if evaluation.resamples:
        click.echo(f"[95% interval]: {evaluation.resamples} bootstrap resamples of documents")
    click.echo(f"{'mode':8} {'lang':4} {'units':>5} {'docs':>4} {'micro-F1':>8} {'[95% CI]':>13} {'macro-F1':>8} {'kappa':>6} {'[95% CI]':>13}")
    for mode in modes:
        for lang, report in evaluation.reports[mode].items():
            scored = evaluation.scored.get(mode, {}).get(lang)
            docs = f"{scored.documents:4d}" if scored else f"{'':4}"
            f1_ci, kappa_ci = (str(scored.micro_f1), str(scored.kappa)) if scored else ("", "")
            click.echo(f"{mode:8} {lang:4} {report.n_units:5d} {docs} {report.micro_f1:8.3f} {f1_ci:>13} {report.macro_f1:8.3f}"
                       f" {report.mean_kappa:6.3f} {kappa_ci:>13}")
    few = sorted({lang for by_lang in evaluation.scored.values() for lang, s in by_lang.items() if s.documents < FEW_DOCUMENTS})
    if few:
        click.secho(f"note: {', '.join(few)}: fewer than {FEW_DOCUMENTS} documents; an interval over so few documents is rough "
                    "(it cannot show how other documents would differ)", fg="yellow")
    for mode in modes:
        by_lang = evaluation.reports[mode]
        langs = [lang for lang in by_lang if lang != "all"]
        report = by_lang["all"]
        extra = "".join(f" {'F1 ' + lang:>7} {'κ ' + lang:>6}" for lang in langs)
        click.echo(f"\n{mode}, per code (all languages, then each):\n  {'code':14} {'P':>5} {'R':>5} {'F1':>5} {'kappa':>6} {'support':>7} {'pred':>5}{extra}")
        for code, s in report.per_code.items():
            per_lang = "".join(f" {by_lang[lang].per_code[code].f1:7.2f} {by_lang[lang].per_code[code].kappa:6.2f}" for lang in langs)
            click.echo(f"  {code:14} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {s.kappa:6.2f} {s.support:7d} {s.predicted:5d}{per_lang}")
        click.echo(f"  {'micro':14} {report.micro_precision:5.2f} {report.micro_recall:5.2f} {report.micro_f1:5.2f}")
    click.echo("")


@cli.command("agree")
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option("--scheme", "schemes", multiple=True, help="Scheme(s) to compare (default: every scheme both files hold).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the agreement report (.xlsx: per_code, overall, disagreements, unmatched, files).")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def agree_command(a, b, schemes, out, lexicons, no_default_lexicons):
    """Agreement between two codings A and B of the same units, joined on unit_id.

    Per code: percent agreement, Cohen's kappa, Krippendorff's alpha (nominal)
    and precision/recall/F1 taking A as the reference; overall figures; every
    disagreement with its text (in --out). Units in only one file are counted
    and listed, not dropped silently. A and B are hand-coded files in either
    form, or coded_units.csv of `textmine run`.
    """
    from textmine.coding.learning import agree, write_agreement

    result = agree(a, b, _lexicons(lexicons, no_default_lexicons), schemes)
    click.echo(f"A: {a} ({len(result.a)} units)  B: {b} ({len(result.b)} units)  compared: {len(result.shared)} units in both")
    if result.only_a or result.only_b:
        click.secho(f"not compared: {len(result.only_a)} units only in A, {len(result.only_b)} only in B"
                    + (f" (e.g. {', '.join((result.only_a + result.only_b)[:3])})"), fg="yellow")
    if result.different_texts:
        click.secho(f"warning: {result.different_texts} units have different texts in A and B: are the unit ids the same units?", fg="yellow")
    for scheme, report in result.reports.items():
        click.echo(f"\n{scheme} (P, R, F1 take A as the reference)")
        click.echo(f"  {'code':14} {'A':>4} {'B':>4} {'both':>5} {'agree%':>7} {'kappa':>6} {'alpha':>6} {'P':>5} {'R':>5} {'F1':>5}")
        for code, s in report.per_code.items():
            click.echo(f"  {code:14} {s.a_count:4d} {s.b_count:4d} {s.both:5d} {100 * s.percent:7.1f} {s.kappa:6.2f} {s.alpha:6.2f}"
                       f" {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}")
        o = report.overall()
        click.echo(f"  overall: agreement {100 * o['percent agreement']:.1f}%, exact match {100 * o['exact match']:.1f}% of units, "
                   f"mean kappa {o['mean kappa']:.3f}, alpha {o['alpha (pooled)']:.3f} (pooled; mean {o['mean alpha']:.3f}), "
                   f"micro-F1 {o['micro-F1']:.3f}, macro-F1 {o['macro-F1']:.3f}")
    click.echo(f"\n{len(result.disagreements)} disagreements (unit, code)" + (f" -> {out}" if out else "; --out agreement.xlsx lists them"))
    if out:
        write_agreement(result, out)


@cli.command("suggest")
@click.argument("coded", type=click.Path(dir_okay=False))
@click.option("--n", "n", default=50, show_default=True, type=click.IntRange(1), help="How many units to suggest.")
@click.option("--model", "models", multiple=True, type=click.Path(dir_okay=False), help="Model(s) to ask (default: the shipped ones).")
@click.option("--out", default="suggestions.xlsx", show_default=True, type=click.Path(dir_okay=False), help="Spreadsheet to write (.xlsx or .csv).")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def suggest_command(coded, n, models, out, lexicons, no_default_lexicons):
    """List the units of CODED most worth hand-coding next, as a spreadsheet ready to code.

    CODED is a table of units with a text column (coded_units.csv of `textmine
    run`, or any table). The units whose probability lies nearest a code's
    threshold come first (the model is least sure: it learns faster from
    these than from random units, benchmarks/suggest_curve.py); the reason
    says where lexicon and model disagree. The <scheme>_<CODE> columns are
    left empty for the coder (then `textmine train` reads it).
    """
    from textmine.coding.learning import suggest
    from textmine.core.export import write_table

    frame = suggest(coded, _lexicons(lexicons, no_default_lexicons), models, n)
    write_table(frame, out)
    for row in frame.head(10).itertuples():
        click.echo(f"{row.unit_id:>14}  {row.reason[:90]}")
    more = " (first 10 shown)" if len(frame) > 10 else ""
    click.echo(f"{len(frame)} units to code{more} -> {Path(out)}", err=True)
