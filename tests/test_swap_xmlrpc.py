"""One-step CPE swap over XML-RPC, as the demo technician john: admin stocks john's van
with two ONT serials, john installs one (with rx power and OLT port), then swaps it for
the other; refused swaps change nothing."""

import uuid
import xmlrpc.client

import pytest
from conftest import open_job, receive, web_menus
from test_field_service_xmlrpc import _qty

LOT_FIELDS = [
    "isp_state",
    "isp_customer_id",
    "isp_installed_by_id",
    "isp_latitude",
    "isp_longitude",
    "isp_rx_power_dbm",
    "isp_olt_port",
]


@pytest.fixture(scope="module")
def john(rpc):
    return rpc("john", "john")


@pytest.fixture(scope="module")
def setup(rpc):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    tech_id = admin.ref("isp_inventory.tech_john_demo")
    tech = admin.call("isp.technician", "read", [tech_id], ["warehouse_id", "vehicle_location_id"])[
        0
    ]
    warehouse, van = tech["warehouse_id"][0], tech["vehicle_location_id"][0]
    receipt_type = admin.call("stock.warehouse", "read", [warehouse], ["in_type_id"])[0][
        "in_type_id"
    ][0]
    ont = admin.call(
        "product.product",
        "create",
        {
            "name": f"Swap ONT {tag}",
            "categ_id": admin.ref("isp_inventory.product_category_cpe"),
            "standard_price": 45.0,
            "tracking": "serial",
        },
    )
    old, new, spare = (
        admin.call("stock.lot", "create", {"name": f"SWAP-{tag}-{i}", "product_id": ont})
        for i in ("OLD", "NEW", "SPARE")
    )
    receive(admin, receipt_type, van, [(ont, 1, lot) for lot in (old, new, spare)])
    customer = admin.call("res.partner", "create", {"name": f"Swap Customer {tag}"})
    open_job(admin, tech_id, customer, name=f"Swap call {tag}")
    return {
        "admin": admin,
        "tech": tech_id,
        "van": van,
        "ont": ont,
        "old": old,
        "new": new,
        "spare": spare,
        "customer": customer,
        "customer_location": admin.call(
            "res.partner", "read", [customer], ["property_stock_customer"]
        )[0]["property_stock_customer"][0],
    }


def _lots(client, *ids):
    return {lot["id"]: lot for lot in client.call("stock.lot", "read", list(ids), LOT_FIELDS)}


def test_john_installs_then_swaps(john, setup):
    admin, s = setup["admin"], setup
    install_id = john.call(
        "stock.lot",
        "action_isp_install",
        [s["old"]],
        s["tech"],
        s["customer"],
        latitude=-1.2921,
        longitude=36.8219,
        rx_power_dbm=-18.5,
        olt_port="OLT-WSTL-01 0/1/3",
    )
    assert john.call("stock.picking", "read", [install_id], ["state"])[0]["state"] == "done"
    before = _lots(john, s["old"])[s["old"]]
    assert before["isp_state"] == "installed"
    assert before["isp_rx_power_dbm"] == -18.5

    # Refused, nothing changed: rx power out of range; a serial that is not installed.
    snapshot = _lots(admin, s["old"], s["new"])
    pickings = admin.call("stock.picking", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault, match="Rx power"):
        john.call("stock.lot", "action_isp_swap", [s["old"]], s["new"], s["tech"], rx_power_dbm=-60)
    with pytest.raises(xmlrpc.client.Fault, match="not installed"):
        john.call("stock.lot", "action_isp_swap", [s["spare"]], s["new"], s["tech"])
    assert _lots(admin, s["old"], s["new"]) == snapshot
    assert admin.call("stock.picking", "search_count", []) == pickings
    assert _qty(admin, s["ont"], s["van"], s["new"]) == 1

    back_id, new_install_id = john.call(
        "stock.lot",
        "action_isp_swap",
        [s["old"]],
        s["new"],
        s["tech"],
        reason="No optical signal",
        rx_power_dbm=-19.25,
    )
    back, install = john.call(
        "stock.picking",
        "read",
        [back_id, new_install_id],
        ["state", "location_id", "location_dest_id"],
    )
    assert back["state"] == install["state"] == "done"
    quarantine = back["location_dest_id"][0]
    assert (
        admin.call("stock.location", "read", [quarantine], ["isp_role"])[0]["isp_role"]
        == "quarantine"
    )
    assert install["location_id"][0] == s["van"]

    lots = _lots(john, s["old"], s["new"])
    old, new = lots[s["old"]], lots[s["new"]]
    assert old["isp_state"] == "faulty"
    assert old["isp_customer_id"] is False
    assert old["isp_olt_port"] is False
    assert new["isp_state"] == "installed"
    assert new["isp_customer_id"][0] == s["customer"]
    assert new["isp_installed_by_id"][0] == s["tech"]
    assert (new["isp_latitude"], new["isp_longitude"]) == (-1.2921, 36.8219)
    assert new["isp_rx_power_dbm"] == -19.25
    assert new["isp_olt_port"] == "OLT-WSTL-01 0/1/3"
    assert _qty(admin, s["ont"], quarantine, s["old"]) == 1
    assert _qty(admin, s["ont"], s["customer_location"], s["new"]) == 1
    assert _qty(admin, s["ont"], s["van"], s["new"]) == 0


def test_swap_menus(rpc, odoo_url, odoo_db):
    """Technicians get "Swap CPE" in their phone menu, storekeepers under Inventory >
    Field Stock; both open the swap wizard."""
    action = rpc().ref("isp_inventory.isp_swap_wizard_action")
    john = web_menus(odoo_url, odoo_db, "john")
    tech_menu = john["isp_field_service.isp_swap_wizard_menu_mobile"]
    assert tech_menu["actionID"] == action
    assert tech_menu["id"] in john["isp_field_service.isp_field_service_menu_root"]["children"]
    store = web_menus(odoo_url, odoo_db, "store")
    store_menu = store["isp_inventory.isp_swap_wizard_menu"]
    assert store_menu["actionID"] == action
    assert store_menu["id"] in store["isp_inventory.menu_isp_field_stock"]["children"]
