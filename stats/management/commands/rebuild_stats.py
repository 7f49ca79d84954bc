"""manage.py rebuild_stats: every statistics rollup again from the history of results."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from stats import rollups


class Command(BaseCommand):
    help = "Rebuild every statistics rollup from the history of requests and results."

    def handle(self, *args, **options) -> None:
        done = rollups.rebuild()
        self.stdout.write(f"Rebuilt: {done['daily']} daily rows, {done['results']} result rows, "
                          f"{done['usage_days']} days of usage.")
