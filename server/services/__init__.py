"""Services own the transaction: they take a Session, call the domain, persist, return data."""
