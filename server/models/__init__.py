"""SQLAlchemy 2 models; importing this package registers every table on Base.metadata."""

from . import chain_rules  # noqa: F401  (registers the delete refusals)
from .base import Base, utcnow
from .catalog import ITEM_KINDS, TRACKING, Item, Operation, Routing, RoutingStep
from .completions import Completion, QualityCheck, Serial
from .genealogy import GenealogyEdge, GenealogyNode
from .inventory import Location, Lot, StockMovement, Warehouse
from .jobs import Job, JobChange, JobIssue, JobItem, JobReceipt, JobReceiptRow, Stage
from .pairing import KioskPairing
from .plant import Machine, Station
from .production import RUN_STATUSES, Batch, ProductionRun, RunLine, StepExecution
from .recalls import RecallHold, RecallHoldItem
from .records import AuditRecord, ScanEvent, Sequence
from .sales import ORDER_STATUSES, Customer, SalesOrder, SalesOrderLine
from .shipping import Shipment, ShipmentLine
from .suppliers import (
    INSPECTION_RESULTS,
    IncomingInspection,
    ReceiptLine,
    Supplier,
    SupplierReceipt,
)
from .users import ROLES, ApiToken, LoginAttempt, LoginSession, User

__all__ = [
    "INSPECTION_RESULTS", "ITEM_KINDS", "ORDER_STATUSES", "ROLES", "RUN_STATUSES", "TRACKING",
    "ApiToken", "AuditRecord", "Base", "Batch", "Completion", "Customer", "GenealogyEdge",
    "GenealogyNode", "IncomingInspection", "Item", "Job", "JobChange", "JobIssue", "JobItem",
    "JobReceipt", "JobReceiptRow", "KioskPairing", "Location", "LoginAttempt", "LoginSession",
    "Lot", "Machine", "Operation", "ProductionRun", "QualityCheck", "RecallHold", "RecallHoldItem",
    "ReceiptLine", "Routing", "RoutingStep", "RunLine", "SalesOrder", "SalesOrderLine",
    "ScanEvent", "Sequence", "Serial", "Shipment", "ShipmentLine", "Stage", "Station",
    "StepExecution", "StockMovement", "Supplier", "SupplierReceipt", "User", "Warehouse", "utcnow",
]
