"""python manage.py create_api_key --project NAME --user NAME: prints the new key pair as two
lines, ACCESS_KEY=… and SECRET_KEY=…, for scripts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from console.models import ApiKey, Membership


class Command(BaseCommand):
    help = "Create an API key pair for a member of a project and print it as two lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", required=True, help="project name or slug")
        parser.add_argument("--user", required=True, help="username of a project member")
        parser.add_argument("--name", default="", help="what the key is for")

    def handle(self, *args, project: str, user: str, name: str, **options) -> None:
        membership = (
            Membership.objects.select_related("project", "user")
            .filter(Q(project__name=project) | Q(project__slug=project), user__username=user)
            .first()
        )
        if membership is None:
            raise CommandError(f"{user!r} is not a member of a project named {project!r}")
        key, secret = ApiKey.issue(membership.project, membership.user, name or "command line")
        self.stdout.write(f"ACCESS_KEY={key.access_key}")
        self.stdout.write(f"SECRET_KEY={secret}")
