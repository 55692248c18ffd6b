"""Mark the English texts of scan answers the kiosk shows, so Babel extracts them.

The API keeps answering in English (`REASON_TEXT` in services/scans.py, badge logins in
services/operators.py); the kiosk translates what it shows with `t(ack.message)`, or
`t(words(ack.reason))` / `t(ack.outcome)` when an ack has no message. These lists only feed
the catalogues; a test keeps them equal to the texts the server sends.
"""

from __future__ import annotations


def N_(message: str) -> str:  # gettext's name for "mark for extraction"
    """Return message unchanged; the name marks it for extraction."""
    return message


# Each Reason's message, as services/scans.py sends it.
REASON_MESSAGES = (
    N_("Unknown code"),
    N_("This label is not a batch"),
    N_("Wrong step"),
    N_("Batch already done"),
    N_("Batch was split, merged or scrapped"),
    N_("Batch is on hold"),
    N_("Already scanned here"),
    N_("Station disabled"),
    N_("Not authorized"),
    N_("Unreadable scan"),
    N_("Too many scans, slow down"),
    N_("Run was cancelled"),
    N_("Server busy, the scan will be sent again"),
    N_("Station clock is wrong"),
    # A lot's label scanned at a station (services/lot_scans.py).
    N_("No batch in process or just scanned at this station"),
    N_("Nothing left on hand in this lot"),
    N_("Lot is quarantined"),
    N_("Lot has expired"),
    N_("Lot is used up"),
    N_("Lot cannot be issued"),
    # A job's label scanned at a station (services/job_scans.py).
    N_("This job is at another stage"),
    N_("This station serves no production stage"),
    N_("This job is completed or cancelled"),
    # A serial's or lot's label at a packing station (services/packing.py).
    N_("No shipment is open at this packing station"),
    N_("Already on a shipment or shipped"),
    N_("Quarantined: it cannot be shipped"),
    N_("Nothing of this lot is free to ship"),
    N_("This shipment is shipped or cancelled"),
    N_("This cannot be shipped"),
)

# Messages with a value in them: the kiosk fills the placeholder itself.
TEMPLATE_MESSAGES = (
    N_("Already done at this step ({step})"),
    N_("Unknown badge"),
    N_("{name} logged in at {station}"),
)

# Each Outcome and each Reason code as words (common.js `words()`), for acks without a message.
OUTCOME_WORDS = (N_("accepted"), N_("rejected"), N_("duplicate"), N_("deferred"))
REASON_WORDS = (
    N_("unknown code"), N_("not a batch"), N_("wrong step"), N_("already done"),
    N_("batch closed"), N_("on hold"), N_("duplicate scan"), N_("station disabled"),
    N_("not authorized"), N_("invalid payload"), N_("rate limited"), N_("clock skew"),
    N_("run cancelled"), N_("database busy"),
    N_("no batch here"), N_("insufficient stock"), N_("lot quarantined"), N_("lot expired"),
    N_("lot consumed"), N_("lot not issuable"),
    N_("wrong stage"), N_("no stage here"), N_("job closed"),
    N_("no shipment here"), N_("already shipped"), N_("quarantined"), N_("more than on hand"),
    N_("shipment closed"), N_("not shippable"),
)
