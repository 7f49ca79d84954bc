"""Addresses (unique per project, normalised), recipient groups and group membership."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from console.models import Project


class Address(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="addresses")
    address = models.CharField(_("address"), max_length=320)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "address"],
                                    name="address_unique_per_project")
        ]
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class RecipientGroup(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="recipient_groups")
    name = models.CharField(_("group name"), max_length=100)
    created = models.DateTimeField(default=timezone.now)
    addresses = models.ManyToManyField(Address, through="GroupMember", related_name="groups")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="group_unique_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(RecipientGroup, models.CASCADE)
    address = models.ForeignKey(Address, models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "address"], name="group_member_unique")
        ]
        indexes = [models.Index(fields=["address", "group"], name="group_member_by_address")]

    def __str__(self) -> str:
        return f"{self.address_id} in {self.group_id}"
