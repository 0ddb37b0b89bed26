"""Column helpers shared by the models: optimistic versions and partial dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from claimdb.models.values import Precision, check_in
from claimdb.partialdate import PartialDate


class Versioned:
    """An editable record: `version` grows on every update and guards against lost writes.

    The services bump it themselves (`version_id_generator=False`) because a change to a record's
    own collections (aliases, claim links, tags) must count as a change too; the mapper still adds
    `WHERE version = <read>` to every UPDATE, so a concurrent writer fails instead of overwriting.
    """

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]

    def bump_version(self) -> None:
        self.version = self.version + 1


def date_column(name: str, *, index: bool = False) -> Mapped[dt.date | None]:
    """The first day of a partial date; its precision lives in `<name>_precision`."""
    return mapped_column(name, Date, index=index)


def precision_column(name: str) -> Mapped[str | None]:
    return mapped_column(f"{name}_precision", String(5))


def partial_date_checks(name: str) -> tuple[CheckConstraint, CheckConstraint]:
    """A precision from the value set, present exactly when the date is."""
    return (
        CheckConstraint(check_in(f"{name}_precision", Precision), name=f"{name}_precision_valid"),
        CheckConstraint(f"({name} IS NULL) = ({name}_precision IS NULL)", name=f"{name}_precision_paired"),
    )


def read_partial(first: dt.date | None, precision: str | None) -> PartialDate | None:
    return PartialDate.from_columns(first, precision)


def split_partial(value: PartialDate | None) -> tuple[dt.date | None, str | None]:
    """The two column values of a partial date."""
    return (value.first, value.precision) if value else (None, None)
