"""Labels and scanning over the external API, as the demo users: technician john looks
up a serial in his van, a storekeeper looks up a van by its barcode and prints the
van's and kit's label sheet through /report/pdf."""

import uuid
import xmlrpc.client

import pytest
import requests
from conftest import OUTPUT, receive, web_menus


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def john_van(admin):
    tech = admin.ref("isp_inventory.tech_john_demo")
    data = admin.call("isp.technician", "read", [tech], ["vehicle_location_id", "warehouse_id"])[0]
    van = data["vehicle_location_id"][0]
    barcode = admin.call("stock.location", "read", [van], ["barcode"])[0]["barcode"]
    return {"id": van, "barcode": barcode, "warehouse": data["warehouse_id"][0]}


def _serial(admin, prefix):
    tag = uuid.uuid4().hex[:6].upper()
    product = admin.call(
        "product.product",
        "create",
        {"name": f"Scan ONT {tag}", "categ_id": admin.ref("isp_inventory.product_category_cpe")},
    )
    name = f"{prefix}-{tag}"
    lot = admin.call("stock.lot", "create", {"name": name, "product_id": product})
    return product, lot, name


def test_technician_looks_up_a_serial_in_his_van(admin, rpc, john_van):
    product, lot, name = _serial(admin, "SCAN-VAN")
    receipt_type = admin.call("stock.warehouse", "read", [john_van["warehouse"]], ["in_type_id"])[
        0
    ]["in_type_id"][0]
    receive(admin, receipt_type, john_van["id"], [(product, 1, lot)])

    john = rpc("john", "john")
    assert john.call("isp.scan", "isp_lookup", name) == {
        "model": "stock.lot",
        "id": lot,
        "display_name": name,
    }
    # His van's own label code points at the van.
    assert john.call("isp.scan", "isp_lookup", john_van["barcode"])["id"] == john_van["id"]


def test_technician_does_not_find_a_serial_in_the_store(admin, rpc):
    product, lot, name = _serial(admin, "SCAN-STORE")
    stock = admin.call(
        "stock.warehouse", "read", [admin.ref("stock.warehouse0")], ["lot_stock_id"]
    )[0]["lot_stock_id"][0]
    receive(admin, admin.ref("stock.picking_type_in"), stock, [(product, 1, lot)])
    john = rpc("john", "john")
    with pytest.raises(xmlrpc.client.Fault, match=f"Nothing matches {name}"):
        john.call("isp.scan", "isp_lookup", name)
    assert rpc("store", "store").call("isp.scan", "isp_lookup", name)["id"] == lot


def test_storekeeper_looks_up_a_van_by_its_barcode(rpc, john_van):
    assert john_van["barcode"] == "VAN-JOHN"
    store = rpc("store", "store")
    hit = store.call("isp.scan", "isp_lookup", "VAN-JOHN")
    assert hit["model"] == "stock.location"
    assert hit["id"] == john_van["id"]
    with pytest.raises(xmlrpc.client.Fault, match="Nothing matches NO-SUCH-LABEL"):
        store.call("isp.scan", "isp_lookup", "NO-SUCH-LABEL")


def test_storekeeper_prints_van_labels(admin, odoo_url, odoo_db, john_van):
    """The label sheet as a PDF over HTTP, as docs/API.md shows."""
    kit = admin.call(
        "isp.technician", "read", [admin.ref("isp_inventory.tech_john_demo")], ["kit_location_id"]
    )[0]["kit_location_id"][0]
    session = requests.Session()
    login = session.post(
        f"{odoo_url}/web/session/authenticate",
        json={"params": {"db": odoo_db, "login": "store", "password": "store"}},
        timeout=60,
    )
    assert login.json()["result"]["uid"]
    response = session.get(
        f"{odoo_url}/report/pdf/isp_inventory.report_isp_label_location/{john_van['id']},{kit}",
        timeout=300,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (OUTPUT / "labels-john-van-kit.pdf").write_bytes(response.content)


def test_scan_menus(admin, odoo_url, odoo_db):
    """Technicians get "Scan" in their Field Service (phone) menu, storekeepers under
    Inventory > Field Stock."""
    action = admin.ref("isp_inventory.isp_scan_action")
    john = web_menus(odoo_url, odoo_db, "john")
    tech_menu = john["isp_field_service.isp_scan_menu_technician"]
    assert tech_menu["actionID"] == action
    assert tech_menu["id"] in john["isp_field_service.isp_field_service_menu_root"]["children"]
    assert "isp_inventory.isp_scan_menu" not in john
    store = web_menus(odoo_url, odoo_db, "store")
    store_menu = store["isp_inventory.isp_scan_menu"]
    assert store_menu["actionID"] == action
    assert store_menu["id"] in store["isp_inventory.menu_isp_field_stock"]["children"]
