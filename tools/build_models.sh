#!/bin/sh
# Rebuild the shipped models (textmine/models/<scheme>.skops and <scheme>.card.json) from all
# hand-coded units: ../shared/gold/dev-units.jsonl + train-units.jsonl (1,143 units). Same data,
# same lexicons, same textmine and library versions -> byte-identical .skops files (fixed seeds,
# one BLAS thread, normalised zip); SOURCE_DATE_EPOCH fixes the card date too. The models depend
# on the lexicons (features of the hybrid rule): rerun this after any lexicon edit.
#
#   SOURCE_DATE_EPOCH=1764115200 sh tools/build_models.sh [OUT_DIR [SCHEME...]]
#
# OUT_DIR defaults to textmine/models, SCHEME to pentagon and instrument; TEXTMINE names the
# command to run (default: textmine; tests use "python -m textmine").
set -eu
cd "$(dirname "$0")/.."
out="${1:-textmine/models}"
[ $# -gt 0 ] && shift
schemes="${*:-pentagon instrument}"
gold_dir=../shared/gold
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# one file, fixed name: the card records the file name and its SHA-256
awk 1 "$gold_dir/dev-units.jsonl" "$gold_dir/train-units.jsonl" > "$work/dev+train-units.jsonl"
mkdir -p "$out"
for scheme in $schemes; do
  ${TEXTMINE:-textmine} train "$work/dev+train-units.jsonl" --scheme "$scheme" --out "$out/$scheme.skops" --seed 0 --folds 5 > /dev/null
  echo "$out/$scheme.skops: $(sha256sum "$out/$scheme.skops" | cut -c1-16)…"
done
