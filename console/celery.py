"""The Celery app (worker and beat), configured from Django's settings (CELERY_*)."""

from __future__ import annotations

import logging
import os
import time

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import worker_process_init

from console.gc_tuning import tune
from console.heartbeat import record_beat_heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

app = Celery("outbound")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_process_init.connect
def _tune_worker_process(**kwargs) -> None:
    tune()


class HeartbeatScheduler(PersistentScheduler):
    """The default scheduler, which also records in Redis when beat last ticked (health page)."""

    def tick(self, *args, **kwargs):
        try:
            record_beat_heartbeat(time.time())
        except Exception:  # Redis down: beat keeps scheduling, health shows it as unknown
            logger.warning("could not record the beat heartbeat", exc_info=True)
        return super().tick(*args, **kwargs)
