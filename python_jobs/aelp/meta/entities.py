"""Ad account, campaigns, ad sets, ads and ad creatives of one account, every status included."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from facebook_business.api import FacebookAdsApi

from aelp import schemas
from aelp.meta.pages import drain
from aelp.meta.parse import entity_row
from aelp.meta.retry import Caller

log = logging.getLogger(__name__)


def _enum_values(enum: type) -> list[str]:
    return sorted(str(v) for k, v in vars(enum).items() if not k.startswith("_"))


EFFECTIVE_STATUSES: dict[str, list[str]] = {
    "campaigns": _enum_values(Campaign.EffectiveStatus),
    "adsets": _enum_values(AdSet.EffectiveStatus),
    "ads": _enum_values(Ad.EffectiveStatus),
}
"""Every effective status per edge: without the filter Meta leaves out deleted and archived."""

EDGE_SPECS: dict[str, schemas.TableSpec] = {
    "campaigns": schemas.CAMPAIGNS,
    "adsets": schemas.ADSETS,
    "ads": schemas.ADS,
    "adcreatives": schemas.ADCREATIVES,
}


def graph_fields(spec: schemas.TableSpec) -> list[str]:
    """The Graph API fields that fill a raw table (``creative`` for ``creative_id``)."""
    names = [f.name for f in spec.schema if not f.name.startswith("_")]
    return ["creative" if n == "creative_id" else n for n in names]


@dataclass
class AccountEntities:
    """Everything fetched for one account, as raw-contract rows."""

    account: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]

    @property
    def timezone_name(self) -> str:
        """The account's IANA time zone: the zone of its insights dates."""
        return str(self.account["timezone_name"])

    @property
    def campaign_ids(self) -> list[str]:
        """Ids of every campaign, for splitting insights queries by campaign."""
        return [row["id"] for row in self.rows["campaigns"]]


def fetch_entities(
    api: FacebookAdsApi, caller: Caller, account_id: str, page_size: int
) -> AccountEntities:
    """Read the account and its four entity edges (all pages, all statuses)."""
    account = AdAccount(account_id, api=api)
    fields = graph_fields(schemas.AD_ACCOUNTS)
    got = caller(lambda: account.api_get(fields=fields), account_id, "account")
    account_row = entity_row(schemas.AD_ACCOUNTS, got.export_all_data(), account_id)
    readers = {
        "campaigns": account.get_campaigns,
        "adsets": account.get_ad_sets,
        "ads": account.get_ads,
        "adcreatives": account.get_ad_creatives,
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for edge, reader in readers.items():
        params: dict[str, Any] = {"limit": page_size}
        if edge in EFFECTIVE_STATUSES:
            params["effective_status"] = EFFECTIVE_STATUSES[edge]
        edge_fields = graph_fields(EDGE_SPECS[edge])

        def first_page(
            reader: Any = reader, edge_fields: list[str] = edge_fields, params: Any = params
        ) -> Any:
            return reader(fields=edge_fields, params=params)

        cursor = caller(first_page, account_id, edge)
        objects = drain(cursor, caller, account_id, edge)
        rows[edge] = [entity_row(EDGE_SPECS[edge], obj, account_id) for obj in objects]
        log.debug("%s: %d %s", account_id, len(rows[edge]), edge)
    return AccountEntities(account=account_row, rows=rows)
