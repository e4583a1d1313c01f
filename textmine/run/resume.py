"""What `run --resume` takes over from an earlier run into the same folder.

Every run keeps, in ``OUT/.textmine-resume/``, the compact result of each input file it
completes (``shards/<key>.z``, written atomically) and then appends one line to
``manifest.jsonl``: the file, its SHA-256, the versions of textmine, the lexicons and the
models, and a fingerprint of the coding per language of its units. A line is written only
after its shard is complete, and a torn last line is ignored, so a run killed at any moment
leaves a manifest that lists only whole results.

A file's key is the SHA-256 of its bytes, its name, document id and metadata, and of what
shapes every row (textmine's version, mode, context, OCR and encoding settings, the code and
score columns). A result is taken over when its key is the same and, for each language of its
units, the terms and models that apply to units of that language are the same
(``textmine.coding.tag.Matcher`` decides which terms apply): editing the English terms of a
lexicon makes the English (and Chinese: their Latin text is matched too) documents run
again, not the German ones. Extraction, the slow part, comes from the extraction cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Sequence, TextIO

from textmine import __version__
from textmine.coding.tag import Matcher
from textmine.inputs.corpus import InputFile, file_sha256

FOLDER = ".textmine-resume"
MANIFEST = "manifest.jsonl"
FORMAT = 3  # of the kept results (``docresult``): results of another format are not taken over


class ResumeStore:
    """The results kept in ``OUT/.textmine-resume`` for a run with these lexicons, coder and settings."""

    def __init__(self, out, lexicons: Sequence, coder, settings):
        self.folder = Path(out) / FOLDER
        self.lexicons = list(lexicons)
        self.models = _model_hashes(settings, coder)
        self.languages = {scheme: tuple(model.languages_) for scheme, model in getattr(coder, "models", {}).items()}
        self.common = _digest({
            "textmine": __version__, "format": FORMAT, "mode": settings.mode, "context": settings.context_chars, "ocr": settings.ocr,
            "ocr_lang": settings.ocr_lang, "encoding": settings.encoding,
            "password": _digest(settings.password) if settings.password else None,
            "columns": [*coder.code_columns, *coder.score_columns],
        })
        self._fingerprints: dict[str, str] = {}
        self._manifest: TextIO | None = None

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def fingerprint(self, lang: str) -> str:
        """What codes a unit of language ``lang``: the terms that apply to it, and the models that cover it."""
        if lang not in self._fingerprints:
            patterns = [(p.scheme, p.code, p.term, p.kind, p.exclude, p.policy_only, p.cue) for p in Matcher(self.lexicons, lang).patterns]
            models = [(scheme, sha) for scheme, sha in self.models.items() if lang in self.languages.get(scheme, ())]
            self._fingerprints[lang] = _digest([patterns, models])
        return self._fingerprints[lang]

    def key(self, input_file: InputFile, sha256: str) -> str:
        return _digest([self.common, sha256, input_file.relpath, input_file.doc_id, input_file.metadata])

    def completed(self, files: Sequence[InputFile]) -> dict[int, Path]:
        """The shards of ``files`` (by index) that an earlier run completed with what this run would do."""
        valid = set()
        for entry in _entries(self.folder / MANIFEST):
            if all(self.fingerprint(lang) == fp for lang, fp in entry.get("langs", {}).items()):
                valid.add(entry.get("key"))
            else:
                valid.discard(entry.get("key"))
        found = {}
        for index, input_file in enumerate(files):
            if input_file.problem or not valid:
                continue
            sha256 = file_sha256(input_file.path)
            shard = self._shard(self.key(input_file, sha256)) if sha256 else None
            if shard is not None and shard.stem in valid and shard.is_file():
                found[index] = shard
        return found

    def save(self, input_file: InputFile, data: bytes, sha256: str | None, langs: Sequence[str]) -> None:
        """Keep a completed file's result (``docresult.encode``), then record it in the manifest."""
        if not sha256:
            return
        key = self.key(input_file, sha256)
        shard = self._shard(key)
        shard.parent.mkdir(parents=True, exist_ok=True)
        tmp = shard.with_name(f".{shard.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, shard)
        entry = {"key": key, "file": input_file.relpath, "sha256": sha256, "textmine_version": __version__,
                 "lexicons": {lexicon.scheme: lexicon.sha256 for lexicon in self.lexicons}, "models": self.models,
                 "langs": {lang: self.fingerprint(lang) for lang in langs}}
        if self._manifest is None:
            self._manifest = open(self.folder / MANIFEST, "a", encoding="utf-8")
        self._manifest.write(json.dumps(entry, ensure_ascii=False) + "\n")  # one line per write: a kill tears at most the last
        self._manifest.flush()

    def close(self) -> None:
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None

    def _shard(self, key: str) -> Path:
        return self.folder / "shards" / key[:2] / f"{key}.z"


def _entries(path: Path):
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return
    with handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:  # the line a killed run was writing
                continue
            if isinstance(entry, dict):
                yield entry


def _model_hashes(settings, coder) -> dict[str, str]:
    """SHA-256 of each model file the coder uses, by scheme."""
    models = getattr(coder, "models", {})
    if not models:
        return {}
    from textmine.coding.classify import resolve_model, shipped_models

    paths = [resolve_model(m) for m in settings.models] if settings.models else [p for s, p in shipped_models().items() if s in models]
    return {scheme: file_sha256(path) or "" for scheme, path in zip(models, paths)}  # load_models keeps the order of the paths


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")).hexdigest()
