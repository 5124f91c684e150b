"""What a technician was given leaves his van or kit for a loss, scrap or adjustment
location only through an ISP document (docs/SECURITY.md, "Odoo entry points closed"):
Odoo's Physical Inventory, a scrap and a plain transfer are refused to every office role
over XML-RPC and change nothing; an approved loss report and a gain entered in Physical
Inventory still go through."""

import pytest
from conftest import jsonrpc, receive, refused

OFFICE_ROLES = ["storekeeper", "approver", "manager", "inventory_admin"]
REFUSAL = "only through an approved loss report"
INVENTORY_MODE = {"context": {"inventory_mode": True}}


@pytest.fixture(scope="module")
def custody(security_world, rpc):
    """A technician of the security world's branch of this module's own, with 10 patch
    cords in his van, so that what goes through here spoils no other test."""
    w = dict(security_world)
    admin, tag = w["admin"], w["tag"]
    login = f"custody_{tag}"
    uid = admin.call(
        "res.users",
        "create",
        {
            "name": f"Custody {tag}",
            "login": login,
            "password": login,
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_technician")])],
        },
    )
    tech = admin.call("isp.technician", "create", {"user_id": uid, "warehouse_id": w["branch"]})
    van = admin.call("isp.technician", "read", [tech], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    receive(admin, w["receipt_type"], van, [(w["cord"], 10, False)])
    adjustment = admin.call(
        "stock.location",
        "search",
        [("usage", "=", "inventory"), ("isp_role", "=", False), ("company_id", "=", w["company"])],
        limit=1,
    )[0]
    w.update(custody_tech=tech, custody_van=van, custody_client=rpc(login, login))
    w["adjustment_location"] = adjustment
    return w


def _van_cords(w):
    quants = w["admin"].call(
        "stock.quant",
        "search_read",
        [("location_id", "=", w["custody_van"]), ("product_id", "=", w["cord"])],
        fields=["quantity"],
    )
    return quants[0]["id"], quants[0]["quantity"]


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_physical_inventory_cannot_write_a_van_down(custody, role):
    """Counted 0 and applied, by any office role: refused, the van keeps its cords."""
    user = custody["clients"][role]
    quant, before = _van_cords(custody)
    user.call("stock.quant", "write", [quant], {"inventory_quantity": 0}, **INVENTORY_MODE)
    try:
        with refused(custody, match=REFUSAL):
            user.call("stock.quant", "action_apply_inventory", [quant], **INVENTORY_MODE)
    finally:
        user.call(
            "stock.quant",
            "write",
            [quant],
            {"inventory_quantity": 0, "inventory_quantity_set": False},
            **INVENTORY_MODE,
        )
    assert _van_cords(custody) == (quant, before)


def test_stock_manager_inventoried_quantity_cannot_write_a_van_down(custody):
    """A stock manager's "Inventoried Quantity", which applies at once."""
    user = custody["clients"]["inventory_admin"]
    quant, before = _van_cords(custody)
    with refused(custody, match=REFUSAL):
        user.call(
            "stock.quant",
            "write",
            [quant],
            {"inventory_quantity_auto_apply": 0},
            **INVENTORY_MODE,
        )
    assert _van_cords(custody) == (quant, before)


@pytest.mark.parametrize("role", ["storekeeper", "approver", "manager"])
def test_van_stock_cannot_be_scrapped_by_hand(custody, role):
    user = custody["clients"][role]
    _quant, before = _van_cords(custody)
    scrap = user.call(
        "stock.scrap",
        "create",
        {"product_id": custody["cord"], "scrap_qty": 3, "location_id": custody["custody_van"]},
    )
    try:
        with refused(custody, match=REFUSAL):
            user.call("stock.scrap", "action_validate", [scrap])
        assert custody["admin"].call("stock.scrap", "read", [scrap], ["state"])[0]["state"] == (
            "draft"
        )
    finally:
        custody["admin"].call("stock.scrap", "unlink", [scrap])
    assert _van_cords(custody)[1] == before


def test_van_stock_cannot_be_moved_to_an_adjustment_location(custody):
    """A plain internal transfer from the van into Inventory adjustment."""
    user = custody["clients"]["storekeeper"]
    van, adjustment = custody["custody_van"], custody["adjustment_location"]
    _quant, before = _van_cords(custody)
    picking = user.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": custody["int_type"],
            "location_id": van,
            "location_dest_id": adjustment,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": custody["cord"],
                        "product_uom_qty": 2,
                        "location_id": van,
                        "location_dest_id": adjustment,
                    },
                )
            ],
        },
    )
    user.call("stock.picking", "action_confirm", [picking])
    with refused(custody, match=REFUSAL):
        user.call("stock.picking", "button_validate", [picking])
    user.call("stock.picking", "action_cancel", [picking])
    assert _van_cords(custody)[1] == before
    state = custody["admin"].call("stock.picking", "read", [picking], ["state"])[0]["state"]
    assert state == "cancel"


def test_a_gain_in_physical_inventory_still_goes_through(custody):
    """A van's opening balance is entered in Physical Inventory: a gain is not a loss."""
    user = custody["clients"]["storekeeper"]
    quant, before = _van_cords(custody)
    user.call("stock.quant", "write", [quant], {"inventory_quantity": before + 2}, **INVENTORY_MODE)
    # applied (no conflict wizard): True over both protocols
    result = jsonrpc(
        custody["url"], user, "stock.quant", "action_apply_inventory", [quant], **INVENTORY_MODE
    )
    assert result == (True, None)
    assert _van_cords(custody) == (quant, before + 2)


def test_an_approved_loss_report_still_writes_the_van_down(custody):
    tech, approver = custody["custody_client"], custody["clients"]["approver"]
    _quant, before = _van_cords(custody)
    report = tech.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": custody["custody_tech"],
            "loss_type": "lost",
            "description": "Dropped in the river",
            "line_ids": [(0, 0, {"product_id": custody["cord"], "quantity": 1})],
        },
    )
    tech.call("isp.loss.report", "action_submit", [report])
    approver.call("isp.loss.report", "action_approve", [report])
    assert _van_cords(custody)[1] == before - 1
    state = custody["admin"].call("isp.loss.report", "read", [report], ["state"])[0]["state"]
    assert state == "done"
