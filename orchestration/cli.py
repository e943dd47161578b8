"""The ``roundabout`` command: run the pipeline, query the warehouse, screen counterparties, fetch
lists, open the UI."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

from orchestration.instance_config import ensure_instance_config
from orchestration.settings import SAMPLE_INPUTS, Settings, environment, from_environment


def _settings(args: argparse.Namespace) -> Settings:
    base = from_environment()
    home = Path(args.home).resolve() if getattr(args, "home", None) else base.home
    inputs = Path(args.inputs).resolve() if getattr(args, "inputs", None) else base.inputs
    settings = replace(
        base,
        home=home,
        inputs=inputs,
        fresh=getattr(args, "fresh", False),
        full_refresh=getattr(args, "full_refresh", False),
    )
    # The instance stores the runs the UI shows, and limits the write pool to one step; the
    # commands whose runs it stores create the pool in it before any run can claim it.
    ensure_instance_config(
        Path(os.environ.setdefault("DAGSTER_HOME", str(home / "dagster"))),
        create_pool=getattr(args, "func", None) is cmd_ui or bool(getattr(args, "record", False)),
    )
    return settings


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.inputs.is_dir():
        print(f"roundabout: inputs directory not found: {settings.inputs}", file=sys.stderr)
        return 2
    partitions = None
    if args.period_from or args.period_to:
        from orchestration.partitions import backfill_range

        partitions = (args.period_from or args.period_to, args.period_to or args.period_from)
        try:
            backfill_range(*partitions)
        except ValueError as err:
            print(f"roundabout: {err}", file=sys.stderr)
            return 2
        if settings.fresh:
            # A fresh run starts from empty: over a range it would publish that range alone.
            print(
                "roundabout run: --fresh builds the warehouse from empty and cannot be combined "
                "with --from/--to, which rebuild a range of years or months only: the warehouse "
                "would hold that range alone. Run --fresh without a range, or the range without "
                "--fresh.",
                file=sys.stderr,
            )
            return 2
    from orchestration.home_lock import HomeBusy
    from orchestration.pipeline import run_pipeline

    try:
        summary = run_pipeline(settings, record=args.record, wait=args.wait, partitions=partitions)
    except HomeBusy as err:
        print(f"roundabout run: {err}", file=sys.stderr)
        return 3
    print(summary.render())
    from orchestration.report import REPORT_NAME, report_dir

    report = report_dir(settings.home) / REPORT_NAME
    if summary.published and report.exists():
        print(f"report: {report} (open it in a browser)")
    return 0 if summary.success else 1


def cmd_query(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from orchestration.query import run_query

    return run_query(settings.published_db, args.sql, args.format, args.allow_external_access)


def cmd_export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from orchestration.exports import ExportError, export_tables

    out = Path(args.out).resolve() if args.out else settings.home / "exports"
    try:
        if args.workbook:
            from orchestration.exports import export_workbook

            written = export_workbook(settings.published_db, out)
        else:
            written = export_tables(settings.published_db, out, args.format, args.table)
    except ExportError as err:
        print(f"roundabout export: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    if args.screenshot_page and not args.screenshot:
        print("roundabout report: --screenshot-page goes with --screenshot", file=sys.stderr)
        return 2
    settings = _settings(args)
    from orchestration.report import REPORT_NAME, ReportError, build_report, report_dir

    out = Path(args.out).resolve() if args.out else report_dir(settings.home) / REPORT_NAME
    try:
        report = build_report(settings.published_db, out, settings.inputs)
    except ReportError as err:
        print(f"roundabout report: {err}", file=sys.stderr)
        return 2
    if args.png or args.screenshot:
        from orchestration.report.images import NoBrowser, write_images

        png_dir = Path(args.png).resolve() if args.png else None
        screenshot = Path(args.screenshot).resolve() if args.screenshot else None
        try:
            pages = [p.id for p in report.pages]
            if args.screenshot_page and args.screenshot_page not in pages:
                print(f"roundabout report: no page {args.screenshot_page!r}; the pages: "
                      + ", ".join(pages), file=sys.stderr)  # fmt: skip
                return 2
            for path in write_images(report.path, png_dir, screenshot, page=args.screenshot_page):
                print(path)
        except NoBrowser as err:
            print(f"roundabout report: {err}", file=sys.stderr)
            return 2
    for page in report.pages:
        for note in page.notes:
            print(f"{page.title}: {note}", file=sys.stderr)
    print(f"report: {report.path}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from orchestration.acquire.run import fetch

    archive = Path(args.archive).resolve() if args.archive else None
    try:
        run = fetch(settings, args.source or None, archive)
    except ValueError as err:
        print(f"roundabout fetch: {err}", file=sys.stderr)
        return 2
    for line in run.lines:
        print(line)
    for line in run.skipped:
        print(f"skipped      {line}")
    for line in run.failed:
        print(f"roundabout fetch: FAILED {line}", file=sys.stderr)
    if run.fetched_any:
        print(f"archive: {run.archive} (ingest it with: roundabout run --inputs {run.archive})")
    return 0 if run.ok else 1


def cmd_screen(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from orchestration.screening.command import (
        ModelsFailed,
        NoWarehouse,
        check_output,
        screen_published,
        write_output,
    )
    from orchestration.sources.common.base import SourceParseError

    shipments = Path(args.shipments) if args.shipments else None
    if args.out:
        try:
            check_output(Path(args.out))
        except ValueError as err:
            print(f"roundabout screen: {err}", file=sys.stderr)
            return 2
    try:
        result = screen_published(
            settings.published_db, Path(args.file), shipments, workers=args.workers
        )
    except NoWarehouse as err:
        print(f"roundabout screen: {err}", file=sys.stderr)
        return 2
    except SourceParseError as err:
        print(f"roundabout screen: bad input file: {err}", file=sys.stderr)
        return 2
    except ModelsFailed as err:
        print(f"roundabout screen: {err}", file=sys.stderr)
        return 1
    if args.out:
        written = write_output(result, Path(args.out))
        print(result.summary(), file=sys.stderr)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
    else:
        from orchestration.cell_safety import csv_safe_frame

        sys.stdout.write(csv_safe_frame(result.matches).write_csv())
        print(result.summary(), file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.published_db
    if not warehouse.exists():
        print(
            f"roundabout serve: no published warehouse at {warehouse}; run `roundabout run` first",
            file=sys.stderr,
        )
        return 2
    import uvicorn

    from orchestration.serve import create_app

    print(f"roundabout serve: loading {warehouse} (read-only)", file=sys.stderr)
    app = create_app(warehouse)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_comtrade(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from orchestration.acquire.comtrade_api import ComtradeApiError, ComtradeQuery, fetch_queries

    archive = Path(args.archive).resolve() if args.archive else settings.raw_archive
    query = ComtradeQuery(
        frequency=args.freq,
        reporter_code=args.reporter,
        periods=args.period,
        cmd_codes=args.cmd,
        partner_code=args.partner,
    )
    try:
        results = fetch_queries([query], archive)
    except ComtradeApiError as err:
        print(f"roundabout comtrade: {err}", file=sys.stderr)
        return 2
    for result in results:
        print(result.describe())
    print(f"archive: {archive} (ingest it with: roundabout run --inputs {archive})")
    return 0 if all(r.ok for r in results) else 1


def cmd_ui(args: argparse.Namespace) -> int:
    settings = _settings(args)
    command = ["dagster", "dev", "-m", "orchestration.definitions", "-p", str(args.port)]
    # The code location takes its settings' defaults from the environment it loads in.
    return run_until_signalled(command, env={**os.environ, **environment(settings)})


def run_until_signalled(
    command: list[str], grace: float = 20.0, env: dict[str, str] | None = None
) -> int:
    """Run ``command`` in a process group of its own and, on SIGTERM or SIGINT, stop the whole
    group: ``dagster dev`` starts a webserver, a daemon and code servers, which a signal to the
    parent alone leaves running. They get ``grace`` seconds to stop before SIGKILL."""
    received: list[int] = []
    started: list[subprocess.Popen] = []

    def forward(signum: int, _frame) -> None:
        received.append(signum)
        for child in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)

    # The handlers are set before the child starts: a child inherits an ignored signal (a
    # shell's background job ignores SIGINT; a parent may ignore SIGTERM) and would then outlive
    # the signal, while a Python handler is reset to the default in the child.
    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        # Inside the try: a child that cannot start (dagster missing) restores the handlers.
        child = subprocess.Popen(command, start_new_session=True, env=env)
        started.append(child)
        if received:  # a signal came while the child was starting
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:  # a second Ctrl-C while waiting
                continue
        _stop_group(child.pid, grace)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + received[0] if received and code < 0 else code


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (zombies left for init to reap do not count)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def _stop_group(pgid: int, grace: float) -> None:
    """Whatever is left of the group (processes the leader did not wait for) gets SIGTERM, then
    SIGKILL after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while group_members(pgid) if Path("/proc/self").exists() else True:
        sig = signal.SIGTERM if time.monotonic() < deadline else signal.SIGKILL
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return  # the group is empty
        if time.monotonic() > deadline + 5:
            return
        time.sleep(0.2)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="roundabout",
        description="Trace dual-use goods diverted to Russia through third countries.",
    )
    top.add_argument("--home", help="warehouse home (default $ROUNDABOUT_HOME or ./var)")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest, build, check and publish the warehouse")
    run.add_argument(
        "--inputs", help=f"inputs directory laid out like data/sample (default {SAMPLE_INPUTS})"
    )
    run.add_argument(
        "--fresh", action="store_true", help="build from empty, not from the published warehouse"
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental model whole instead of only the partitions that changed",
    )
    run.add_argument(
        "--from",
        dest="period_from",
        metavar="PERIOD",
        help="backfill: rebuild only the trade partitions from this year (2021) or month "
        "(2021-03) on, up to --to (default: the whole warehouse)",
    )
    run.add_argument(
        "--to",
        dest="period_to",
        metavar="PERIOD",
        help="backfill: the last year or month rebuilt (default: the --from period)",
    )
    run.add_argument(
        "--record",
        action="store_true",
        help="store the run and its events in the Dagster instance (DAGSTER_HOME), so that "
        "the UI shows it; slower",
    )
    run.add_argument(
        "--wait",
        action="store_true",
        help="when another run is using the home, wait for it to end (default: exit at once)",
    )
    run.set_defaults(func=cmd_run)

    query = sub.add_parser("query", help="run SQL against the published warehouse (read-only)")
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.add_argument(
        "--allow-external-access",
        action="store_true",
        help="let the SQL read and write files, attach databases and load extensions "
        "(off by default: a query only reads the warehouse)",
    )
    query.set_defaults(func=cmd_query)

    export = sub.add_parser("export", help="export marts as Parquet, CSV or XLSX files")
    export.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet")
    export.add_argument("--out", help="folder for the files (default <home>/exports)")
    export.add_argument(
        "--table", action="append", help="schema.table to export (repeatable; default: all marts)"
    )
    export.add_argument(
        "--workbook",
        action="store_true",
        help="one XLSX workbook of the report's tables (roundabout-report.xlsx) instead",
    )
    export.set_defaults(func=cmd_export)

    report = sub.add_parser(
        "report", help="write the HTML report of the published warehouse (PNGs on request)"
    )
    report.add_argument("--out", help="HTML file (default <home>/report/report.html)")
    report.add_argument("--png", help="folder for a PNG of each chart (needs Chromium)")
    report.add_argument(
        "--screenshot", help="PNG of the report's first screen, e.g. docs/img/report.png"
    )
    report.add_argument(
        "--screenshot-page",
        metavar="PAGE",
        help="with --screenshot: the first screen of this page instead (transit-hubs, "
        "suppliers, growing-lines, list-changes, screening)",
    )
    report.set_defaults(func=cmd_report)

    fetch = sub.add_parser("fetch", help="download the lists from their official URLs")
    fetch.add_argument("--source", action="append", help="source to fetch (repeatable)")
    fetch.add_argument("--archive", help="archive folder (default <home>/raw)")
    fetch.set_defaults(func=cmd_fetch)

    screen = sub.add_parser(
        "screen", help="screen a counterparty file against the published warehouse's lists"
    )
    screen.add_argument(
        "file", help="counterparty file (CSV, XLSX or Parquet; needs a name column)"
    )
    screen.add_argument("--shipments", help="shipments file (CSV, XLSX or Parquet)")
    screen.add_argument(
        "--out",
        help="results file: .csv (exposure in <stem>.exposure.csv beside it), .xlsx (two "
        "sheets) or .parquet; default: the matches as CSV on standard output",
    )
    screen.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="screening processes"
    )
    screen.set_defaults(func=cmd_screen)

    serve = sub.add_parser(
        "serve",
        help="HTTP matching API over the published warehouse (read-only), yente-compatible "
        "POST /match/{dataset}; OpenAPI pages at /docs",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--warehouse",
        help="a .duckdb warehouse or a folder of reference files (default: the published one)",
    )
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.set_defaults(func=cmd_serve)

    comtrade = sub.add_parser(
        "comtrade", help="pull UN Comtrade data (key in COMTRADE_API_KEY) into the archive"
    )
    comtrade.add_argument("--freq", choices=["A", "M"], default="A")
    comtrade.add_argument("--reporter", type=int, required=True, help="Comtrade reporter code")
    comtrade.add_argument("--period", action="append", required=True, help="2022 or 202203")
    comtrade.add_argument("--cmd", action="append", required=True, help="HS code (repeatable)")
    comtrade.add_argument("--partner", type=int, help="partner code (default: every partner)")
    comtrade.add_argument("--archive", help="archive folder (default <home>/raw)")
    comtrade.set_defaults(func=cmd_comtrade)

    ui = sub.add_parser("ui", help="open the Dagster UI (dagster dev)")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return top


def main(argv: list[str] | None = None) -> int:
    # Great Expectations imports PySpark, which warns about pandas 3 on import although nothing
    # here runs pandas through Spark; the warning only buried the run summary's first lines.
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    finally:
        # Python's last act is a garbage collection of every object still alive: after a run,
        # Dagster's, dbt's and Great Expectations' whole object graph, about 2 s spent freeing
        # memory the operating system takes back anyway. Frozen objects (gc.freeze) are left
        # out of it. Nothing is lost: what the commands write is closed before they return.
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
