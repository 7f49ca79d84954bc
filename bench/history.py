"""A year of sending history for the list and export benchmarks (B3, B4): the project
`bench-lists` with 300,000 send requests, 10,000,000 mails and 10,000,000 recipients (and the
unsubscribers and monthly usage they imply), written by the database itself (INSERT … SELECT
over generate_series), in its own database (BENCH_LISTS_DATABASE_URL), never the one the other
benchmarks clear. The statistics rollups are not built here: stats rebuilds them from history.

`python -m bench.history` loads it alone; `load_history()` returns at once when it is there.

Every value is a hash of the request number (or of the recipient's position in the whole
history), so two loads give the same data. The whole load is one transaction: the secondary
indexes are dropped first and built again at the end, foreign keys are not checked row by row
(session_replication_role = replica; the rows are consistent by construction), and an
interrupted load leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

PROJECT_SLUG = "bench-lists"
USERNAME = "bench-lists"
TIME_ZONE = "Asia/Seoul"
DEFAULT_LISTS_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/outbound_bench_lists"
# Its own Redis database too: the export benchmark queues a nudge that no worker of another
# benchmark (on another database) must pick up.
DEFAULT_LISTS_REDIS_URL = "redis://127.0.0.1:6379/2"

REQUESTS = 300_000
RECIPIENTS = 10_000_000
TEMPLATES = 20
ADDRESS_POOL = 2_000_000  # user<k>@example<k % 20>.com
ADDRESS_STRIDE = 7_919  # a prime: the addresses of one request are all different
CHUNK_ROWS = 500_000  # recipients (and mails) written per statement
DAYS = 365
RESERVED_WITHIN_DAYS = 20  # Ready (scheduled) requests are among the most recent ones
RETRYING = timedelta(hours=1)  # from a RESEND_MAIL_FAIL's first attempt to its last

SENDER_LOCALS = ["no_reply", "news", "notice", "support", "billing"]
SENDERS = [f"{SENDER_LOCALS[i % 5]}@brand{i // 5}.co.kr" for i in range(50)]
TOPICS = [
    "Weekly news", "Order confirmation", "Shipping update", "Password reset", "Invoice",
    "Payment receipt", "Event invitation", "Newsletter", "Account notice", "Security alert",
    "Survey", "Webinar", "Coupon", "Welcome", "Membership renewal", "Service maintenance",
    "Price change", "Monthly report", "Reservation reminder", "Point expiry",
    "주문 확인", "배송 안내", "이벤트 안내", "회원 혜택", "결제 완료",
]
PHRASES = [
    "spring offer", "summer sale", "autumn event", "winter deals", "member benefits",
    "for you", "this week only", "last chance", "important", "details inside",
    "new features", "special gift",
]
DASH = "\u2013"  # an en dash: subjects read "Weekly news 123 (dash) spring offer"
SEARCH_WORD = "Webinar"  # one topic of 25: in about 4 % of the subjects


def lists_database_url() -> str:
    return os.environ.get("BENCH_LISTS_DATABASE_URL", DEFAULT_LISTS_DATABASE_URL)


def setup_lists_django() -> None:
    """Django on the lists database (created and migrated when missing) and its own Redis
    database, through harness.setup_django."""
    from bench import harness

    os.environ["BENCH_DATABASE_URL"] = lists_database_url()
    os.environ["BENCH_REDIS_URL"] = os.environ.get("BENCH_LISTS_REDIS_URL",
                                                   DEFAULT_LISTS_REDIS_URL)
    harness.setup_django()


def _say(message: str) -> None:
    print(message, flush=True)


# -- the people and things the history refers to (a few rows, through the ORM) ------------------

def _project_and_user():
    from django.contrib.auth import get_user_model

    from console.models import Membership, Project

    project, _ = Project.objects.get_or_create(
        slug=PROJECT_SLUG, defaults={"name": PROJECT_SLUG, "time_zone": TIME_ZONE})
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(project=project, user=user,
                                        defaults={"role": Membership.Role.ADMIN})
    return project, user


def _templates(project) -> list:
    from mailer.models import Template

    templates = []
    for t in range(TEMPLATES):
        template, _ = Template.objects.get_or_create(
            project=project, name=f"Template {t + 1:02d} {TOPICS[t]}", deleted=None,
            defaults={"sender_address": SENDERS[t % 10], "sender_name": f"Brand{t % 10 // 5}",
                      "title": f"{TOPICS[t]} {DASH} {PHRASES[t % 12]}",
                      "body": f"<p>{TOPICS[t]}</p><p>Hello #{{RECIPIENT_NAME}}</p>",
                      "position": t})
        templates.append(template)
    return templates


def _history_api_key(project, user):
    from console.models import ApiKey

    key = ApiKey.objects.filter(project=project, name="history").first()
    return key or ApiKey.issue(project, user, "history")[0]


# -- the SQL ------------------------------------------------------------------------------------

# A uniform number in [0, 1) from (n, salt): the same for the same arguments in every load.
RANDOM_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.rnd(n bigint, salt bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(n, salt) & 9007199254740991)::double precision
          / 9007199254740992.0 $$
"""

# Each request's size class and, for all but the "large" ones, its recipient count: most send
# to 1-20 (40 % to one), 2.5 % to 21-500, a few hundreds of thousands of recipients go to
# campaigns of RECIPIENTS / 100; the large ones (0.5 %, "a few thousands") share the rest.
PLAN_SIZES = """
CREATE TEMPORARY TABLE bench_plan AS
SELECT k, tier,
       CASE tier WHEN 'small' THEN CASE WHEN u < 0.4 THEN 1
                                        ELSE 2 + floor((u - 0.4) / 0.6 * 19)::int END
                 WHEN 'medium' THEN 21 + floor(u * u * 480)::int
                 WHEN 'campaign' THEN %(campaign_size)s
       END AS n,
       100 + floor(u * 400)::int AS weight
FROM (SELECT k,
             CASE WHEN %(campaign_every)s > 0 AND k %% greatest(%(campaign_every)s, 1)
                                                   = %(campaign_every)s / 2 THEN 'campaign'
                  WHEN k = (%(requests)s + 1) / 2 OR pg_temp.rnd(k, 1) < 0.005 THEN 'large'
                  WHEN pg_temp.rnd(k, 1) < 0.03 THEN 'medium'
                  ELSE 'small' END AS tier,
             pg_temp.rnd(k, 2) AS u
      FROM generate_series(1, %(requests)s) AS k) AS drawn
"""

# The large requests share what is left, in proportion to their weights, so that the counts add
# up to the total exactly.
PLAN_LARGE = """
UPDATE bench_plan AS p SET n = shared.n
FROM (SELECT k, ((cumulative * %(left)s) / %(weights)s
                 - ((cumulative - weight) * %(left)s) / %(weights)s)::int AS n
      FROM (SELECT k, weight, sum(weight) OVER (ORDER BY k)::bigint AS cumulative
            FROM bench_plan WHERE tier = 'large') AS w) AS shared
WHERE p.k = shared.k
"""

# Everything about each request that its rows need, the times included. Statuses: about
# 90.5 % S, 5 % PF, 3 % F, 1 % C, 0.5 % U, and 0.5 % R (scheduled within the next 10 days,
# among the requests of the last 20); 5 % of the others were scheduled too, C ones mostly.
PLAN_REQUESTS = """
CREATE TEMPORARY TABLE bench_request AS
WITH timed AS (
    SELECT p.k, p.n, p.tier,
           sum(p.n) OVER (ORDER BY p.k)::bigint - p.n AS off,
           %(first)s::timestamptz + ((p.k - 1)::bigint * %(step_us)s
                                      + floor(pg_temp.rnd(p.k, 20) * %(step_us)s))
                                     * interval '1 microsecond' AS created
    FROM bench_plan AS p
), drawn AS (
    SELECT t.*, pg_temp.rnd(t.k, 3) AS u_status,
           t.created > %(now)s::timestamptz - make_interval(days => %(reserved_days)s)
               AND pg_temp.rnd(t.k, 4) < %(reserved_share)s AS reserved,
           CASE WHEN pg_temp.rnd(t.k, 9) < 0.4
                THEN floor(pg_temp.rnd(t.k, 10) * %(templates)s)::int END AS t
    FROM timed AS t
), statused AS (
    SELECT d.*,
           CASE WHEN d.reserved THEN 'R'
                WHEN d.u_status < CASE WHEN d.n = 1 THEN 0.955 ELSE %(sent_below)s END
                THEN 'S'
                WHEN d.u_status < 0.955 THEN 'PF'
                WHEN d.u_status < 0.985 THEN 'F'
                WHEN d.u_status < 0.995 THEN 'C'
                ELSE 'U' END AS status
    FROM drawn AS d
), scheduled AS (
    SELECT s.*,
           s.status = 'U' OR pg_temp.rnd(s.k, 5) < 0.2 AS advertising,
           CASE WHEN s.status = 'R' THEN true
                WHEN s.status = 'C' THEN pg_temp.rnd(s.k, 6) < 0.7
                ELSE pg_temp.rnd(s.k, 6) < 0.05
                     AND s.created < %(now)s::timestamptz - interval '4 days' END AS scheduled,
           make_interval(secs => 0.05 + s.n * 0.00002) AS preparation,
           make_interval(secs => 0.3 + s.n * 0.002) AS duration
    FROM statused AS s
), reserved AS (
    SELECT s.*,
           CASE WHEN s.status = 'R'
                THEN date_trunc('minute', %(now)s::timestamptz
                                + make_interval(secs => 43200 + pg_temp.rnd(s.k, 7) * 820800))
                WHEN s.scheduled
                THEN date_trunc('minute', s.created
                                + make_interval(secs => 3600 + pg_temp.rnd(s.k, 7) * 255600))
           END AS reservation_at
    FROM scheduled AS s
), started AS (
    SELECT r.*, r.created + r.preparation AS ready_at,
           CASE WHEN r.scheduled AND r.status IN ('S', 'PF', 'F', 'U')
                THEN r.reservation_at + interval '20 milliseconds' END AS dispatched_at
    FROM reserved AS r
)
SELECT s.k, %(request_base)s + s.k AS id, s.n, s.tier, s.off,
       (s.off / %(chunk_rows)s)::int AS chunk,
       s.created, to_char(s.created AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') AS request_id,
       s.status, s.advertising, s.reservation_at, s.ready_at, s.dispatched_at,
       s.status = 'C' AND NOT s.scheduled AS confirm_and_send,
       s.t, s.duration,
       CASE WHEN s.status IN ('S', 'PF', 'F', 'U')
            THEN coalesce(s.dispatched_at, s.ready_at) + interval '10 milliseconds'
       END AS send_started_at,
       CASE WHEN s.status = 'C'
            THEN least(s.created + make_interval(secs => 30 + pg_temp.rnd(s.k, 8) * 1800),
                       %(now)s::timestamptz) END AS cancelled_at,
       CASE WHEN s.t IS NULL THEN floor(50 * pg_temp.rnd(s.k, 11) ^ 2)::int
            ELSE s.t %% 10 END AS sender,
       pg_temp.rnd(s.k, 12) < 0.8 AS named_sender,
       coalesce(s.t, floor(pg_temp.rnd(s.k, 13) * %(topics)s)::int) AS topic,
       coalesce(s.t %% %(phrases)s, floor(pg_temp.rnd(s.k, 14) * %(phrases)s)::int) AS phrase,
       CASE WHEN pg_temp.rnd(s.k, 15) < 0.7 THEN 'API' ELSE 'CONSOLE' END AS tool,
       pg_temp.rnd(s.k, 16) AS u_ip,
       floor(pg_temp.rnd(s.k, 17) * %(pool)s)::bigint AS first_address
FROM started AS s
"""

# One chunk of recipients and their mails (one mail per recipient: individual sends), with the
# opens counted and the unsubscribes kept for the requests and the unsubscriber list.
CHUNK = """
WITH base AS (
    SELECT r.k, r.id AS request_pk, r.created, r.status, r.advertising, r.ready_at, r.n,
           r.cancelled_at, seq, r.off + seq AS g, r.send_started_at
               + r.duration * ((seq - 1)::double precision / r.n) AS attempted,
           (r.first_address + seq::bigint * %(stride)s) %% %(pool)s AS a
    FROM bench_request AS r CROSS JOIN LATERAL generate_series(1, r.n) AS seq
    WHERE r.chunk = %(chunk)s
), coded AS (
    SELECT b.*, pg_temp.rnd(b.g, 22) < 0.03 AS retried,
           CASE b.status
               WHEN 'S' THEN 'MAIL_SENT'
               WHEN 'PF' THEN CASE WHEN b.seq = 1 THEN 'MAILBOX_ERROR'
                                   WHEN b.seq = 2 THEN 'MAIL_SENT'
                                   WHEN pg_temp.rnd(b.g, 21) < 0.1 THEN 'MAILBOX_ERROR'
                                   ELSE 'MAIL_SENT' END
               WHEN 'F' THEN (ARRAY['MAILBOX_ERROR', 'SMTP_ERROR', 'RESEND_MAIL_FAIL'])
                             [1 + floor(pg_temp.rnd(b.g, 21) * 3)::int]
               WHEN 'C' THEN 'CANCELED_MAIL'
               WHEN 'U' THEN 'UNSUBSCRIBE_ADDRESS'
               ELSE '' END AS code
    FROM base AS b
), rows AS (
    SELECT c.*,
           'user' || c.a || '@example' || c.a %% 20 || '.com' AS address,
           CASE c.code WHEN 'MAIL_SENT' THEN CASE WHEN c.retried THEN 2 ELSE 1 END
                       WHEN 'MAILBOX_ERROR' THEN 1 WHEN 'SMTP_ERROR' THEN 1
                       WHEN 'RESEND_MAIL_FAIL' THEN 6 ELSE 0 END AS attempts,
           CASE WHEN c.code = 'MAIL_SENT'
                THEN c.attempted + CASE WHEN c.retried THEN interval '300.2 seconds'
                                        ELSE interval '0.2 seconds' END END AS received_at
    FROM coded AS c
), opened AS (
    SELECT r.*,
           CASE WHEN r.received_at IS NOT NULL AND pg_temp.rnd(r.g, 23) < 0.01
                     AND r.received_at + make_interval(secs => pg_temp.rnd(r.g, 24) ^ 2 * 259200)
                         < %(now)s::timestamptz
                THEN r.received_at + make_interval(secs => pg_temp.rnd(r.g, 24) ^ 2 * 259200)
           END AS opened_at,
           CASE WHEN r.received_at IS NOT NULL AND r.advertising
                     AND pg_temp.rnd(r.g, 25) < 0.01
                     AND r.received_at + make_interval(secs => pg_temp.rnd(r.g, 26) * 172800)
                         < %(now)s::timestamptz
                THEN r.received_at + make_interval(secs => pg_temp.rnd(r.g, 26) * 172800)
           END AS unsubscribed_at
    FROM rows AS r
), mails AS (
    INSERT INTO mailer_mail (id, send_request_id, seq, status, next_attempt_at, lease_until,
                             lease_token, attempts, redelivered, sent_at)
    SELECT %(mail_base)s + o.g, o.request_pk, o.seq,
           CASE o.code WHEN 'MAIL_SENT' THEN 'S' WHEN '' THEN 'R' WHEN 'CANCELED_MAIL' THEN 'C'
                       WHEN 'UNSUBSCRIBE_ADDRESS' THEN 'U' ELSE 'F' END,
           CASE WHEN o.attempts > 0 THEN coalesce(o.received_at, o.attempted)
                ELSE o.ready_at END,
           NULL, '', o.attempts, false, o.received_at
    FROM opened AS o
), opens AS (
    INSERT INTO bench_opened (k, opened)
    SELECT o.k, count(*) FROM opened AS o WHERE o.opened_at IS NOT NULL GROUP BY o.k
), unsubscribes AS (
    INSERT INTO bench_unsubscribed (address, unsubscribed_at, request_pk)
    SELECT o.address, o.unsubscribed_at, o.request_pk
    FROM opened AS o WHERE o.unsubscribed_at IS NOT NULL
)
INSERT INTO mailer_recipient (id, project_id, send_request_id, mail_id, requested_at, address,
                              name, type, parameters, result_code, last_attempt_code,
                              reply_code, reply_text, attempts, first_attempt_at, received,
                              received_at, possible_duplicate, opened_at, unsubscribed_at,
                              settled_at)
SELECT %(recipient_base)s + o.g, %(project)s, o.request_pk, %(mail_base)s + o.g, o.created,
       o.address, CASE WHEN pg_temp.rnd(o.g, 27) < 0.5 THEN '고객' || o.a ELSE '' END, 'R', NULL,
       o.code,
       CASE o.code WHEN 'RESEND_MAIL_FAIL' THEN 'MAILBOX_ABNORMAL'
                   WHEN 'MAIL_SENT' THEN 'MAIL_SENT' WHEN 'MAILBOX_ERROR' THEN 'MAILBOX_ERROR'
                   WHEN 'SMTP_ERROR' THEN 'SMTP_ERROR' ELSE '' END,
       CASE o.code WHEN 'MAIL_SENT' THEN 250 WHEN 'MAILBOX_ERROR' THEN 550
                   WHEN 'SMTP_ERROR' THEN 554 WHEN 'RESEND_MAIL_FAIL' THEN 452 END,
       CASE o.code
           WHEN 'MAIL_SENT'
           THEN '250 2.0.0 Ok: queued as ' || upper(to_hex(hashint8extended(o.g, 28)))
           WHEN 'MAILBOX_ERROR'
           THEN '550 5.1.1 <' || o.address || '>: Recipient address rejected: User unknown'
           WHEN 'SMTP_ERROR' THEN '554 5.7.1 Service unavailable; client host rejected'
           WHEN 'RESEND_MAIL_FAIL' THEN '452 4.2.2 Mailbox full'
           ELSE '' END,
       o.attempts, CASE WHEN o.attempts > 0 THEN o.attempted END,
       o.received_at IS NOT NULL, o.received_at, false, o.opened_at, o.unsubscribed_at,
       CASE o.code WHEN 'MAIL_SENT' THEN o.received_at
                   WHEN 'RESEND_MAIL_FAIL' THEN o.attempted + %(retrying)s
                   WHEN 'CANCELED_MAIL' THEN o.cancelled_at
                   WHEN 'UNSUBSCRIBE_ADDRESS' THEN o.ready_at  -- left out when prepared
                   WHEN '' THEN NULL
                   ELSE o.attempted + interval '0.2 seconds' END
FROM opened AS o
"""

REQUESTS_INSERT = """
INSERT INTO mailer_sendrequest (
    id, project_id, request_id, status, tool, requester_ip, requested_by_id, api_key_id,
    template_id, template_name, sender_address, sender_name, title, body, individual,
    advertising, confirm_and_send, parameters, references_header, use_basic_unsubscribe_msg,
    unsubscribe_message, attach_file_ids, recipient_group_filter, created, reservation_at,
    ready_at, dispatched_at, send_started_at, finished_at, cancelled_at, prepare_cursor,
    prepared_recipients, prepare_heartbeat, recipient_count, mail_count, counted_recipients,
    counted_changed_at, opened_count, payload)
SELECT r.id, %(project)s, r.request_id, r.status, r.tool,
       CASE r.tool WHEN 'API' THEN ('10.20.0.' || (11 + floor(r.u_ip * 6)::int))::inet
                   ELSE ('203.0.113.' || (1 + floor(r.u_ip * 200)::int))::inet END,
       %(user)s, CASE r.tool WHEN 'API' THEN %(api_key)s::bigint END,
       (%(template_ids)s::bigint[])[r.t + 1],
       coalesce((%(template_names)s::text[])[r.t + 1], ''),
       (%(senders)s::text[])[r.sender + 1],
       CASE WHEN r.named_sender THEN 'Brand' || r.sender / 5 ELSE '' END,
       r.title, '<p>' || r.title || '</p><p>Hello #{RECIPIENT_NAME},</p><p>'
                || repeat('Lorem ipsum dolor sit amet. ', 3) || '</p>',
       true, r.advertising, r.confirm_and_send, '{}'::jsonb, '', true, '', '[]'::jsonb, NULL,
       r.created, r.reservation_at, r.ready_at, r.dispatched_at, r.send_started_at,
       least(r.send_started_at + r.duration
             + CASE WHEN r.status IN ('PF', 'F')  -- the last retries of the failed ones
                    THEN %(retrying)s + interval '1 second' ELSE interval '0' END,
             greatest(%(now)s::timestamptz, r.send_started_at)),
       r.cancelled_at, r.n, r.n, r.ready_at, r.n, r.n,
       CASE WHEN r.status = 'C' THEN 0 ELSE r.n END, r.cancelled_at,  -- all given back
       coalesce(o.opened, 0), NULL
FROM (SELECT b.*, CASE WHEN b.advertising THEN '(광고) ' ELSE '' END
                  || (%(topics)s::text[])[b.topic + 1] || ' ' || (1 + b.k %% 997)
                  || ' ' || chr(8211) || ' ' || (%(phrases)s::text[])[b.phrase + 1] AS title
      FROM bench_request AS b) AS r
LEFT JOIN (SELECT k, sum(opened)::int AS opened FROM bench_opened GROUP BY k) AS o
       ON o.k = r.k
"""

UNSUBSCRIBERS_INSERT = """
INSERT INTO mailer_unsubscriber (project_id, address, created, is_reg_by_manager,
                                 send_request_id)
SELECT DISTINCT ON (address) %(project)s, address, unsubscribed_at, false, request_pk
FROM bench_unsubscribed
ORDER BY address, unsubscribed_at
ON CONFLICT (project_id, address) DO NOTHING
"""

# What acceptance counted against the monthly limit, month by month (cancellations given back).
MONTHLY_USAGE_INSERT = """
INSERT INTO mailer_monthlyusage (project_id, month, accepted, "limit")
SELECT %(project)s, date_trunc('month', created AT TIME ZONE %(time_zone)s)::date,
       sum(counted_recipients), greatest(%(monthly_limit)s, sum(counted_recipients))
FROM mailer_sendrequest WHERE project_id = %(project)s GROUP BY 2
"""

TABLES = ("mailer_sendrequest", "mailer_mail", "mailer_recipient")
COLUMNS_WRITTEN = {
    "mailer_sendrequest": REQUESTS_INSERT, "mailer_mail": CHUNK, "mailer_recipient": CHUNK,
    "mailer_monthlyusage": MONTHLY_USAGE_INSERT,
}


def _check_columns(cursor) -> None:
    """The INSERTs name every column of their tables: a NOT NULL column added to the models
    since this file was written would fail the load far into it (so it fails here), and a
    nullable one would be left empty (so it is said)."""
    for table, statement in COLUMNS_WRITTEN.items():
        cursor.execute("SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
                       "FROM information_schema.columns WHERE table_name = %s", [table])
        head = statement.split(f"INSERT INTO {table} (", 1)[1].split(")", 1)[0]
        written = {name.strip().strip('"') for name in head.split(",")}
        unwritten = [(name, required) for name, required in cursor.fetchall()
                     if name not in written and name != "id"]
        if any(required for _name, required in unwritten):
            raise RuntimeError(f"bench/history.py gives no value to {table}."
                               f"{', '.join(name for name, _required in unwritten)}: "
                               "add it to the INSERT")
        for name, _required in unwritten:
            _say(f"note: bench/history.py leaves {table}.{name} empty (NULL or its default)")


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of the three tables that back no constraint."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [list(TABLES)])
    return cursor.fetchall()


def _wipe(cursor, project_id: int, others: bool) -> None:
    """An earlier load of another size: gone before this one."""
    _say("removing the earlier history of the project…")
    if not others:
        cursor.execute("TRUNCATE mailer_recipient, mailer_mail, mailer_unsubscriber, "
                       "mailer_idempotencykey, mailer_sendrequest")
        cursor.execute("DELETE FROM mailer_monthlyusage WHERE project_id = %s", [project_id])
        return
    requests = "SELECT id FROM mailer_sendrequest WHERE project_id = %s"
    cursor.execute("DELETE FROM mailer_recipient WHERE project_id = %s", [project_id])
    cursor.execute(f"DELETE FROM mailer_mail WHERE send_request_id IN ({requests})", [project_id])
    cursor.execute("DELETE FROM mailer_unsubscriber WHERE project_id = %s", [project_id])
    cursor.execute("DELETE FROM mailer_monthlyusage WHERE project_id = %s", [project_id])
    cursor.execute("DELETE FROM mailer_idempotencykey WHERE project_id = %s", [project_id])
    cursor.execute("DELETE FROM mailer_sendrequest WHERE project_id = %s", [project_id])


def _lower_priority(cursor) -> None:
    """The machine is shared: the backend doing the work runs niced, as this process should."""
    cursor.execute("SELECT pg_backend_pid()")
    with contextlib.suppress(OSError):  # not ours to renice (another user, another machine)
        os.setpriority(os.PRIO_PROCESS, cursor.fetchone()[0], 10)


def loaded(project, requests: int, recipients: int) -> bool:
    from django.db.models import Count, Sum

    from mailer.models import SendRequest

    found = SendRequest.objects.filter(project=project).aggregate(
        n=Count("id"), recipients=Sum("recipient_count"))
    return found["n"] == requests and (found["recipients"] or 0) == recipients


def load_history(requests: int = REQUESTS, recipients: int = RECIPIENTS):
    """The project `bench-lists` with its history: made once, then returned at once."""
    from django.conf import settings

    from console.models import Project

    wanted = urlsplit(lists_database_url()).path.lstrip("/")
    if settings.DATABASES["default"]["NAME"] != wanted:
        sys.exit(f"load_history writes millions of rows into {wanted} only "
                 "(bench.history.setup_lists_django), never another database")
    project = Project.objects.filter(slug=PROJECT_SLUG).first()
    if project and loaded(project, requests, recipients):
        return project
    started = time.perf_counter()
    _load(requests, recipients)
    project = Project.objects.get(slug=PROJECT_SLUG)
    _say(f"history loaded in {time.perf_counter() - started:.0f} s")
    return project


def _load(requests: int, recipients: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from mailer.models import MailerSettings, SendRequest
    from mailer.request_counts import recount

    started = time.perf_counter()

    def elapsed() -> str:
        return f"{time.perf_counter() - started:6.0f} s"

    with transaction.atomic(), connection.cursor() as cursor:
        _lower_priority(cursor)
        _check_columns(cursor)
        project, user = _project_and_user()
        templates = _templates(project)
        api_key = _history_api_key(project, user)
        if SendRequest.objects.filter(project=project).exists():
            _wipe(cursor, project.pk,
                  SendRequest.objects.exclude(project=project).exists())
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(RANDOM_FUNCTION)

        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        _say(f"{elapsed()}  {len(indexes)} secondary indexes dropped, to be built at the end")

        now = timezone.now()
        bases = {}
        for table, key in (("mailer_sendrequest", "request_base"), ("mailer_mail", "mail_base"),
                           ("mailer_recipient", "recipient_base")):
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            bases[key] = cursor.fetchone()[0]
        span_us = DAYS * 86_400_000_000
        campaigns = requests // 30_000
        campaign_every = requests // campaigns if campaigns else 0
        params = {
            **bases, "requests": requests, "now": now, "first": now - timedelta(days=DAYS),
            "step_us": span_us // requests, "campaign_every": campaign_every,
            "campaign_size": recipients // 100, "reserved_days": RESERVED_WITHIN_DAYS,
            "reserved_share": 0.005 * DAYS / RESERVED_WITHIN_DAYS, "templates": TEMPLATES,
            "topics": len(TOPICS), "phrases": len(PHRASES), "pool": ADDRESS_POOL,
            "chunk_rows": CHUNK_ROWS, "stride": ADDRESS_STRIDE, "project": project.pk,
            "retrying": RETRYING,
        }
        cursor.execute(PLAN_SIZES, params)
        cursor.execute("SELECT coalesce(sum(n) FILTER (WHERE tier <> 'large'), 0), "
                       "sum(weight) FILTER (WHERE tier = 'large'), "
                       "count(*) FILTER (WHERE tier = 'large') FROM bench_plan")
        fixed, weights, large = cursor.fetchone()
        left = recipients - fixed
        if left < large * 1_000:
            raise ValueError(f"{recipients:,} recipients are too few for {requests:,} requests "
                             f"({fixed:,} go to the small ones alone)")
        cursor.execute(PLAN_LARGE, {"left": left, "weights": weights})
        # One recipient cannot be partially failed: the 5 % of PF are all among the others.
        cursor.execute("SELECT avg((n = 1)::int) FROM bench_plan")
        single = float(cursor.fetchone()[0])
        params["sent_below"] = 0.955 - 0.05 / (1 - single)
        cursor.execute(PLAN_REQUESTS, params)
        cursor.execute("SELECT sum(n), min(n), max(n), max(chunk) FROM bench_request")
        total, smallest, largest, last_chunk = cursor.fetchone()
        assert total == recipients and smallest >= 1, (total, smallest)
        _say(f"{elapsed()}  planned {requests:,} requests of {smallest} to {largest:,} recipients"
             f" ({large} large ones, {campaigns} campaigns)")

        cursor.execute("CREATE TEMPORARY TABLE bench_opened (k int, opened bigint)")
        cursor.execute("CREATE TEMPORARY TABLE bench_unsubscribed "
                       "(address text, unsubscribed_at timestamptz, request_pk bigint)")
        done = 0
        for chunk in range(last_chunk + 1):
            cursor.execute(CHUNK, {**params, "chunk": chunk})
            done += cursor.rowcount
            _say(f"{elapsed()}  recipients and mails {done:>12,} / {recipients:,}"
                 f"  ({done * 100 // recipients} %)")

        cursor.execute(REQUESTS_INSERT, {
            **params, "user": user.pk, "api_key": api_key.pk,
            "template_ids": [t.pk for t in templates],
            "template_names": [t.name for t in templates], "senders": SENDERS,
            "topics": TOPICS, "phrases": PHRASES})
        _say(f"{elapsed()}  send requests {cursor.rowcount:,}")
        cursor.execute(UNSUBSCRIBERS_INSERT, params)
        _say(f"{elapsed()}  unsubscribers {cursor.rowcount:,}")
        cursor.execute(MONTHLY_USAGE_INSERT, {
            **params, "time_zone": project.time_zone,
            "monthly_limit": MailerSettings.DEFAULT_MONTHLY_LIMIT})
        _say(f"{elapsed()}  monthly usage of {cursor.rowcount} months")
        for table in TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        cursor.execute("RESET session_replication_role")

        for name, definition in indexes:
            cursor.execute(definition)
            _say(f"{elapsed()}  index {name}")
        cursor.execute("DROP TABLE bench_plan, bench_request, bench_opened, bench_unsubscribed")
    # The load ran with the triggers off (replica): the requests' hourly counts from the rows.
    _say(f"{elapsed()}  {recount()} hours of requests counted")
    # Outside the transaction: hint bits, the visibility map (index-only scans) and statistics,
    # so the benchmarks meet the tables as they are after a year of autovacuum.
    with connection.cursor() as cursor:
        for table in (*TABLES, "mailer_unsubscriber"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
            _say(f"{elapsed()}  vacuum analyze {table}")


def main() -> None:
    setup_lists_django()
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else REQUESTS
    recipients = int(sys.argv[2]) if len(sys.argv) > 2 else RECIPIENTS
    project = load_history(requests, recipients)
    print(f"project {project.slug} (pk {project.pk}) on {lists_database_url()}")


if __name__ == "__main__":
    main()
