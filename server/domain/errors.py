"""Domain errors.

DomainError                 a rule of the domain refused the change
 ├── QuantityError          bad amount, unknown unit, or units that do not convert
 ├── TransitionError        the batch state machine does not allow the change
 ├── GenealogyError         a split or merge that does not add up
 │    ├── GenealogyCycle     an edge that would make the genealogy graph a cycle
 │    └── RelationNotAllowed an edge between kinds the relation table does not allow
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


class GenealogyCycle(GenealogyError):
    code = "genealogy_cycle"


class RelationNotAllowed(GenealogyError):
    code = "relation_not_allowed"


class ReportError(DomainError):
    code = "invalid_report"
