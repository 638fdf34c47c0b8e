"""Template strings and numbers follow the language in force at each moment: the reader's,
or the recipient's while a mail is written during the reader's request (`force_locale`)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

LINE = "{{ _('Required') }} {{ n|number }} {{ ngettext('%(num)d ULD', '%(num)d ULDs', 2) }}"


def test_strings_and_numbers_switch_language_inside_one_request(app) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        reader = render_template_string(LINE, n=1234567)
        with force_locale("id"):
            recipient = render_template_string(LINE, n=1234567)
        after = render_template_string(LINE, n=1234567)
    assert reader == after == "Required 1,234,567 2 ULDs"
    assert recipient == "Wajib 1.234.567 2 ULD"
