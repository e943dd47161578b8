"""UN Comtrade API (v1, "get" endpoint): pull final data as JSON into the raw archive.

The subscription key is read from the environment variable COMTRADE_API_KEY only, never from a
file or an argument. The free tier allows 500 calls a day and 100,000 records a call: calls are
spaced (one a second by default), counted per UTC day in the archive, refused past the daily
allowance. An answer that reaches the record cap may be cut short: it is never archived, and the
query is split (its periods, then its HS codes, partners and flows, in halves) and asked again
until every part fits; a query asking for one period, code, partner and flow that still reaches
the cap is refused. The cap is known only from an answer (the API states no count beforehand),
so a split costs the capped call. Each response lands in ``<archive>/trade/comtrade/<date>/``
where the comtrade parser reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from orchestration.acquire.fetch import (
    ClientOptions,
    FetchError,
    FetchResult,
    FetchTarget,
    fetch_url,
)

API_ROOT = "https://comtradeapi.un.org/data/v1/get/C"
KEY_VAR = "COMTRADE_API_KEY"
CALLS_PER_DAY = 500
RECORDS_PER_CALL = 100_000
USAGE_FILE = ".comtrade-usage.json"


class ComtradeApiError(RuntimeError):
    pass


@dataclass(frozen=True)
class ComtradeQuery:
    """One call: a reporter, periods and HS codes; totals only unless asked otherwise
    (second partner World, all customs procedures, all modes of transport)."""

    frequency: str  # "A" annual or "M" monthly
    reporter_code: int
    periods: Sequence[str]  # "2022" or "202203"
    cmd_codes: Sequence[str]
    flow_codes: Sequence[str] = ("X", "M")
    partner_code: int | None = None  # None: every partner (unless partner_codes names some)
    classification: str = "HS"
    partner_codes: Sequence[int] = ()  # several partners in one call

    def params(self) -> dict[str, str]:
        if self.frequency not in ("A", "M"):
            raise ComtradeApiError(f"frequency must be A or M, not {self.frequency!r}")
        params = {
            "reporterCode": str(self.reporter_code),
            "period": ",".join(self.periods),
            "cmdCode": ",".join(self.cmd_codes),
            "flowCode": ",".join(self.flow_codes),
            "partner2Code": "0",
            "customsCode": "C00",
            "motCode": "0",
            "includeDesc": "false",
        }
        if partners := self.partners():
            params["partnerCode"] = ",".join(str(p) for p in partners)
        return params

    def partners(self) -> list[int]:
        """The partners named (none: every partner)."""
        return [*([self.partner_code] if self.partner_code is not None else []),
                *self.partner_codes]  # fmt: skip

    def file_name(self) -> str:
        digest = hashlib.sha256(json.dumps(self.params(), sort_keys=True).encode()).hexdigest()
        periods = "-".join(self.periods)
        return f"comtrade_{self.frequency}_{self.reporter_code}_{periods}_{digest[:10]}.json"


@dataclass
class CallBudget:
    """Spaces calls and counts them per UTC day, in a file beside the archive, so separate
    runs on one machine share the allowance."""

    archive_root: Path
    min_interval: float = 1.0
    per_day: int = CALLS_PER_DAY
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    today: Callable[[], str] = field(default=lambda: datetime.now(UTC).date().isoformat())
    _last: float | None = None

    def _path(self) -> Path:
        return self.archive_root / USAGE_FILE

    def used_today(self) -> int:
        path = self._path()
        usage = json.loads(path.read_text()) if path.exists() else {}
        return int(usage.get(self.today(), 0))

    def spend(self) -> None:
        used = self.used_today()
        if used >= self.per_day:
            raise ComtradeApiError(
                f"daily allowance of {self.per_day} Comtrade calls used ({used} today)"
            )
        if self._last is not None:
            wait = self.min_interval - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()
        self.archive_root.mkdir(parents=True, exist_ok=True)
        self._path().write_text(json.dumps({self.today(): used + 1}))


def api_key(env: dict[str, str] | None = None) -> str:
    key = (env if env is not None else os.environ).get(KEY_VAR, "").strip()
    if not key:
        raise ComtradeApiError(f"set {KEY_VAR} to a UN Comtrade subscription key")
    return key


def query_url(query: ComtradeQuery, key: str, api_root: str = API_ROOT) -> str:
    params = {**query.params(), "subscription-key": key}
    return f"{api_root}/{query.frequency}/{query.classification}?{urlencode(params)}"


# The reason a capped answer is refused with (FetchResult.reason), which tells it from other
# failures: only a capped answer is worth splitting.
CAPPED = "records, the per-call maximum"


def check_answer(path: Path) -> None:
    """Refuse an answer that holds as many records as one call may return: more may exist."""
    count = json.loads(path.read_bytes()).get("count", 0)
    if isinstance(count, int) and count >= RECORDS_PER_CALL:
        raise FetchError(f"{count} {CAPPED} of {RECORDS_PER_CALL:,}: the answer may be cut short")


def capped(result: FetchResult) -> bool:
    return result.status == "failed" and CAPPED in result.reason


def split_result(result: FetchResult, parts: list[ComtradeQuery]) -> FetchResult:
    """A capped answer's result once its query is asked again in ``parts``: not a failure."""
    return replace(
        result, status="split", reason=f"{result.reason}; asked again in {len(parts)} parts"
    )


def _halves(values: Sequence) -> tuple[tuple, tuple]:
    middle = (len(values) + 1) // 2
    return tuple(values[:middle]), tuple(values[middle:])


def split(query: ComtradeQuery) -> list[ComtradeQuery] | None:
    """The query in two smaller ones that together ask for the same records, or ``None`` when
    it asks for one period, HS code, partner and flow. Periods go first: each part then names
    the periods it holds (file_name), which the trade partitions read. A query of every partner
    (none named) cannot be split by partner: the API is not asked which partners exist."""
    if len(query.periods) > 1:
        return [replace(query, periods=half) for half in _halves(query.periods)]
    if len(query.cmd_codes) > 1:
        return [replace(query, cmd_codes=half) for half in _halves(query.cmd_codes)]
    partners = query.partners()
    if len(partners) > 1:
        return [replace(query, partner_code=None, partner_codes=half) for half in _halves(partners)]
    if len(query.flow_codes) > 1:
        return [replace(query, flow_codes=half) for half in _halves(query.flow_codes)]
    return None


def unsplittable(query: ComtradeQuery) -> str:
    return (
        f"{query.file_name()}: the answer reaches the per-call maximum of "
        f"{RECORDS_PER_CALL:,} records for one period, HS code, partner and flow: name the "
        "partners (partner_codes) or narrower HS codes"
    )


def fetch_queries(
    queries: Sequence[ComtradeQuery],
    archive_root: Path,
    budget: CallBudget | None = None,
    options: ClientOptions | None = None,
    env: dict[str, str] | None = None,
    api_root: str = API_ROOT,
) -> list[FetchResult]:
    """Fetch each query into the archive, splitting one whose answer reaches the record cap
    (the capped answer's result, status ``split``, is followed by the results of its parts);
    stops at the first failure of the budget, or at a capped query that cannot be split."""
    key = api_key(env)
    budget = budget or CallBudget(archive_root)
    results = []
    pending = deque(queries)
    while pending:
        query = pending.popleft()
        budget.spend()
        target = FetchTarget(
            url=query_url(query, key, api_root),
            kind="trade",
            source="comtrade",
            file_name=query.file_name(),
            content="json",
            max_bytes=512 * 1024 * 1024,
            check=check_answer,
        )
        result = fetch_url(target, archive_root, options)
        if capped(result):
            parts = split(query)
            if parts is None:
                raise ComtradeApiError(unsplittable(query))
            result = split_result(result, parts)
            pending.extendleft(reversed(parts))
        results.append(result)
    return results
