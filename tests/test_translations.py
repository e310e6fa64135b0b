"""Every piece of text is translated into French, and the compiled catalogue is current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR, "locale", "fr", "LC_MESSAGES", "django.po")
MO = PO.with_suffix(".mo")
SOURCES = [
    "manage.py",
    "mentorship_site",
    "programs",
    "matching",
    "journals",
    "evaluation",
    "templates",
]


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def test_every_french_message_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in live_entries(catalogue) if not entry.translated()]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in live_entries(polib.pofile(str(PO)))
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO)) if e.msgid
    }
    assert compiled == source, "run `make translations` to recompile locale/fr"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_no_text_in_the_code_is_missing_from_the_catalogue(tmp_path):
    for name in SOURCES:
        source = Path(settings.BASE_DIR, name)
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(PO.parent.parent.parent, tmp_path / "locale")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "fr",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    extracted = {
        entry.msgid
        for entry in live_entries(polib.pofile(str(tmp_path / PO.relative_to(settings.BASE_DIR))))
    }
    committed = {entry.msgid for entry in live_entries(polib.pofile(str(PO)))}
    assert sorted(extracted - committed) == [], "new text: run `make translations` and translate it"
