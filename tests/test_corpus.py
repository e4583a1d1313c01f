"""Walking inputs, naming documents and joining metadata.csv."""

import pytest

from textmine.inputs.corpus import find_inputs
from textmine.core.errors import InputError


def touch(path, text="第一条 推进产学研合作。"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_metadata_is_joined_by_bare_or_relative_file_names_nearest_first(tmp_path):
    touch(tmp_path / "a.txt")
    touch(tmp_path / "sub" / "b.txt")
    touch(tmp_path / "sub" / "deeper" / "c.txt")
    (tmp_path / "metadata.csv").write_text("file,country,year\na.txt,CN,2019\nsub/b.txt,EU,2021\n", encoding="utf-8-sig")
    (tmp_path / "sub" / "deeper" / "metadata.csv").write_text("filename,level\nc.txt,municipal\n", encoding="utf-8")
    corpus = find_inputs([tmp_path])
    meta = {f.relpath: f.metadata for f in corpus.files}
    assert meta == {
        "a.txt": {"country": "CN", "year": "2019"},
        "sub/b.txt": {"country": "EU", "year": "2021"},
        "sub/deeper/c.txt": {"level": "municipal"},
    }
    assert corpus.metadata_columns == ["country", "year", "level"]


def test_document_ids_are_file_stems_made_unique(tmp_path):
    touch(tmp_path / "x" / "notice.txt")
    touch(tmp_path / "y" / "notice.txt")
    touch(tmp_path / "y" / "plan 2020.txt")
    touch(tmp_path / "y" / "plan 2020.md")
    ids = sorted(f.doc_id for f in find_inputs([tmp_path]).files)
    assert ids == ["plan_2020_md", "plan_2020_txt", "x_notice", "y_notice"]


def test_unsupported_and_hidden_files_are_skipped_and_reported(tmp_path):
    touch(tmp_path / "a.txt")
    touch(tmp_path / "figure.png", "x")
    touch(tmp_path / ".hidden.txt")
    corpus = find_inputs([tmp_path])
    assert [f.relpath for f in corpus.files] == ["a.txt"]
    assert [(p.endswith("figure.png"), "not a supported file type" in r) for p, r in corpus.skipped] == [(True, True)]


def test_missing_input_and_bad_metadata_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        find_inputs([tmp_path / "nope"])
    touch(tmp_path / "a.txt")
    (tmp_path / "metadata.csv").write_text("file,country\na.txt,CN,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"metadata.csv:2"):
        find_inputs([tmp_path])


def test_the_sample_corpus_has_metadata_for_every_document(sample_dir):
    corpus = find_inputs([sample_dir])
    assert len(corpus.files) >= 8
    assert all(f.metadata.get("country") and f.metadata.get("year") for f in corpus.files)
    assert sum(f.relpath.startswith("zh") for f in corpus.files) >= 4
