"""`textmine train`, `evaluate`, `agree`, `suggest`: classifiers from hand-coded units, and reliability."""

from __future__ import annotations

from pathlib import Path

import click

from textmine.coding.lexicon import resolve_lexicons
from textmine.cli.app import cli
from textmine.core.constants import MODES
from textmine.cli.options import lexicon_option, no_default_lexicons_option, verbose_option
from textmine.core.export import write_table

folds_option = click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="Cross-validation folds (grouped by document).")
seed_option = click.option("--seed", default=0, show_default=True, type=int, help="Seed of folds and classifiers (same seed, same model bytes).")


def _lexicons(lexicons, no_default_lexicons):
    return resolve_lexicons(lexicons, not no_default_lexicons)


@cli.command("train")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--scheme", required=True, help="Scheme to learn (pentagon, instrument, or one of your lexicons).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Model file to write (NAME.skops); its card goes to NAME.card.json.")
@click.option("--min-examples", default=3, show_default=True, type=click.IntRange(1), help="Refuse codes with fewer hand-coded units than this.")
@folds_option
@seed_option
@lexicon_option
@no_default_lexicons_option
@verbose_option
def train_command(gold, scheme, out, min_examples, folds, seed, lexicons, no_default_lexicons):
    """Learn a classifier of SCHEME from the hand-coded units in GOLD; print its cross-validated scores.

    GOLD is JSON lines with code lists (text, pentagon: [...], instrument:
    [...]) or a spreadsheet (.csv/.xlsx) with a text column and 0/1 columns
    <scheme>_<CODE>; a doc_id (or doc) column keeps documents together in the
    grouped cross-validation. Writes the model (skops) and its card
    (NAME.card.json: data hash, thresholds, the scores printed here).
    """
    from textmine.coding.learning import train

    trained = train(gold, scheme, out, _lexicons(lexicons, no_default_lexicons), folds, seed, min_examples)
    _print_evaluation(trained.evaluation, None)
    click.echo(f"\nmodel -> {trained.model_path}; card -> {trained.card_path}", err=True)



@cli.command("evaluate")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--scheme", "schemes", multiple=True, help="Scheme(s) to score (default: every scheme in GOLD).")
@click.option("--model", "models", multiple=True, type=click.Path(dir_okay=False),
              help="Score this trained model (file or shipped name) on GOLD as held-out data instead of cross-validating.")
@click.option("--mode", type=click.Choice(MODES), default=None, help="Show only this mode (default: all three).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the per-code scores to a table (.csv, .xlsx).")
@folds_option
@seed_option
@lexicon_option
@no_default_lexicons_option
@verbose_option
def evaluate_command(gold, schemes, models, mode, out, folds, seed, lexicons, no_default_lexicons):
    """Per-code precision, recall, F1 and Cohen's kappa of lexicon, model and hybrid coding against GOLD.

    Without --model: grouped stratified k-fold cross-validation (units of one
    document are never in both training and test). With --model: the trained
    model codes GOLD as held-out data.
    """
    from textmine.coding.learning import evaluate, write_evaluations

    evaluations = evaluate(gold, _lexicons(lexicons, no_default_lexicons), schemes, models, folds, seed)
    for evaluation in evaluations:
        _print_evaluation(evaluation, mode)
    if out:
        write_evaluations(evaluations, out)
        click.echo(f"scores -> {out}", err=True)


def _print_evaluation(evaluation, only_mode) -> None:
    modes = [only_mode] if only_mode else list(evaluation.reports)
    click.secho(f"{evaluation.scheme}: {evaluation.method}; {evaluation.units} units, {evaluation.documents} documents"
                f" (grouped by {evaluation.grouping})", bold=True)
    for note in evaluation.notes:
        click.secho(f"note: {note}", fg="yellow")
    by_folds = "  micro-F1 by fold" if evaluation.fold_micro_f1 else ""
    click.echo(f"{'mode':8} {'lang':4} {'units':>5} {'micro-F1':>8} {'macro-F1':>8} {'kappa':>6}{by_folds}")
    for mode in modes:
        for lang, report in evaluation.reports[mode].items():
            by_fold = evaluation.fold_micro_f1.get(mode, {}).get(lang, [])
            folds = " ".join("-" if v is None else f"{v:.2f}" for v in by_fold)
            click.echo(f"{mode:8} {lang:4} {report.n_units:5d} {report.micro_f1:8.3f} {report.macro_f1:8.3f} {report.mean_kappa:6.3f}"
                       + (f"  {folds}" if folds else ""))
    for mode in modes:
        report = evaluation.reports[mode]["all"]
        click.echo(f"\n{mode}, all languages:\n  {'code':26} {'P':>6} {'R':>6} {'F1':>6} {'kappa':>6} {'support':>8} {'pred':>6}")
        for code, s in report.per_code.items():
            click.echo(f"  {code:26} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.kappa:6.2f} {s.support:8d} {s.predicted:6d}")
        click.echo(f"  {'micro':26} {report.micro_precision:6.2f} {report.micro_recall:6.2f} {report.micro_f1:6.2f}")
        click.echo(f"  {'macro':26} {'':6} {'':6} {report.macro_f1:6.2f} {report.mean_kappa:6.2f}")


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
    run`, or any table). First the units where lexicon and model disagree,
    then those whose probability is nearest a threshold; the <scheme>_<CODE>
    columns are left empty for the coder (then `textmine train` reads it).
    """
    from textmine.coding.learning import suggest

    frame = suggest(coded, _lexicons(lexicons, no_default_lexicons), models, n)
    write_table(frame, out)
    for row in frame.head(10).itertuples():
        click.echo(f"{row.unit_id:>14}  {row.reason[:90]}")
    more = " (first 10 shown)" if len(frame) > 10 else ""
    click.echo(f"{len(frame)} units to code{more} -> {Path(out)}", err=True)
