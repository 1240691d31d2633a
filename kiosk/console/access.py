"""Who is signed in to the console, what they may see, and the access records they leave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for
from flask_htmx import make_response as htmx_response

from kiosk.core.db import Connection
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.places import centers
from kiosk.staff import access_records
from kiosk.staff import accounts as staff_accounts

ROLES = staff_accounts.ROLES
View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    email: str
    role: str
    center_id: int | None  # None for an admin
    counselor_id: int | None  # set for a counselor account


def current_staff() -> Staff | None:
    """The signed-in person of this request (an active account), or None."""
    if "staff" not in g:
        account_id = session.get("staff_id")
        row = staff_accounts.active(get_db(), account_id) if isinstance(account_id, int) else None
        g.staff = None if row is None else Staff(row["id"], row["name"], row["email"], row["role"],
                                                 row["center_id"], row["counselor_id"])
    return g.staff


def signed_in(*roles: str) -> Callable[[View], View]:
    """A view for signed-in staff (of one of `roles`, if given); others go to sign in, or get 403."""
    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            staff = current_staff()
            if staff is None:
                ended = {"notice": "ended"} if getattr(session, "ended", False) else {}
                target = url_for("console.sign_in", next=request.full_path.rstrip("?"), **ended)
                if request.headers.get("HX-Request"):
                    return htmx_response("", 204, redirect=target)
                return redirect(target, 303)
            if roles and staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def require_center(center_id: int | None) -> None:
    """403 unless the signed-in person is an admin or belongs to that center."""
    staff = current_staff()
    if staff is None or (staff.role != "admin" and staff.center_id != center_id):
        abort(403)


def visible_centers(db: Connection) -> list[int]:
    """The center ids the signed-in person may see: all for an admin, else their own."""
    staff = current_staff()
    if staff is None:
        return []
    if staff.role == "admin":
        return [row["id"] for row in centers.every(db)]
    return [staff.center_id] if staff.center_id is not None else []


def client_address() -> str:
    return request.remote_addr or ""


def note_access(action: str, what: str, *, seeker_id: int | None = None, reason: str | None = None) -> None:
    """Records that the signed-in person did `action` to `what` (a seeker's data, a sign-in ...)."""
    staff = current_staff()
    if staff is None:
        raise RuntimeError("note_access needs a signed-in person")
    access_records.add(get_db(), app_now(), account_id=staff.id, email=staff.email, address=client_address(),
                       action=action, what=what, seeker_id=seeker_id, reason=reason)
