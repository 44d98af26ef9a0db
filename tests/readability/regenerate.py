#!/usr/bin/env python3
"""Recompute tests/readability/reference.json from the sample passages with textstat 0.7.4.

    pip install textstat==0.7.4   # later versions load NLTK data from the Web
    python3 tests/readability/regenerate.py

Passages are the *.txt files beside this script; `en-*` are English, `es-*` Spanish, `fr-*`
French (textstat's Flesch reading ease with `set_lang("fr")` is Kandel-Moles), `de-*` German
(measured with LIX, which needs no language data). The Rust
test (src/readability.rs) reads the stored values, so it needs no Python.
"""
import importlib.metadata
import json
import pathlib

import textstat

HERE = pathlib.Path(__file__).resolve().parent


def measure(text, lang):
    ts = textstat.textstat
    ts.set_lang({"es": "es", "fr": "fr", "de": "de"}.get(lang, "en_US"))
    ts.set_rounding(True)
    row = {
        "lexicon_count": ts.lexicon_count(text),
        "sentence_count": ts.sentence_count(text),
        "syllable_count": ts.syllable_count(text),
        "flesch_kincaid_grade": None,
        "flesch_kincaid_grade_unrounded": None,
        "smog_index": None,
        "fernandez_huerta": None,
        "szigriszt_pazos": None,
        "kandel_moles": None,
        "lix": None,
    }
    if lang == "fr":
        row["kandel_moles"] = ts.flesch_reading_ease(text)
    elif lang == "de":
        row["lix"] = ts.lix(text)
    elif lang == "es":
        row["fernandez_huerta"] = ts.fernandez_huerta(text)
        row["szigriszt_pazos"] = ts.szigriszt_pazos(text)
    else:
        row["flesch_kincaid_grade"] = ts.flesch_kincaid_grade(text)
        row["smog_index"] = ts.smog_index(text)
        ts.set_rounding(False)
        ts._cache_clear()
        row["flesch_kincaid_grade_unrounded"] = round(ts.flesch_kincaid_grade(text), 4)
        ts.set_rounding(True)
    ts._cache_clear()
    return row


def main():
    passages = []
    for path in sorted(HERE.glob("*.txt")):
        lang = path.name.split("-")[0]
        text = path.read_text(encoding="utf-8")
        passages.append({"file": path.name, "lang": lang, **measure(text, lang)})
    out = {"textstat_version": importlib.metadata.version("textstat"), "passages": passages}
    (HERE / "reference.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for p in passages:
        score = p["flesch_kincaid_grade"] or p["fernandez_huerta"] or p["kandel_moles"] or p["lix"]
        print(f"{p['file']:32} words={p['lexicon_count']:4} sentences={p['sentence_count']:3} syllables={p['syllable_count']:4} score={score}")


if __name__ == "__main__":
    main()
