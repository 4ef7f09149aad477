"""`skema web`: the year in a local browser page. Server-rendered Danish pages (Starlette, Jinja2,
uvicorn) on the library's front door (`Workspace`): the årshjul, the forms, ingesting returned
files, who has answered, corrections and the documents. No logic of its own that the commands do
not share; long work runs in background threads with progress; every request passes the checks in
`web.security` (Host header, password, same origin, CSRF token)."""

from toolkit.web.app import Settings, create_app
from toolkit.web.server import serve

__all__ = ["Settings", "create_app", "serve"]
