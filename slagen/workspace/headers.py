"""Security headers on every response, and refusals of cross-site requests that start work.

* A Content-Security-Policy on every page: scripts only from the workspace itself (no inline
  script, no other origin), nothing embedded from elsewhere, forms posted only here, and the
  page framed only by the workspace's own pages. Styles may be inline because the editor
  (CodeMirror) writes its theme into a style element. Previews and redlines keep their own,
  stricter policy (documents.PREVIEW_POLICY).
* X-Frame-Options and X-Content-Type-Options for older browsers, a same-origin Referrer-Policy
  (contract ids in addresses stay here), and Cache-Control: no-store on everything but the
  static files, so a shared computer's cache keeps no contract, page or download.
* No GET starts work (renders, redlines, reviews and replies are POSTs), but a GET that serves a
  made document, redline or mark-up reply, or exports a version, records a download. Such a GET
  is refused when the browser says it comes from another site
  (Sec-Fetch-Site: cross-site or same-site), or, from a browser too old to say, when its Referer
  names another site: a link or an image on another site cannot download in a signed-in person's name.
  tests/workspace/test_workspace_get_routes.py walks every GET route to keep this list whole.
"""

from __future__ import annotations

import re

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
               "form-action 'self'; base-uri 'none'; object-src 'none'")

_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"SAMEORIGIN"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin")]

# GET addresses that hand out a file and record it: documents, redlines, mark-up replies and
# version exports. (A review's findings are read on the review page like any other page.)
_WORK = re.compile(r"^(/api)?/contracts/[^/]+/(versions/[^/]+/(documents/)?[^/]+\.\w+|versions/[^/]+\.yaml|"
                   r"redline|markup/[^/]+/reply\.docx)$")


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if scope["method"] in ("GET", "HEAD") and _WORK.match(path):
            headers = dict(scope.get("headers", []))
            site = headers.get(b"sec-fetch-site", b"")
            if site in (b"cross-site", b"same-site") or (not site and _from_elsewhere(headers)):
                from starlette.responses import PlainTextResponse

                response = PlainTextResponse("this address starts work in the workspace and cannot be opened "
                                             "from another site; open it from the workspace's own pages", 403)
                await self._send_with_headers(response, scope, receive, send, path)
                return
        await self._send_with_headers(self.app, scope, receive, send, path)

    async def _send_with_headers(self, app, scope, receive, send, path: str):
        static = path.startswith("/static/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _ALWAYS if k not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                if not static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, with_headers)


def _from_elsewhere(headers: dict) -> bool:
    """A Referer naming another host than the one asked (for browsers that send no Sec-Fetch-Site)."""
    from urllib.parse import urlsplit

    referer = headers.get(b"referer", b"").decode("latin-1")
    if not referer:
        return False
    host = headers.get(b"host", b"").decode("latin-1").lower()
    return urlsplit(referer).netloc.lower() != host
