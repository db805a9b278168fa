"""The judge pages' display filters, as templates use them (by their filter names), without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from judging import create_app


@pytest.fixture(scope="module")
def filters():  # noqa: ANN201
    return create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k", "TESTING": True}).jinja_env.filters


def test_a_score_shows_without_trailing_zeros(filters):  # noqa: ANN001
    assert [filters["plain_score"](v) for v in (Decimal("53.50"), Decimal("20.00"), Decimal("0.5"), None)] == [
        "53.5", "20", "0.5", ""]


def test_a_file_size_reads_in_bytes_kilobytes_or_megabytes(filters):  # noqa: ANN001
    assert [filters["file_size"](n) for n in (0, 900, 2048, 5 * 1024 * 1024 + 1)] == ["0 B", "900 B", "2 KB",
                                                                                     "5 MB"]
