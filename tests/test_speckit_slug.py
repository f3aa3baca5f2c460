"""Feature names and branch names derived as spec-kit's create-new-feature derives them."""

from __future__ import annotations

import pytest

from stackprint.speckit import slug


# Expected values are what spec-kit 1.2.3's create-new-feature.sh prints for the same input.
@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Add invoice export", "invoice-export"),
        ("Add UI for PDF export", "ui-pdf-export"),
        ("I want to build a real-time chat system with websockets", "build-real-time"),
        ("Fix the login bug", "fix-login-bug"),
        ("Set up OAuth2 SSO for admins", "oauth2-sso-admins"),
        ("add user authentication and authorization flow", "user-authentication-and"),
        ("Créer un système de paiement", "créer-système-paiement"),
        ("a an the", "a-an-the"),  # nothing meaningful: the first words, cleaned
    ],
)
def test_slug_from_description_matches_spec_kit(description: str, expected: str) -> None:
    assert slug.slug_from_description(description) == expected


def test_exactly_four_meaningful_words_are_all_kept() -> None:
    assert (
        slug.slug_from_description("export invoices monthly reports")
        == "export-invoices-monthly-reports"
    )


def test_short_words_survive_only_as_acronyms() -> None:
    assert slug.slug_from_description("go to db via ui") == "via"
    assert slug.slug_from_description("move DB to UI") == "move-db-ui"


def test_short_name_is_only_cleaned() -> None:
    assert slug.clean_name("User Auth!") == "user-auth"
    assert slug.clean_name("--the--best__thing--") == "the-best-thing"
    assert slug.clean_name("!!!") == ""


def test_branch_name_is_cut_to_githubs_limit_on_a_character_boundary() -> None:
    long = "é" * 200
    name = slug.branch_name("001", long)
    assert len(name.encode()) <= slug.MAX_BRANCH_BYTES
    assert name.startswith("001-é")
    name.encode().decode()  # still valid UTF-8
    assert slug.branch_name("002", "short") == "002-short"
