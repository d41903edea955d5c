"""The state of every view lives in the URL: url.py reads and writes its parameters (and the
share link), views.py reads each page's view from them. Everything is re-exported here."""
from __future__ import annotations

from dashboard.state.url import (
    SEP, MAX_PARAM_LENGTH, PREFERRED_INDICATOR, PREFERRED_REGION, TREND_KINDS, RESULTS_PER_PAGE, PAGE_PARAMS,
    APP_PARAMS, raw, write, shown_safely, drop_foreign_params, reject, seed, on_change, on_select_metric,
    join_list, split_list, format_years, parse_years, parse_int, read_lang, on_lang_change, read_choice,
    read_indicator, default_indicator, read_months, read_years, read_regions, read_page, read_metric,
    context_value, share_url)
from dashboard.state.views import (
    TrendsView, trends_view, RegionsView, regions_view, DocumentView, document_view, SearchView, search_view)

__all__ = [
    "APP_PARAMS", "DocumentView", "MAX_PARAM_LENGTH", "PAGE_PARAMS", "PREFERRED_INDICATOR",
    "PREFERRED_REGION", "RESULTS_PER_PAGE", "RegionsView", "SEP", "SearchView", "TREND_KINDS", "TrendsView",
    "context_value", "default_indicator", "document_view", "drop_foreign_params", "format_years", "join_list",
    "on_change", "on_lang_change", "on_select_metric", "parse_int", "parse_years", "raw", "read_choice",
    "read_indicator", "read_lang", "read_metric", "read_months", "read_page", "read_regions", "read_years",
    "regions_view", "reject", "search_view", "seed", "share_url", "shown_safely", "split_list", "trends_view",
    "write"]
