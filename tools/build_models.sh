#!/bin/sh
# Rebuild the shipped models (textmine/models/<scheme>.skops and <scheme>.card.json) from the
# hand-coded dev units. Same data, same textmine and library versions -> byte-identical .skops
# files (fixed seeds, one BLAS thread, normalised zip); SOURCE_DATE_EPOCH fixes the card date too.
#
#   sh tools/build_models.sh [GOLD]        (default GOLD: ../shared/gold/dev-units.jsonl)
set -eu
cd "$(dirname "$0")/.."
gold="${1:-../shared/gold/dev-units.jsonl}"
for scheme in pentagon instrument; do
  textmine train "$gold" --scheme "$scheme" --out "textmine/models/$scheme.skops" --seed 0 --folds 5 > /dev/null
  echo "textmine/models/$scheme.skops: $(sha256sum "textmine/models/$scheme.skops" | cut -c1-16)…"
done
