"""REST: the recall report of a code, its hold and release, and its exports."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.blueprints import BlueprintSetupState
from sqlalchemy.orm import Session
from werkzeug.routing import PathConverter

from ..services import recall, recall_exports, recall_holds
from ..services.actors import Actor
from .csvfile import csv_response
from .endpoint import bp, endpoint
from .recall_schemas import RecallHoldOut, RecallOut, RecallReasonIn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RecallCode(PathConverter):
    """A suspect code in a URL: it may hold slashes (suppliers' numbers do), but never ends in
    one of a recall's own actions, so /recall/X/hold is only ever the hold of X."""

    regex = r"[^/](?:(?!/(?:hold|contacts\.csv|events\.xlsx)$).)*?"


@bp.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("recall_code", RecallCode)


@endpoint("/recall/<recall_code:code>", tag="recall", response=RecallOut)
def get_recall(db: Session, actor: Actor, code: str) -> Any:
    """List everything affected by a suspect code: shipped, in stock or in process."""
    return recall.recall(db, code)


@endpoint("/recall/<path:code>/hold", "POST", role="supervisor", body=RecallReasonIn,
          status=201, tag="recall", response=RecallHoldOut)
def hold_recall(db: Session, actor: Actor, code: str, body: RecallReasonIn) -> Any:
    """Quarantine everything affected still in stock and hold the batches in process."""
    return recall_holds.hold(db, actor, code, body.reason)


@endpoint("/recall-holds/<number>/release", "POST", role="supervisor",
          body=RecallReasonIn, tag="recall", response=RecallHoldOut)
def release_recall_hold(db: Session, actor: Actor, number: str, body: RecallReasonIn) -> Any:
    """Give each held item its previous status back, unless it changed since."""
    return recall_holds.release(db, actor, number, body.reason)


@endpoint("/recall-holds/<number>", tag="recall", response=RecallHoldOut)
def get_recall_hold(db: Session, actor: Actor, number: str) -> Any:
    """Show a recall hold with what it held and the status each has now."""
    return recall_holds.hold_detail(db, number)


@endpoint("/recall/<path:code>/contacts.csv", tag="recall", media=("text/csv",))
def recall_contacts(db: Session, actor: Actor, code: str) -> Response:
    """Download one row per customer and shipment with the affected codes it carried."""
    rows = recall_exports.contacts(db, code)
    return csv_response(recall_exports.CONTACT_COLUMNS, rows, "recall-contacts.csv")


@endpoint("/recall/<path:code>/events.xlsx", tag="recall", media=(XLSX,))
def recall_events(db: Session, actor: Actor, code: str) -> Response:
    """Download the chain's receiving, transformation and shipping events as a spreadsheet."""
    return Response(recall_exports.events_workbook(db, code), mimetype=XLSX, headers={
        "Content-Disposition": 'attachment; filename="recall-events.xlsx"'})
