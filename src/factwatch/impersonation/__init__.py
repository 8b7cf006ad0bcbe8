"""Lookalike domains and impersonating accounts: the reverse question of a typosquatting fuzzer.

A fuzzer such as dnstwist answers "which domains look like mine?".  Fact-checkers need the reverse:
"which of the protected names does this domain (or account) imitate, and how?".  The indexes here
answer it with hash lookups (confusable skeletons and deletion neighbourhoods), never by comparing
every pair.
"""

from factwatch.impersonation.accounts import AccountIndex, AccountMatch, ObservedAccount
from factwatch.impersonation.domains import DomainIndex, DomainMatch, extract_hosts

__all__ = [
    "AccountIndex",
    "AccountMatch",
    "DomainIndex",
    "DomainMatch",
    "ObservedAccount",
    "extract_hosts",
]
