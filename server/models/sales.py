"""Customers and their sales orders."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.orders import OrderStatus
from .base import Amount, Base, Code, Name, Timestamp, one_of, values_of
from .catalog import Item

ORDER_STATUSES = tuple(values_of(OrderStatus))


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    created_at: Mapped[Timestamp]


class SalesOrder(Base):
    __tablename__ = "sales_orders"
    __table_args__ = (CheckConstraint(one_of("status", OrderStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.ESTIMATE.value)
    due_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[Timestamp]

    customer: Mapped[Customer] = relationship(lazy="joined")
    lines: Mapped[list[SalesOrderLine]] = relationship(
        back_populates="order", order_by="SalesOrderLine.line_no", cascade="all, delete-orphan"
    )


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),
                      CheckConstraint("quantity > 0", name="quantity"))

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    line_no: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))

    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")
