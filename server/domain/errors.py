"""Domain errors.

DomainError                 a rule of the domain refused the change
 ├── QuantityError          bad amount, unknown unit, or units that do not convert
 ├── TransitionError        the batch state machine does not allow the change
 ├── GenealogyError         a split or merge that does not add up
 │    ├── GenealogyCycle     an edge that would make the genealogy graph a cycle
 │    └── RelationNotAllowed an edge between kinds the relation table does not allow
 ├── StockError             a lot cannot give what is asked (status, expiry, on hand)
 ├── LotNumberError         a lot number that is not a printable code
 └── ReportError            bad report settings (shifts) or arguments
"""


class DomainError(ValueError):
    """A rule of the domain refused the change."""

    code = "domain_error"

    def __init__(self, message: str, **detail: object) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class QuantityError(DomainError):
    code = "invalid_quantity"


class TransitionError(DomainError):
    code = "invalid_transition"


class GenealogyError(DomainError):
    code = "invalid_genealogy"


class StockError(DomainError):
    """A refused stock change; code names the reason (insufficient_stock, lot_expired...)."""

    code = "stock_refused"

    def __init__(self, message: str, *, code: str, **detail: object) -> None:
        super().__init__(message, **detail)
        self.code = code


class LotNumberError(DomainError):
    code = "invalid_lot_number"


class GenealogyCycle(GenealogyError):
    code = "genealogy_cycle"


class RelationNotAllowed(GenealogyError):
    code = "relation_not_allowed"


class ReportError(DomainError):
    code = "invalid_report"
