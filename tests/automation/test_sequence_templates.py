"""The message language of sequences: only the listed variables, refused at save
otherwise (no attribute access, tags or filters), escaped for each channel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from automation.channels.slack import slack_escape
from automation.channels.teams import markdown_escape
from automation.sequences.models import SequenceStep, Trigger
from automation.sequences.template import render, template_check
from tests.automation.sequence_helpers import make_sequence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "source",
    [
        "{{ person.password }}",
        "{{ user.password }}",
        "{{ first_name.__class__ }}",
        "{{ first_name|upper }}",
        "{{ first_name.upper }}",
        "{% load static %}",
        "{% include 'secrets.txt' %}",
        "{# hidden #}",
        "{{ manager.email }}",
        "{{ settings.SECRET_KEY }}",
        "Hi {{ first_name",
        "{{ first_name() }}",
    ],
)
def test_it_refuses_at_save_anything_but_the_listed_variables(source):
    sequence = make_sequence([], trigger=Trigger.START_DATE)
    step = SequenceStep(sequence=sequence, subject="Hello", message=source)

    with pytest.raises(ValidationError):
        step.full_clean()


def test_it_names_the_unknown_variable():
    with pytest.raises(ValidationError) as refused:
        template_check("Hi {{ person.password }}")
    assert "Unknown variable {{ person.password }}." in refused.value.messages


def test_it_accepts_the_listed_variables():
    template_check(
        "Hi {{ first_name }}, {{next_step.title}} at {{ next_step.url }} by "
        "{{ due_date }}; {{ manager.name }}"
    )


def test_it_escapes_values_and_the_authors_text_for_html():
    html = render(
        "<p>{{ first_name }}</p>", {"first_name": "<b>Al & Co</b>"}, channel="html"
    )
    assert html == "&lt;p&gt;&lt;b&gt;Al &amp; Co&lt;/b&gt;&lt;/p&gt;"


def test_slack_and_teams_escape_the_text_once_where_they_build_their_message():
    values = {"first_name": "<!channel> & *bold*"}
    text = render("Hi {{ first_name }}", values, channel="text")
    assert text == "Hi <!channel> & *bold*"
    assert slack_escape(text) == "Hi &lt;!channel&gt; &amp; *bold*"
    assert markdown_escape("*bold* [x](y)") == r"\*bold\* \[x\]\(y\)"


def test_a_value_that_looks_like_a_variable_stays_text():
    rendered = render(
        "Hi {{ first_name }}", {"first_name": "{{ manager.name }}"}, channel="text"
    )
    assert rendered == "Hi {{ manager.name }}"
