"""One fetch: per account, entities and creative media, then insights chunk by chunk."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import requests
from facebook_business.api import FacebookAdsApi
from tqdm import tqdm

from aelp import schemas
from aelp.meta.assets import AssetSync, open_store, read_manifest
from aelp.meta.checkpoints import (
    CHECKPOINTS,
    Checkpoint,
    Chunk,
    can_skip,
    chunk_days,
    plan_chunks,
    read_checkpoints,
    run_key,
    write_checkpoints,
)
from aelp.meta.config import MetaConfig
from aelp.meta.entities import EDGE_SPECS, AccountEntities, fetch_entities
from aelp.meta.errors import MetaConfigError
from aelp.meta.insights import InsightsQuery, InsightsReader
from aelp.meta.parse import to_table
from aelp.meta.redact import redacted_logs
from aelp.meta.retry import Caller, FetchStats, RetryPolicy
from aelp.meta.session import open_api
from aelp.warehouse import Warehouse

log = logging.getLogger(__name__)

ChunkHook = Callable[[str, Chunk], None]


@dataclass
class FetchSummary:
    """What a run did: rows written per table, chunks read and skipped, and the counters."""

    stats: FetchStats
    chunks_read: int = 0
    chunks_skipped: int = 0
    ranges: dict[str, tuple[datetime.date, datetime.date]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        s = self.stats
        out = [f"{table:<32} {n:>10,} rows" for table, n in sorted(s.rows.items())]
        out.append(
            f"chunks read {self.chunks_read}, skipped (checkpointed) {self.chunks_skipped}; "
            f"API calls {s.requests}, retries {s.retries}, throttling waits {s.throttle_waits} "
            f"({s.waited_s:.1f} s), splits {s.splits}, failed report runs {s.async_failures}"
        )
        return out


def fetch_window(
    until: datetime.date, since: datetime.date | None, lookback_days: int
) -> tuple[datetime.date, datetime.date]:
    """The range to read: ``since`` (default: the lookback start), never later than
    the lookback start, so every run re-reads the days Meta may still restate."""
    lookback_start = until - datetime.timedelta(days=lookback_days - 1)
    start = lookback_start if since is None else min(since, lookback_start)
    return start, until


@dataclass
class Fetcher:
    """Runs a fetch against one warehouse; ``policy.sleep`` and ``now`` make it testable."""

    warehouse: Warehouse
    config: MetaConfig
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    now: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC)
    progress: bool = True
    after_chunk: ChunkHook | None = None

    def run(
        self,
        since: datetime.date | None = None,
        until: datetime.date | None = None,
        accounts: tuple[str, ...] | None = None,
    ) -> FetchSummary:
        """Fetch every configured account; raises on auth errors after writing nothing partial."""
        account_ids = accounts or self.config.account_ids
        if not account_ids:
            raise MetaConfigError("no ad accounts: set META_AD_ACCOUNT_IDS or pass --accounts")
        secrets = (self.config.access_token,)
        stats = FetchStats()
        summary = FetchSummary(stats=stats)
        with redacted_logs(secrets), requests.Session() as http:
            api = open_api(self.config)
            caller = Caller(self.policy, stats, secrets)
            for spec in (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS, CHECKPOINTS):
                self.warehouse.ensure_table(spec)
            for account_id in account_ids:
                self._account(api, caller, http, account_id, since, until, summary)
        return summary

    def _account(
        self,
        api: FacebookAdsApi,
        caller: Caller,
        http: requests.Session,
        account_id: str,
        since: datetime.date | None,
        until: datetime.date | None,
        summary: FetchSummary,
    ) -> None:
        stats = summary.stats
        batch_id = f"meta-{uuid.uuid4().hex[:12]}"
        entities = fetch_entities(api, caller, account_id, self.config.page_size)
        self._write_entities(entities, batch_id, stats)
        self._sync_assets(api, caller, http, account_id, entities, batch_id, stats)

        local_today = self.now().astimezone(ZoneInfo(entities.timezone_name)).date()
        last = until or local_today
        first, last = fetch_window(last, since, self.config.lookback_days)
        summary.ranges[account_id] = (first, last)
        windows = ",".join(self.config.action_windows)
        key = run_key(account_id, first, last, windows)
        done = read_checkpoints(self.warehouse, account_id)
        chunks = plan_chunks(first, last, self.config.chunk_days)
        reader = InsightsReader(
            api=api,
            caller=caller,
            windows=self.config.action_windows,
            page_size=self.config.page_size,
            async_min_days=self.config.async_min_days,
            sleep=self.policy.sleep,
        )
        written: list[Checkpoint] = []
        with tqdm(
            chunks, desc=account_id, unit="chunk", disable=not self.progress, leave=False
        ) as bar:
            for chunk in bar:
                bar.set_postfix_str(f"{chunk.start}..{chunk.end}")
                if can_skip(chunk, done, key, self.config.lookback_days):
                    summary.chunks_skipped += 1
                    continue
                query = InsightsQuery(account_id, chunk.start, chunk.end)
                rows = reader.read(query, entities.campaign_ids)
                table = to_table(schemas.INSIGHTS, rows, self.now(), batch_id)
                # The chunk's days are replaced whole for this account, so an (ad, day)
                # that Meta no longer reports on a restated day disappears here too.
                replaced = self.warehouse.replace_where(
                    schemas.INSIGHTS,
                    table,
                    "date_start",
                    chunk_days(chunk),
                    equal={"account_id": account_id.removeprefix("act_")},
                )
                stats.add_rows(schemas.INSIGHTS.qualified, replaced)
                checkpoint = Checkpoint(chunk, key, last, table.num_rows, run_finished=False)
                write_checkpoints(self.warehouse, account_id, [checkpoint], self.now())
                written.append(checkpoint)
                summary.chunks_read += 1
                if self.after_chunk is not None:
                    self.after_chunk(account_id, chunk)
        resumed = [cp for cp in done if cp.run_key == key and not cp.run_finished]
        finished = [
            Checkpoint(cp.chunk, cp.run_key, cp.as_of, cp.rows, run_finished=True)
            for cp in (*resumed, *written)
        ]
        if finished:
            write_checkpoints(self.warehouse, account_id, finished, self.now())
        log.info(
            "%s: insights %s..%s done (%d chunks read, %d skipped)",
            account_id,
            first,
            last,
            len(written),
            len(chunks) - len(written),
        )

    def _write_entities(self, entities: AccountEntities, batch_id: str, stats: FetchStats) -> None:
        loaded_at = self.now()
        tables = {
            schemas.AD_ACCOUNTS: to_table(
                schemas.AD_ACCOUNTS, [entities.account], loaded_at, batch_id
            )
        }
        for edge, spec in EDGE_SPECS.items():
            tables[spec] = to_table(spec, entities.rows[edge], loaded_at, batch_id)
        for spec, table in tables.items():
            stats.add_rows(spec.qualified, self.warehouse.upsert(spec, table))

    def _sync_assets(
        self,
        api: FacebookAdsApi,
        caller: Caller,
        http: requests.Session,
        account_id: str,
        entities: AccountEntities,
        batch_id: str,
        stats: FetchStats,
    ) -> None:
        sync = AssetSync(
            api=api,
            caller=caller,
            store=open_store(self.config.asset_store),
            http=http,
            secrets=(self.config.access_token,),
            sleep=self.policy.sleep,
            now=self.now(),
        )
        manifest = read_manifest(self.warehouse, account_id)
        rows = sync.sync(account_id, entities.rows["adcreatives"], manifest)
        if rows:
            table = to_table(schemas.CREATIVE_ASSETS, rows, self.now(), batch_id)
            stats.add_rows(
                schemas.CREATIVE_ASSETS.qualified,
                self.warehouse.upsert(schemas.CREATIVE_ASSETS, table),
            )
