"""The OpenAPI 3 description of the public JSON API, served at /api/v1/openapi.json.

Codes and limits come from the modules that enforce them, so the description cannot drift
from them; tests/web/test_openapi.py checks that every documented path is served and every
API route is documented, and tests/fuzz runs schemathesis against this description.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS, WAGE_KINDS
from kiosk.openings import search
from kiosk.openings.store import SORTS

MAX_MIN_WAGE = 1_000_000  # kiosk.openings.store.filters_from_args refuses more

JSON = "application/json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _query(name: str, description: str, schema: Schema) -> Schema:
    """A query parameter; sent empty (`?page=`), it counts as not sent."""
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "description": f"{description} Empty counts as not sent.", "schema": schema}


def _named(codes: tuple[str, ...], what: str) -> Schema:
    return {"type": "object", "required": ["code", "name"], "additionalProperties": False,
            "description": f"{what}: its code and its Korean name",
            "properties": {"code": {"type": "string", "enum": list(codes)}, "name": {"type": "string"}}}


ERRORS = {
    "400": _answer("A parameter is invalid, unknown or repeated (each is named in `parameters`; "
                   "an unknown one also gets the list of those `allowed`).", _ref("Error")),
    "404": _answer("No such opening, or no such API address.", _ref("Error")),
    "405": _answer("A method the address does not take; the `Allow` header names those it does.",
                   _ref("Error")),
    "429": _answer("Too many requests from this client address (JOBSTOP_RATE_LIMIT_API); the"
                   " `Retry-After` header says in how many seconds to try again.", _ref("Error")),
}

ITEM: Schema = {
    "type": "object",
    "required": ["id", "code", "title", "employer", "region", "occupation", "employment_type", "wage",
                 "work_hours", "work_days", "posted_on", "deadline", "url"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "code": {"type": "string", "pattern": "^J[0-9]+$",
                 "description": "The code a seeker texts to ask about the opening."},
        "title": {"type": "string"}, "employer": {"type": "string"},
        "region": _named(REGIONS, "City, county or district (national administrative code)"),
        "occupation": _named(OCCUPATIONS, "Occupation group"),
        "employment_type": _named(EMPLOYMENT_TYPES, "Employment type"),
        "wage": {"type": "object", "required": ["kind", "amount", "hourly_equivalent", "currency"],
                 "properties": {"kind": {"type": "string", "enum": list(WAGE_KINDS)},
                                "amount": {"type": "integer", "minimum": 1},
                                "hourly_equivalent": {"type": "integer", "minimum": 0},
                                "currency": {"type": "string", "enum": ["KRW"]}}},
        "work_hours": {"type": "string"}, "work_days": {"type": "string"},
        "posted_on": {"type": "string", "format": "date"},
        "deadline": {"type": ["string", "null"], "format": "date", "description": "null: until filled"},
        "url": {"type": "string", "format": "uri", "description": "This opening in the API."},
    },
}

DETAIL: Schema = {
    "allOf": [_ref("Opening"), {
        "type": "object",
        "required": ["address", "description", "how_to_apply", "contact_phone", "status", "updated_at"],
        "properties": {"address": {"type": "string"}, "description": {"type": "string"},
                       "how_to_apply": {"type": "string"}, "contact_phone": {"type": "string"},
                       "status": {"type": "string", "enum": ["open", "closed"]},
                       "updated_at": {"type": "string", "format": "date-time"}}}],
}

ERROR: Schema = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "bad_parameter, unknown_parameter, repeated_parameter, "
                                                      "not_found, method_not_allowed, ..."},
            "message": {"type": "string"},
            "parameters": {"type": "array", "items": {"type": "string"}},
            "allowed": {"type": "array", "items": {"type": "string"}}}}},
}


def _list_parameters(max_page: int, default_per_page: int, max_per_page: int) -> list[Schema]:
    return [
        _query("q", "Words in the title, employer, address or description; at most this many characters as"
                    " sent (runs of spaces then search as one).",
               {"type": "string", "maxLength": search.MAX_TERM}),
        _query("region", "Region code.", {"type": "string", "enum": list(REGIONS)}),
        _query("occupation", "Occupation group code.", {"type": "string", "enum": list(OCCUPATIONS)}),
        _query("employment_type", "Employment type code.", {"type": "string", "enum": list(EMPLOYMENT_TYPES)}),
        _query("min_wage", "Least hourly wage (monthly wages compare by their hourly equivalent).",
               {"type": "integer", "minimum": 0, "maximum": MAX_MIN_WAGE}),
        _query("sort", "newest first (the default), or closing soonest.", {"type": "string", "enum": list(SORTS)}),
        _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": max_page, "default": 1}),
        _query("per_page", "Openings per page.",
               {"type": "integer", "minimum": 1, "maximum": max_per_page, "default": default_per_page}),
    ]


def document(*, max_page: int, default_per_page: int, max_per_page: int) -> Schema:
    """The whole description; relative to the API's own address."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "JobStop openings API", "version": "1",
                 "description": "Read-only: open job openings for partner sites and signage. Any page may "
                                "call it from JavaScript (CORS); JSON is UTF-8. Every error is JSON."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/openings": {"get": {
                "operationId": "listOpenings", "summary": "Open openings matching the filters, newest first.",
                "parameters": _list_parameters(max_page, default_per_page, max_per_page),
                "responses": {"200": _answer("One page of open openings.", _ref("OpeningPage")),
                              "400": ERRORS["400"], "405": ERRORS["405"], "429": ERRORS["429"]}}},
            "/openings/{opening_id}": {"get": {
                "operationId": "getOpening", "summary": "One opening, open or closed, with its full text.",
                "parameters": [{"name": "opening_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1}}],
                "responses": {"200": _answer("The opening.", _ref("OpeningDetail")), **ERRORS}}},
            "/openapi.json": {"get": {
                "operationId": "getDescription", "summary": "This description.",
                "responses": {"200": _answer("OpenAPI 3 description.", {"type": "object"}),
                              "400": ERRORS["400"], "405": ERRORS["405"], "429": ERRORS["429"]}}},
        },
        "components": {"schemas": {
            "Opening": ITEM, "OpeningDetail": DETAIL, "Error": ERROR,
            "OpeningPage": {"type": "object", "required": ["total", "page", "per_page", "items"],
                            "properties": {"total": {"type": "integer", "minimum": 0},
                                           "page": {"type": "integer", "minimum": 1},
                                           "per_page": {"type": "integer", "minimum": 1},
                                           "items": {"type": "array", "items": _ref("Opening")}}},
        }},
    }
