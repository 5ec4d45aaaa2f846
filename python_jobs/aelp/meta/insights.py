"""Daily ad-level insights for one account and date range: sync or async, split on demand."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.api import FacebookAdsApi

from aelp.meta.errors import AsyncJobError, MetaRequestError, ReduceDataError
from aelp.meta.pages import drain
from aelp.meta.parse import insight_row
from aelp.meta.retry import Caller

log = logging.getLogger(__name__)

INSIGHT_FIELDS: tuple[str, ...] = (
    "account_id",
    "account_currency",
    "campaign_id",
    "adset_id",
    "ad_id",
    "date_start",
    "date_stop",
    "impressions",
    "reach",
    "frequency",
    "clicks",
    "inline_link_clicks",
    "unique_inline_link_clicks",
    "spend",
    "cpm",
    "actions",
    "action_values",
    "attribution_setting",
)
STATUS_FIELDS = ["async_status", "async_percent_completion"]
DONE, FAILED = "Job Completed", frozenset({"Job Failed", "Job Skipped"})


@dataclass(frozen=True)
class InsightsQuery:
    """One insights request: an account, an inclusive account-local date range, and
    optionally a subset of campaigns (after a split by level)."""

    account_id: str
    since: datetime.date
    until: datetime.date
    campaign_ids: tuple[str, ...] | None = None

    @property
    def days(self) -> int:
        """Days in the range, both ends included."""
        return (self.until - self.since).days + 1

    def describe(self) -> str:
        """``act_1 2026-01-01..2026-01-14`` (and the number of campaigns when split)."""
        scope = f" ({len(self.campaign_ids)} campaigns)" if self.campaign_ids else ""
        return f"insights {self.since}..{self.until}{scope}"

    def halves(self, all_campaigns: Sequence[str]) -> tuple[InsightsQuery, InsightsQuery] | None:
        """Two smaller queries: by date while the range has days, then by campaign."""
        if self.days > 1:
            mid = self.since + datetime.timedelta(days=self.days // 2 - 1)
            return (
                replace(self, until=mid),
                replace(self, since=mid + datetime.timedelta(days=1)),
            )
        campaigns = self.campaign_ids if self.campaign_ids is not None else tuple(all_campaigns)
        if len(campaigns) < 2:
            return None
        mid_c = len(campaigns) // 2
        return (
            replace(self, campaign_ids=tuple(campaigns[:mid_c])),
            replace(self, campaign_ids=tuple(campaigns[mid_c:])),
        )


@dataclass
class InsightsReader:
    """Reads queries through the SDK and turns them into raw-contract rows."""

    api: FacebookAdsApi
    caller: Caller
    windows: tuple[str, ...]
    page_size: int
    async_min_days: int
    async_attempts: int = 2
    first_poll_s: float = 0.25
    max_poll_s: float = 10.0
    max_wait_s: float = 3600.0
    sleep: Callable[[float], None] = time.sleep

    def params(self, query: InsightsQuery) -> dict[str, Any]:
        """The request parameters of a query (level=ad, one row per ad and day)."""
        params: dict[str, Any] = {
            "level": "ad",
            "time_increment": 1,
            "time_range": {"since": query.since.isoformat(), "until": query.until.isoformat()},
            "action_attribution_windows": list(self.windows),
            "fields": list(INSIGHT_FIELDS),
            "limit": self.page_size,
        }
        if query.campaign_ids is not None:
            params["filtering"] = [
                {"field": "campaign.id", "operator": "IN", "value": list(query.campaign_ids)}
            ]
        return params

    def read(self, query: InsightsQuery, campaigns: Sequence[str]) -> list[dict[str, Any]]:
        """Rows of a query; splits it when Meta asks for less data or async jobs keep failing."""
        use_async = query.days >= self.async_min_days
        try:
            objects = self._read_async(query) if use_async else self._read_sync(query)
        except (ReduceDataError, AsyncJobError) as error:
            halves = query.halves(campaigns)
            if halves is None:
                raise MetaRequestError(
                    f"{query.account_id}: {query.describe()} cannot be split further: {error}"
                ) from None
            stats = self.caller.stats
            stats.splits += 1
            log.info("%s: splitting %s (%s)", query.account_id, query.describe(), error)
            return [row for half in halves for row in self.read(half, campaigns)]
        return [insight_row(obj, query.account_id, self.windows) for obj in objects]

    def _read_sync(self, query: InsightsQuery) -> list[dict[str, Any]]:
        account = AdAccount(query.account_id, api=self.api)
        params = self.params(query)
        cursor = self.caller(
            lambda: account.get_insights(params=params), query.account_id, query.describe()
        )
        return drain(cursor, self.caller, query.account_id, query.describe())

    def _read_async(self, query: InsightsQuery) -> list[dict[str, Any]]:
        last: AsyncJobError | None = None
        for attempt in range(1, self.async_attempts + 1):
            try:
                return self._run_job(query)
            except AsyncJobError as error:
                self.caller.stats.async_failures += 1
                last = error
                log.warning(
                    "%s: report run for %s failed (attempt %d of %d)",
                    query.account_id,
                    query.describe(),
                    attempt,
                    self.async_attempts,
                )
        assert last is not None
        raise last

    def _run_job(self, query: InsightsQuery) -> list[dict[str, Any]]:
        account = AdAccount(query.account_id, api=self.api)
        params = self.params(query)
        what = f"{query.describe()} report run"
        job: AdReportRun = self.caller(
            lambda: account.get_insights(params=params, is_async=True), query.account_id, what
        )
        waited, polls = 0.0, 0
        while True:
            status = self.caller(
                lambda: job.api_get(fields=STATUS_FIELDS),
                query.account_id,
                what,
            )
            state = str(status[AdReportRun.Field.async_status])
            if state == DONE:
                break
            if state in FAILED:
                raise AsyncJobError(f"{query.account_id}: {what} ended in {state!r}")
            if waited >= self.max_wait_s:
                raise AsyncJobError(f"{query.account_id}: {what} not done after {waited:.0f} s")
            pause = min(self.max_poll_s, self.first_poll_s * 2.0**polls)
            self.sleep(pause)
            waited += pause
            polls += 1
        cursor = self.caller(
            lambda: job.get_insights(params={"limit": self.page_size}), query.account_id, what
        )
        return drain(cursor, self.caller, query.account_id, what)
