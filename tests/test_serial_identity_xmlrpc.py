"""Serial identity over the external API, as the demo users: the storekeeper's receipt
of a serial that belongs to another product is refused, naming that product; the
storekeeper scans a serial by its MAC address in any notation; technician john cannot
install a serial whose product requires a MAC until the MAC is recorded."""

import re
import uuid
import xmlrpc.client

import pytest
from conftest import new_product, receive


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def store(rpc):
    return rpc("store", "store")


def _tag():
    return uuid.uuid4().hex[:6].upper()


def _mac():
    """A random, locally administered MAC address (02:...), in the stored notation."""
    digits = "02" + uuid.uuid4().hex[:10].upper()
    return ":".join(digits[index : index + 2] for index in range(0, 12, 2))


def _main_stock(admin):
    warehouse = admin.ref("stock.warehouse0")
    return admin.call("stock.warehouse", "read", [warehouse], ["lot_stock_id", "in_type_id"])[0]


def _lots_named(admin, names):
    return admin.call("stock.lot", "search_read", [("name", "in", names)], fields=["name"])


def test_storekeeper_receipt_with_another_products_serial_refused(admin, store):
    tag = _tag()
    ont = new_product(
        admin,
        f"XR ONT {tag}",
        "cpe",
        isp_serial_format=f"ONT{tag}[0-9A-F]{{4}}",
        isp_serial_format_hint=f"ONT{tag} followed by 4 hexadecimal digits",
    )
    router = new_product(
        admin,
        f"XR Router {tag}",
        "cpe",
        isp_serial_format=f"RTR{tag}-[0-9]{{3}}",
        isp_serial_format_hint=f"RTR{tag}- followed by 3 digits",
    )
    warehouse = _main_stock(admin)
    stock, receipt_type = warehouse["lot_stock_id"][0], warehouse["in_type_id"][0]
    supplier = admin.ref("stock.stock_location_suppliers")
    good, bad = f"RTR{tag}-001", f"ONT{tag}00AF"

    def line(name):
        return (
            0,
            0,
            {
                "product_id": router,
                "lot_name": name,
                "quantity": 1,
                "location_id": supplier,
                "location_dest_id": stock,
            },
        )

    picking = store.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": receipt_type,
            "location_id": supplier,
            "location_dest_id": stock,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": router,
                        "product_uom_qty": 2,
                        "location_id": supplier,
                        "location_dest_id": stock,
                        "move_line_ids": [line(good), line(bad)],
                        "picked": True,
                    },
                )
            ],
        },
    )
    with pytest.raises(
        xmlrpc.client.Fault,
        match=rf"{bad} looks like a XR ONT {tag}, not a XR Router {tag} \(its serials are "
        rf"RTR{tag}- followed by 3 digits\)",
    ):
        store.call("stock.picking", "button_validate", [picking])
    # nothing changed: the receipt is not done, no serial was created, nothing received
    assert store.call("stock.picking", "read", [picking], ["state"])[0]["state"] != "done"
    assert _lots_named(admin, [good, bad]) == []
    assert admin.call("stock.quant", "search", [("product_id", "in", [ont, router])]) == []

    # a serial of no known format is refused with the product's hint
    lines = store.call("stock.move.line", "search", [("move_id.picking_id", "=", picking)])
    bad_line = next(
        line["id"]
        for line in store.call("stock.move.line", "read", lines, ["lot_name"])
        if line["lot_name"] == bad
    )
    store.call("stock.move.line", "write", [bad_line], {"lot_name": f"RTR{tag}-1"})
    with pytest.raises(
        xmlrpc.client.Fault,
        match=rf"RTR{tag}-1 is not a serial number of XR Router {tag}: expected RTR{tag}- "
        r"followed by 3 digits\.",
    ):
        store.call("stock.picking", "button_validate", [picking])
    assert _lots_named(admin, [good, f"RTR{tag}-1"]) == []

    # corrected, the receipt goes through
    store.call("stock.move.line", "write", [bad_line], {"lot_name": f"RTR{tag}-002"})
    store.call("stock.picking", "button_validate", [picking])
    assert store.call("stock.picking", "read", [picking], ["state"])[0]["state"] == "done"
    assert sorted(lot["name"] for lot in _lots_named(admin, [good, f"RTR{tag}-002"])) == [
        good,
        f"RTR{tag}-002",
    ]


def test_storekeeper_scans_a_serial_by_its_mac(admin, store, rpc):
    tag = _tag()
    product = new_product(admin, f"XR Scan ONT {tag}", "cpe")
    mac = _mac()
    dotted = f"{mac[0:2]}{mac[3:5]}.{mac[6:8]}{mac[9:11]}.{mac[12:14]}{mac[15:17]}".lower()
    lot = store.call(
        "stock.lot",
        "create",
        {"name": f"XR-SCAN-{tag}", "product_id": product, "isp_mac_address": dotted},
    )
    assert store.call("stock.lot", "read", [lot], ["isp_mac_address"])[0]["isp_mac_address"] == mac
    warehouse = _main_stock(admin)
    receive(admin, warehouse["in_type_id"][0], warehouse["lot_stock_id"][0], [(product, 1, lot)])
    hit = {"model": "stock.lot", "id": lot, "display_name": f"XR-SCAN-{tag}"}
    for code in (mac, mac.replace(":", "-").lower(), mac.replace(":", ""), dotted):
        assert store.call("isp.scan", "isp_lookup", code) == hit
    # the MAC is a search field of the serials
    assert store.call("stock.lot", "search", [("isp_mac_address", "=", mac)]) == [lot]
    # a technician does not find a serial of the store by its MAC either
    with pytest.raises(xmlrpc.client.Fault, match="Nothing matches"):
        rpc("john", "john").call("isp.scan", "isp_lookup", mac)
    # the same MAC on a second serial is refused, nothing created
    with pytest.raises(xmlrpc.client.Fault, match=rf"MAC address {mac} is already recorded"):
        store.call(
            "stock.lot",
            "create",
            {"name": f"XR-SCAN2-{tag}", "product_id": product, "isp_mac_address": mac.lower()},
        )
    assert _lots_named(admin, [f"XR-SCAN2-{tag}"]) == []


def test_technician_install_without_mac_refused(admin, store, rpc):
    tag = _tag()
    product = new_product(admin, f"XR Core Router {tag}", "cpe", isp_mac_required=True)
    lot = admin.call("stock.lot", "create", {"name": f"XR-MAC-{tag}", "product_id": product})
    tech = admin.ref("isp_inventory.tech_john_demo")
    tech_data = admin.call(
        "isp.technician", "read", [tech], ["vehicle_location_id", "warehouse_id"]
    )
    van = tech_data[0]["vehicle_location_id"][0]
    receipt_type = admin.call(
        "stock.warehouse", "read", [tech_data[0]["warehouse_id"][0]], ["in_type_id"]
    )[0]["in_type_id"][0]
    receive(admin, receipt_type, van, [(product, 1, lot)])
    customer = admin.call("res.partner", "create", {"name": f"XR Customer {tag}"})
    john = rpc("john", "john")
    pickings = admin.call("stock.picking", "search_count", [("partner_id", "=", customer)])

    with pytest.raises(
        xmlrpc.client.Fault,
        match=rf"XR-MAC-{tag} \(XR Core Router {tag}\): record the MAC address of the unit "
        r"on the serial before installing it at a customer",
    ):
        john.call("stock.lot", "action_isp_install", [lot], tech, customer)
    # nothing changed: still in his van, no install record, no transfer
    state = admin.call("stock.lot", "read", [lot], ["isp_state", "isp_customer_id"])[0]
    assert (state["isp_state"], state["isp_customer_id"]) == ("with_technician", False)
    assert admin.call("stock.picking", "search_count", [("partner_id", "=", customer)]) == pickings
    # a technician cannot record the MAC himself: the storekeeper does
    with pytest.raises(xmlrpc.client.Fault):
        john.call("stock.lot", "write", [lot], {"isp_mac_address": _mac()})
    store.call("stock.lot", "write", [lot], {"isp_mac_address": _mac()})
    john.call("stock.lot", "action_isp_install", [lot], tech, customer)
    state = admin.call("stock.lot", "read", [lot], ["isp_state", "isp_customer_id"])[0]
    assert (state["isp_state"], state["isp_customer_id"][0]) == ("installed", customer)


def test_demo_serials_match_their_formats(admin):
    """The demo CPE and core router have serial formats, which every demo serial (the
    demo's own and those the year of history bought) matches; a few carry a MAC."""
    demo = {
        "isp_inventory.product_ont_hg8245_demo": "HWTC4A00001",
        "isp_inventory.product_router_archer_demo": "ARC6-00001",
        "isp_inventory.product_router_ccr2004_demo": "CCR2004-00001",
    }
    for xmlid, first_serial in demo.items():
        product = admin.ref(xmlid)
        data = admin.call(
            "product.product",
            "read",
            [product],
            ["isp_serial_format", "isp_serial_format_hint", "isp_mac_required"],
        )[0]
        assert data["isp_serial_format"] and data["isp_serial_format_hint"]
        lots = admin.call(
            "stock.lot",
            "search_read",
            [("product_id", "=", product)],
            fields=["name", "isp_mac_address"],
        )
        names = [lot["name"] for lot in lots]
        assert first_serial in names
        assert [name for name in names if not re.fullmatch(data["isp_serial_format"], name)] == []
        with_mac = {lot["name"]: lot["isp_mac_address"] for lot in lots if lot["isp_mac_address"]}
        assert with_mac[first_serial]
        assert all(re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", mac) for mac in with_mac.values())
        if data["isp_mac_required"]:
            assert len(with_mac) == len(lots)
    # the history bought more ONTs and routers, named as their vendors number them
    assert admin.call("stock.lot", "search_count", [("name", "=like", "HWTC4B%")]) > 0
