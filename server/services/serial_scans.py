"""A finished serial's label scanned at a station: not a batch, but the kiosk shows which
serial it is (item, status) rather than "unknown code". Packing stations take serials onto a
shipment (the shipments helper's path); everywhere else the scan is refused as not a batch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from ..models import Item, Serial


def serial_fields(session: Connection, code: str) -> dict[str, Any] | None:
    """Return what an ack says of a serial (code, item, status), or None if there is none."""
    row = session.execute(
        select(Serial.code, Serial.status, Item.sku, Item.name)
        .join(Item, Item.id == Serial.item_id).where(Serial.code == code)).first()
    if row is None:
        return None
    return {"serial": row.code, "item": row.sku, "item_name": row.name,
            "serial_status": row.status}
