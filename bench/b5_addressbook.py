"""B5: address import of 100,000 rows (target ≤ 5 s); AND / OR over 1,000,000 addresses
(target ≤ 2 s).

The import goes through the product's own path: the upload check, the AddressImport row and the
worker's task body (read, check, one COPY-staged transaction); once in-process (the work alone)
and once end to end through a Celery worker. The million addresses are generated server-side in
four overlapping groups; each combination is counted and fully read in the mailer's way (chunks
of 5,000 by id), and checked against the set the group rules give.
"""

from __future__ import annotations

import csv
import io
import statistics
import time

from bench.harness import bench_project, clean_slate, processes, save, start_worker

ROWS = 100_000
MILLION = 1_000_000
CHUNK = 5_000
REPEAT = 3
# The four groups over addresses numbered 1…1,000,000: overlapping by construction, so the
# expected sizes are known without asking the database.
GROUPS = {"even": "mod(n, 2) = 0", "third": "mod(n, 3) = 0", "fifth": "mod(n, 5) = 0",
          "first300k": "n <= 300000"}


def _expected(names: list[str], and_filter: bool) -> int:
    rules = {"even": lambda n: n % 2 == 0, "third": lambda n: n % 3 == 0,
             "fifth": lambda n: n % 5 == 0, "first300k": lambda n: n <= 300_000}
    test = all if and_filter else any
    return sum(1 for n in range(1, MILLION + 1) if test(rules[name](n) for name in names))


def _csv(rows: int, prefix: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email"])
    for n in range(rows):
        writer.writerow([f"고객{n}", f"{prefix}{n:06d}@example.com"])
    return buffer.getvalue().encode()


def _xlsx(rows: int, prefix: str) -> bytes:
    """A workbook as Excel saves one (shared strings, the sheet's dimension declared)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "email"])
    for n in range(rows):
        sheet.append([f"고객{n}", f"{prefix}{n:06d}@example.com"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_in_process(project, name: str, data: bytes, group) -> dict:
    """The upload check, the row, then the task body, timed together."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from addressbook import imports
    from addressbook.models import AddressImport

    started = time.perf_counter()
    upload = SimpleUploadedFile(name, data)
    kind = imports.check_upload(upload)
    job = AddressImport.objects.create(
        project=project, source=AddressImport.Source.FILE, file_name=name, file_kind=kind,
        content=data, group_name=group.name if group else "",
        payload={"group": group.pk if group else None})
    imports.run(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == AddressImport.Status.DONE, job.error
    return {"seconds": round(seconds, 2), "bytes": len(data), "added": job.added,
            "new_addresses": job.new_addresses, "duplicates": job.duplicates}


def _import_through_worker(project, data: bytes, group) -> dict:
    """The upload queued as the console queues it; a Celery worker imports it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from addressbook import imports
    from addressbook.models import AddressImport

    with processes() as running:
        start_worker(running, concurrency=1)
        time.sleep(4)  # the worker's start-up is not part of the import
        started = time.perf_counter()
        upload = SimpleUploadedFile("worker.csv", data)
        job = imports.start_file_import(project, None, upload, imports.check_upload(upload),
                                        group)
        while True:
            job.refresh_from_db()
            if not job.is_active:
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    assert job.status == AddressImport.Status.DONE, job.error
    return {"seconds": round(seconds, 2), "added": job.added}


def _baseline_copy(data: bytes) -> float:
    """The floor: parse the same CSV and COPY its addresses into a temporary table."""
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = [row[1] for row in csv.reader(io.StringIO(data.decode()))][1:]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE b5_floor (address varchar(320)) ON COMMIT DROP")
        with cursor.cursor.copy("COPY b5_floor (address) FROM STDIN") as copy:
            for address in rows:
                copy.write_row((address,))
    return time.perf_counter() - started


def _million(project) -> dict:
    """1,000,000 addresses and four overlapping groups, generated in the database."""
    from django.db import connection

    from addressbook.models import Address, AddressBook, GroupMember, RecipientGroup
    from console.bulk import refresh_statistics

    started = time.perf_counter()
    address, member = Address._meta.db_table, GroupMember._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{address}" (project_id, address, created) '
            "SELECT %s, 'user' || lpad(n::text, 7, '0') || '@example.com', now() "
            "FROM generate_series(1, %s) n", [project.pk, MILLION])
        for name, rule in GROUPS.items():
            group = RecipientGroup.objects.create(project=project, name=name)
            cursor.execute(
                f'INSERT INTO "{member}" (group_id, address_id) '
                f"SELECT %s, id FROM (SELECT id, substr(address, 5, 7)::int AS n "
                f'FROM "{address}" WHERE project_id = %s) a WHERE {rule}',
                [group.pk, project.pk])
            RecipientGroup.objects.filter(pk=group.pk).update(address_count=cursor.rowcount)
    AddressBook.objects.create(project=project, address_count=MILLION)
    refresh_statistics(Address, GroupMember)
    return {"seconds": round(time.perf_counter() - started, 1),
            "memberships": GroupMember.objects.filter(group__project=project).count()}


def _median(measure) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = measure()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3), result


def _read_all(queryset) -> int:
    """The mailer's way: chunks of 5,000 (id, address) by id."""
    ordered, cursor, n = queryset.order_by("id"), 0, 0
    while rows := list(ordered.filter(id__gt=cursor).values_list("id", "address")[:CHUNK]):
        cursor, n = rows[-1][0], n + len(rows)
    return n


def _combinations(project) -> list[dict]:
    from django.db.models import Count

    from addressbook.combination import combine_groups
    from addressbook.models import Address, GroupMember

    results = []
    for names in (["even", "third"], ["even", "third", "fifth"],
                  ["even", "third", "fifth", "first300k"]):
        for and_filter in (True, False):
            expected = _expected(names, and_filter)
            combined = combine_groups(project, names, and_filter=and_filter)
            count_seconds, counted = _median(combined.count)
            read_seconds, read = _median(lambda c=combined: _read_all(c))
            assert counted == read == expected, (names, and_filter, counted, read, expected)
            # Baseline in the same run: the textbook formulation.
            members = GroupMember.objects.filter(group__project=project, group__name__in=names)
            if and_filter:
                ids = (members.values("address_id").annotate(n=Count("group_id"))
                       .filter(n=len(names)).values("address_id"))
            else:
                ids = members.values("address_id")
            textbook = Address.objects.filter(project=project, id__in=ids)
            baseline_seconds, baseline = _median(textbook.count)
            assert baseline == expected
            results.append({"groups": " AND ".join(names) if and_filter else " OR ".join(names),
                            "addresses": expected, "count_s": count_seconds,
                            "read_all_s": read_seconds, "baseline_count_s": baseline_seconds})
            print(results[-1], flush=True)
    return results


def _page_loads(project) -> dict:
    """The Address book screen over the million: the tree, a page, a group page, a search."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from addressbook.models import RecipientGroup

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench"))
    base = f"/projects/{project.slug}/address-book/"
    even = RecipientGroup.objects.get(project=project, name="even").pk
    figures = {}
    for label, query in [("all, page 1", ""), ("all, page 1000", "?page=1000"),
                         ("group of 500,000, page 1", f"?group={even}"),
                         ("search 'user00123'", "?q=user00123")]:
        assert client.get(base + query).status_code == 200
        figures[label], _ = _median(lambda q=query: client.get(base + q))
    return figures


def run() -> dict:
    from addressbook import book
    from addressbook.models import RecipientGroup

    clean_slate()
    result: dict = {"rows": ROWS, "addresses": MILLION}

    project, _key, _secret = bench_project("b5-import")
    data = _csv(ROWS, "csv")
    result["baseline_parse_and_copy_s"] = round(_baseline_copy(data), 2)
    result["import_csv_empty_book"] = _import_in_process(project, "list.csv", data, None)
    group = RecipientGroup.objects.create(project=project, name="xlsx")
    result["import_xlsx_into_group"] = _import_in_process(project, "list.xlsx",
                                                          _xlsx(ROWS, "xlsx"), group)
    print(result, flush=True)

    big, _key, _secret = bench_project("b5-million")
    result["build_million"] = _million(big)
    print(result["build_million"], flush=True)
    result["combinations"] = _combinations(big)
    into = RecipientGroup.objects.create(project=big, name="imported")
    result["import_csv_into_group_of_million_book"] = _import_in_process(
        big, "more.csv", _csv(ROWS, "more"), into)
    result["import_csv_through_worker"] = _import_through_worker(big, _csv(ROWS, "worker"),
                                                                 None)
    result["page_loads_s"] = _page_loads(big)
    started = time.perf_counter()
    result["reset_deleted"] = book.reset(big)
    result["reset_s"] = round(time.perf_counter() - started, 2)
    book.reset(project)
    return result


def main() -> None:
    save("b5", run())
