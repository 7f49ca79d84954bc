"""Changing SECRET_KEY: the old key in SECRET_KEY_FALLBACKS keeps API keys working until
`rotate_secrets` seals them with the new one (MultiFernet)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from console.models import ApiKey, seal, unseal
from tests.factories import make_api_key

OLD = "old-secret-key-" + "x" * 40
NEW = "new-secret-key-" + "y" * 40


def test_an_old_key_opens_what_it_sealed_while_it_is_a_fallback(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    token = seal(b"dkim private key")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert unseal(token) == b"dkim private key"
    settings.SECRET_KEY_FALLBACKS = []
    assert unseal(token) is None


def test_rotate_secrets_seals_api_keys_with_the_new_key(settings, project, owner):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    key, secret = make_api_key(project, owner)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "console.ApiKey: 1 sealed again" in out.getvalue()
    settings.SECRET_KEY_FALLBACKS = []
    assert ApiKey.objects.get(pk=key.pk).secret == secret
