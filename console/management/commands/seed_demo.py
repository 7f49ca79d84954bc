"""python manage.py seed_demo: create (or complete) the demo data and print how to log in."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from console.demo import ensure_demo


class Command(BaseCommand):
    help = "Create the demo admin user, the demo project and its data; print the login."

    def handle(self, *args, **options) -> None:
        login = ensure_demo()
        password = login.password or "(changed since it was first set)"
        self.stdout.write(f"LOGIN={login.username}")
        self.stdout.write(f"PASSWORD={password}")
        self.stdout.write(f"ACCESS_KEY={login.access_key}")
        self.stdout.write(f"SECRET_KEY={login.secret_key}")
