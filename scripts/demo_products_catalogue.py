"""The demo products by apparel category: the five garments are flat-lays (built by
scripts/demo_products_garments.py, scripts/demo_products_tailored.py and
scripts/demo_products_jacket.py), the shoes a side-on sneaker
(scripts/demo_products_sneaker.py)."""

from __future__ import annotations

from collections.abc import Callable

from demo_products_cloth import Garment
from demo_products_garments import dress, skirt, tshirt
from demo_products_jacket import jacket
from demo_products_tailored import jeans

GARMENTS: dict[str, Callable[[], Garment]] = {
    "tshirt": tshirt, "dress": dress, "jeans": jeans, "skirt": skirt, "jacket": jacket
}  # fmt: skip


def garments() -> dict[str, Callable[[], Garment]]:
    """Category -> the function building its flat-lay."""
    return GARMENTS
