"""The install record follows the stock over XML-RPC, as a storekeeper: a plain Odoo
delivery of a serial to a customer sets it (the context may add descriptive values, never
the customer or the technician), Odoo's return clears it, a delivery without a customer
is refused and changes nothing."""

import uuid
import xmlrpc.client

import pytest
from conftest import receive

LOT_FIELDS = [
    "isp_state",
    "isp_customer_id",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_olt_port",
]


@pytest.fixture(scope="module")
def world(rpc):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login = f"store_ir_{tag}"
    admin.call(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login,
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_storekeeper")])],
        },
    )
    warehouse = admin.call("stock.warehouse", "search", [], limit=1)[0]
    types = admin.call("stock.warehouse", "read", [warehouse], ["in_type_id", "out_type_id"])[0]
    stock = admin.call("stock.warehouse", "read", [warehouse], ["lot_stock_id"])[0]["lot_stock_id"][
        0
    ]
    ont = admin.call(
        "product.product",
        "create",
        {
            "name": f"IR ONT {tag}",
            "categ_id": admin.ref("isp_inventory.product_category_cpe"),
            "tracking": "serial",
        },
    )
    lots = [
        admin.call("stock.lot", "create", {"name": f"IR-{tag}-{i}", "product_id": ont})
        for i in (1, 2)
    ]
    receive(admin, types["in_type_id"][0], stock, [(ont, 1, lot) for lot in lots])
    customer, other = (
        admin.call("res.partner", "create", {"name": f"IR {name} {tag}"})
        for name in ("Customer", "Other")
    )
    return {
        "admin": admin,
        "store": rpc(login, login),
        "out_type": types["out_type_id"][0],
        "stock": stock,
        "customers": admin.ref("stock.stock_location_customers"),
        "ont": ont,
        "lots": lots,
        "customer": customer,
        "other": other,
        "any_technician": admin.call("isp.technician", "search", [], limit=1)[0],
    }


def _delivery(w, lot, partner):
    """The storekeeper's plain delivery of `lot` from the branch stock, picked."""
    line = {
        "product_id": w["ont"],
        "lot_id": lot,
        "quantity": 1,
        "location_id": w["stock"],
        "location_dest_id": w["customers"],
    }
    move = dict(line, product_uom_qty=1, move_line_ids=[(0, 0, line)])
    del move["lot_id"], move["quantity"]
    store = w["store"]
    picking = store.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": w["out_type"],
            "partner_id": partner,
            "location_id": w["stock"],
            "location_dest_id": w["customers"],
            "move_ids": [(0, 0, move)],
        },
    )
    store.call("stock.picking", "action_confirm", [picking])
    moves = store.call("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
    store.call("stock.move", "write", moves, {"picked": True})
    return picking


def _lot(w, lot):
    return w["admin"].call("stock.lot", "read", [lot], LOT_FIELDS)[0]


def _quants(w):
    return w["admin"].call(
        "stock.quant",
        "search_read",
        [("product_id", "=", w["ont"])],
        ["location_id", "lot_id", "quantity"],
        order="id",
    )


def test_delivery_sets_and_return_clears_the_record(world):
    w, store = world, world["store"]
    lot = w["lots"][0]
    picking = _delivery(w, lot, w["customer"])
    # The context key brings descriptive values only: the customer and the technician
    # it also names are ignored (they come from the transfer and its source).
    store.call(
        "stock.picking",
        "button_validate",
        [picking],
        context={
            "isp_install_values": {
                "latitude": -1.2921,
                "longitude": 36.8219,
                "olt_port": "OLT-IR-01 0/1/1",
                "isp_customer_id": w["other"],
                "customer": w["other"],
                "isp_installed_by_id": w["any_technician"],
            }
        },
    )
    record = _lot(w, lot)
    assert record["isp_state"] == "installed"
    assert record["isp_customer_id"][0] == w["customer"]
    assert record["isp_installed_by_id"] is False
    assert (record["isp_latitude"], record["isp_longitude"]) == (-1.2921, 36.8219)
    assert record["isp_olt_port"] == "OLT-IR-01 0/1/1"

    wizard = store.call(
        "stock.return.picking",
        "create",
        {"picking_id": picking},
        context={"active_id": picking, "active_model": "stock.picking"},
    )
    lines = store.call("stock.return.picking", "read", [wizard], ["product_return_moves"])[0][
        "product_return_moves"
    ]
    store.call("stock.return.picking.line", "write", lines, {"quantity": 1})
    returned = store.call("stock.return.picking", "action_create_returns", [wizard])["res_id"]
    moves = store.call("stock.picking", "read", [returned], ["move_ids"])[0]["move_ids"]
    store.call("stock.move", "write", moves, {"picked": True})
    store.call("stock.picking", "button_validate", [returned])
    assert store.call("stock.picking", "read", [returned], ["state"])[0]["state"] == "done"
    record = _lot(w, lot)
    assert record["isp_state"] == "in_stock"
    assert record["isp_customer_id"] is False
    assert (record["isp_latitude"], record["isp_olt_port"]) == (0.0, False)


def test_delivery_without_customer_refused(world):
    w = world
    lot = w["lots"][1]
    picking = _delivery(w, lot, False)
    before = _lot(w, lot), _quants(w)
    with pytest.raises(xmlrpc.client.Fault, match="Set the customer of transfer"):
        w["store"].call("stock.picking", "button_validate", [picking])
    assert (_lot(w, lot), _quants(w)) == before
    assert w["store"].call("stock.picking", "read", [picking], ["state"])[0]["state"] != "done"
