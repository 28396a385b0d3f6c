"""Fetching TASS (and KCNA) editions politely and resumably: feeds, news sitemaps, article pages,
WARC files and Wayback captures, through one pluggable HTTP client (live, local fake site or a
``file://`` mirror all run the same code path)."""

from .core import Candidate, FetchSummary, fetch, load_mirror
from .http import FetchConfig, FetchError, HttpClient

__all__ = ["fetch", "load_mirror", "FetchSummary", "FetchConfig", "FetchError", "HttpClient", "Candidate"]
