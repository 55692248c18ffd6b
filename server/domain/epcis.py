"""EPCIS 2.0 vocabulary for the genealogy graph: identifiers, units, business steps.

Our relations map to CBV 2.0 events (docs/epcis.md has the table): a receipt's lots are an
ObjectEvent ADD at receiving; a run or a job is one TransformationEvent from what was issued
to what it produced; a split, a merge, a completion (serials, a finished lot) and a
consumption are TransformationEvents of their own record; a shipment's lines are an
AggregationEvent at packing, and its departure an ObjectEvent at shipping, in transit.

Identifiers: an item with a GTIN gives GS1 Digital Link URIs on the plant's base
(.../01/{gtin}/21/{serial} for a serial, .../01/{gtin}/10/{lot} for a lot or batch); an item
without one gives private URIs under the same base (.../serial/{code}, .../lot/{code}).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from .genealogy import NodeKind, Relation

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"
MEDIA_TYPE = "application/ld+json"

# UN/CEFACT Recommendation 20 codes of our units (the uom EPCIS quantities carry).
UOM: dict[str, str] = {
    "pcs": "H87", "dozen": "DZN", "mg": "MGM", "g": "GRM", "kg": "KGM", "t": "TNE",
    "ct": "CTM", "oz": "ONZ", "ozt": "APZ", "lb": "LBR", "mm": "MMT", "cm": "CMT", "m": "MTR",
    "in": "INH", "ft": "FOT", "ml": "MLT", "l": "LTR", "m2": "MTK",
}

# Where a process node (a run, a job) is the transformation itself: inputs in, outputs out.
PROCESSES = frozenset({NodeKind.RUN.value, NodeKind.JOB.value})
TRANSFORMING = frozenset({Relation.ISSUE.value, Relation.PRODUCE.value, Relation.SPLIT.value,
                          Relation.MERGE.value, Relation.CONSUME.value})


def transformation_step(relation: str, outputs: set[str]) -> str:
    """Return the CBV bizStep of a transformation: its relation and what it made."""
    if NodeKind.SERIAL.value in outputs:
        return "commissioning"  # new instance-level identities
    if relation in {Relation.SPLIT.value, Relation.MERGE.value}:
        return "repackaging"
    if relation in {Relation.CONSUME.value, Relation.ISSUE.value} and not outputs & {
            NodeKind.LOT.value}:
        return "assembling"
    return "creating_class_instance"  # a new batch or lot made of its inputs


def item_uri(base: str, kind: str, code: str, gtin: str | None = None) -> str:
    """Return the EPC of a traced thing: Digital Link where its item has a GTIN."""
    safe = quote(code, safe="")
    if gtin:
        key = "21" if kind == NodeKind.SERIAL.value else "10"
        return f"{base}/01/{gtin.zfill(14)}/{key}/{safe}"
    return f"{base}/{kind}/{safe}"


def uri(base: str, what: str, code: str) -> str:
    """Return a private URI under the plant's base: a location, party or document."""
    return f"{base}/{what}/{quote(code, safe='')}"


def quantity_element(epc_class: str, amount: Decimal, unit: str) -> dict[str, object]:
    """Return a quantityList entry; a count of pieces in H87, a measure in its UN/CEFACT unit.

    EPCIS quantities are JSON numbers: a whole amount is written as an integer, any other as
    the shortest float that reads back as the same six-place Decimal.
    """
    whole = amount == amount.to_integral_value()
    return {"epcClass": epc_class, "quantity": int(amount) if whole else float(amount),
            "uom": UOM[unit]}
