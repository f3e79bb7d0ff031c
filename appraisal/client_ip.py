"""The visitor's address, for the sign-in lockout and every limit on public submissions.

Behind reverse proxies ``REMOTE_ADDR`` is the nearest proxy's, the same for everyone.
Each trusted proxy appends the address it received the request from to
``X-Forwarded-For``, so with ``TRUSTED_PROXY_COUNT`` = N the client is the N-th entry
from the right; whatever stands further left came from the client and may be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    if not chain:
        return remote
    candidate = chain[-proxies] if len(chain) >= proxies else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: the proxy is misconfigured, trust nothing
        return remote
