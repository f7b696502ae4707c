"""Make a generated profile dict consistent with the Profile's cross-field checks.

Used by the test strategies and the benchmark's generator, which draw each answer on its own
and then need the same repairs so the result validates: the largest funder's share within all
shares and zero without funders, no on-time answer without a reporting duty, staff departures
within twice the staff, and a founding year that has already come.
"""

from __future__ import annotations

from typing import Any

from advisor.profile import current_year

SHARE_FIELDS: tuple[str, ...] = (
    "share_state_pct",
    "share_foreign_pct",
    "share_local_private_pct",
    "share_own_income_pct",
)


def make_consistent(data: dict[str, Any], today_year: int | None = None) -> dict[str, Any]:
    """Repair ``data`` in place (and return it) so that the cross-field checks pass."""
    funding = data.get("funding", {})
    if "largest_source_pct" in funding:
        largest = funding["largest_source_pct"]
        if all(name in funding for name in SHARE_FIELDS):
            largest = min(largest, float(int(sum(funding[name] for name in SHARE_FIELDS))))
        if funding.get("donor_count") == 0:
            largest = 0.0
        funding["largest_source_pct"] = float(largest)
    ff = data.get("foreign_funding", {})
    if ff.get("reporting_obligation") is False:
        ff.pop("reports_filed_on_time", None)
    org = data.get("organisation", {})
    if org.get("paid_staff") and org.get("key_staff_left_12m", 0) > 2 * org["paid_staff"]:
        org["key_staff_left_12m"] = org["paid_staff"]
    year = current_year() if today_year is None else today_year
    if org.get("year_founded", 0) > year:
        org["year_founded"] = year
    return data
