"""Stock leaves a branch's shelves for a loss, scrap or count difference only when an
Inventory Approver applies it (docs/SECURITY.md, "Odoo entry points closed"): Odoo's
Physical Inventory and a scrap are refused to a storekeeper and to an Inventory
Administrator who is not an approver over XML-RPC, with nothing changed; the approver
applies the storekeeper's count and validates his scrap."""

import pytest
from conftest import new_product, receive, refused

REFUSAL = "only an Inventory Approver writes stock off"
INVENTORY_MODE = {"context": {"inventory_mode": True}}


@pytest.fixture(scope="module")
def shelf(security_world):
    """10 cords of a product of this module's own on the security world's branch shelf."""
    w = dict(security_world)
    admin = w["admin"]
    w["shelf_cord"] = new_product(admin, f"Shelf Cord {w['tag']}", "consumable")
    receive(admin, w["receipt_type"], w["stock"], [(w["shelf_cord"], 10, False)])
    return w


def _shelf_cords(w):
    quants = w["admin"].call(
        "stock.quant",
        "search_read",
        [("location_id", "=", w["stock"]), ("product_id", "=", w["shelf_cord"])],
        fields=["quantity"],
    )
    return quants[0]["id"], quants[0]["quantity"]


@pytest.mark.parametrize("role", ["storekeeper", "inventory_admin"])
def test_count_below_on_hand_waits_for_an_approver(shelf, role):
    user = shelf["clients"][role]
    quant, before = _shelf_cords(shelf)
    user.call("stock.quant", "write", [quant], {"inventory_quantity": before - 4}, **INVENTORY_MODE)
    extra = ("stock.quant", [quant], ["quantity"])
    try:
        with refused(shelf, extra, access=True, match=REFUSAL):
            user.call("stock.quant", "action_apply_inventory", [quant], **INVENTORY_MODE)
    finally:
        user.call(
            "stock.quant",
            "write",
            [quant],
            {"inventory_quantity": 0, "inventory_quantity_set": False},
            **INVENTORY_MODE,
        )
    assert _shelf_cords(shelf) == (quant, before)


def test_the_approver_applies_the_storekeepers_count(shelf):
    storekeeper, approver = shelf["clients"]["storekeeper"], shelf["clients"]["approver"]
    quant, before = _shelf_cords(shelf)
    storekeeper.call(
        "stock.quant", "write", [quant], {"inventory_quantity": before - 1}, **INVENTORY_MODE
    )
    assert approver.call("stock.quant", "action_apply_inventory", [quant], **INVENTORY_MODE)
    assert _shelf_cords(shelf) == (quant, before - 1)
    # resent (the answer was lost): nothing is left to apply, nothing changes
    with refused(shelf, ("stock.quant", [quant], ["quantity"]), match="No count is entered"):
        approver.call("stock.quant", "action_apply_inventory", [quant], **INVENTORY_MODE)
    assert _shelf_cords(shelf) == (quant, before - 1)


def test_the_storekeepers_scrap_is_validated_by_the_approver(shelf):
    storekeeper, approver = shelf["clients"]["storekeeper"], shelf["clients"]["approver"]
    _quant, before = _shelf_cords(shelf)
    scrap = storekeeper.call(
        "stock.scrap",
        "create",
        {"product_id": shelf["shelf_cord"], "scrap_qty": 2, "location_id": shelf["stock"]},
    )
    with refused(shelf, ("stock.scrap", [scrap], ["state"]), access=True, match=REFUSAL):
        storekeeper.call("stock.scrap", "action_validate", [scrap])
    assert _shelf_cords(shelf)[1] == before
    approver.call("stock.scrap", "action_validate", [scrap])
    assert shelf["admin"].call("stock.scrap", "read", [scrap], ["state"])[0]["state"] == "done"
    assert _shelf_cords(shelf)[1] == before - 2
