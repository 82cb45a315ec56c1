"""A built page as the server sends it: the editor's script added, the page's own policy kept.

``build/html`` is never changed: the server adds, to each HTML page it sends,
the run's token and build generation (``<meta>``), the editor's stylesheet and
script from ``/_bitext/`` (no inline script: the page's Content-Security-Policy
still allows scripts from ``'self'`` only), and — when the last build failed —
its one-line error, escaped, above the page. The one change to the policy is
``connect-src 'self'``, so the editor can talk to this server and nowhere else;
the same policy, with ``frame-ancestors 'none'``, goes in the response header.
"""

from __future__ import annotations

import html
import re

#: The policy of a page that carries none (a publisher's template without the meta tag).
DEFAULT_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "font-src 'self'; base-uri 'none'; form-action 'none'")
_POLICY_META = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(?P<policy>.*?)\1\s*/?>""",
                          re.IGNORECASE | re.DOTALL)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def with_directive(policy: str, name: str, value: str) -> str:
    """``policy`` with directive ``name`` set to ``value`` (replacing any it had)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    kept = [d for d in directives if d.split()[0].lower() != name]
    return "; ".join([*kept, f"{name} {value}"])


def page_policy(page: str) -> str:
    """The Content-Security-Policy a built page declares (the default when it declares none)."""
    found = _POLICY_META.search(page)
    return html.unescape(found.group("policy")) if found else DEFAULT_POLICY


def served_policy(page: str) -> str:
    """The policy a served page runs under: its own, plus ``connect-src 'self'`` for the editor."""
    return with_directive(page_policy(page), "connect-src", "'self'")


def header_policy(page: str) -> str:
    """The policy of the response header: the served policy, and no framing by other pages."""
    return with_directive(served_policy(page), "frame-ancestors", "'none'")


def serve_page(page: str, *, token: str, generation: int, error: str = "") -> str:
    """The page with the editor added (see the module docstring)."""
    policy = served_policy(page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{_attribute(policy)}">'
    if _POLICY_META.search(page):
        page = _POLICY_META.sub(lambda _: meta, page, count=1)
        head_extra = ""
    else:
        head_extra = meta + "\n"
    head_extra += (f'<meta name="bitext-serve-token" content="{_attribute(token)}">\n'
                   f'<meta name="bitext-serve-generation" content="{int(generation)}">\n'
                   '<link rel="stylesheet" href="/_bitext/edit.css">\n'
                   '<script src="/_bitext/edit.js" defer></script>\n')
    found = _HEAD_END.search(page)
    page = page[: found.start()] + head_extra + page[found.start():] if found else head_extra + page
    if error:
        banner = status_banner(error)
        body = _BODY_START.search(page)
        page = page[: body.end()] + "\n" + banner + page[body.end():] if body else banner + page
    return page


def status_banner(error: str) -> str:
    """The notice above a page when the last build failed: its error, escaped."""
    return ('<div class="bitext-serve-status" id="bitext-serve-status" role="alert">'
            '<strong>The last build failed</strong> — this is the last good build. '
            f'<span class="bitext-serve-error">{html.escape(error)}</span></div>')


def _attribute(value: str) -> str:
    """``value`` for a double-quoted attribute (single quotes, as in a policy, stay readable)."""
    return html.escape(value, quote=False).replace('"', "&quot;")
