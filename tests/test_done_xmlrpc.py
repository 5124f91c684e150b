"""Done is done, over XML-RPC as the demo technician john and the storekeeper store: a
done move line, a completed job and a serial's install record cannot be changed by a
plain call, and john takes equipment back only on an open job of his at the customer.
Every refusal changes nothing."""

import uuid
import xmlrpc.client

import pytest
from conftest import open_job, receive
from test_field_service_xmlrpc import _qty

LOT_FIELDS = ["name", "isp_state", "isp_customer_id", "isp_installed_by_id", "isp_latitude"]


@pytest.fixture(scope="module")
def world(rpc):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    tech = admin.ref("isp_inventory.tech_john_demo")
    info = admin.call("isp.technician", "read", [tech], ["warehouse_id", "vehicle_location_id"])[0]
    van = info["vehicle_location_id"][0]
    receipt_type = admin.call("stock.warehouse", "read", [info["warehouse_id"][0]], ["in_type_id"])[
        0
    ]["in_type_id"][0]

    def product(name, item_class, **vals):
        categ = admin.ref(f"isp_inventory.product_category_{item_class}")
        return admin.call(
            "product.product", "create", dict(vals, name=f"{name} {tag}", categ_id=categ)
        )

    cord = product("Done Cord", "consumable", standard_price=1.5)
    ont = product("Done ONT", "cpe", standard_price=45.0, tracking="serial")
    lots = [
        admin.call("stock.lot", "create", {"name": f"DONE-{tag}-{i}", "product_id": ont})
        for i in (1, 2)
    ]
    receive(admin, receipt_type, van, [(cord, 6, False)] + [(ont, 1, lot) for lot in lots])
    customers = [
        admin.call("res.partner", "create", {"name": f"Done Customer {tag} {i}"}) for i in (1, 2)
    ]
    return {
        "admin": admin,
        "tag": tag,
        "tech": tech,
        "van": van,
        "cord": cord,
        "ont": ont,
        "lots": lots,
        "customers": customers,
    }


@pytest.fixture(scope="module")
def john(rpc):
    return rpc("john", "john")


@pytest.fixture(scope="module")
def store(rpc):
    return rpc("store", "store")


def _refused(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        call(*args, **kwargs)
    return refusal.value.faultString


def test_done_move_line_cannot_be_edited(world, john, store):
    admin, cord, van = world["admin"], world["cord"], world["van"]
    lines = admin.call(
        "stock.move.line",
        "search_read",
        [("product_id", "=", cord), ("location_dest_id", "=", van)],
        fields=["quantity", "state"],
    )
    assert [(line["quantity"], line["state"]) for line in lines] == [(6, "done")]
    line = lines[0]["id"]
    for client in (john, store, admin):
        _refused(client.call, "stock.move.line", "write", [line], {"quantity": 1})
        _refused(client.call, "stock.move.line", "unlink", [line])
    assert "Inventory Administrator" in _refused(
        store.call, "stock.move.line", "action_isp_edit_done", [line], {"quantity": 1}, "typo"
    )
    after = admin.call("stock.move.line", "read", [line], ["quantity", "state"])[0]
    assert (after["quantity"], after["state"]) == (6, "done")
    assert _qty(admin, cord, van) == 6


def test_completed_job_cannot_be_unlinked(world, john, store):
    admin = world["admin"]
    job = open_job(admin, world["tech"], world["customers"][0], name=f"Done job {world['tag']}")
    john.call(
        "project.task",
        "action_isp_complete",
        [job],
        {"lines": [{"product_id": world["cord"], "qty_used": 2}], "leftover": "carry"},
    )
    assert (
        admin.call("project.task", "read", [job], ["isp_job_state"])[0]["isp_job_state"] == "done"
    )
    for client in (john, store):
        _refused(client.call, "project.task", "unlink", [job])
        _refused(client.call, "project.task", "write", [job], {"partner_id": False})
    assert "is done" in _refused(store.call, "project.task", "unlink", [job])
    after = admin.call("project.task", "read", [job], ["active", "isp_job_state", "partner_id"])[0]
    assert after["active"] and after["isp_job_state"] == "done"
    assert after["partner_id"][0] == world["customers"][0]
    assert _qty(admin, world["cord"], world["van"]) == 4
    # The Inventory Administrator removes it, giving a reason: archived (and so out of
    # john's job lists and the demo checks), the reason on its chatter.
    assert "Inventory Administrator" in _refused(
        store.call, "project.task", "action_isp_remove_done", [job], "test job"
    )
    admin.call("project.task", "action_isp_remove_done", [job], "Test job, not a real visit")
    after = admin.call("project.task", "read", [job], ["active", "isp_job_state"])[0]
    assert not after["active"] and after["isp_job_state"] == "done"
    messages = admin.call(
        "mail.message",
        "search_read",
        [("model", "=", "project.task"), ("res_id", "=", job)],
        fields=["body", "author_id"],
        limit=1,
    )
    assert "Test job, not a real visit" in messages[0]["body"]
    assert (
        messages[0]["author_id"][0]
        == admin.call("res.users", "read", [admin.uid], ["partner_id"])[0]["partner_id"][0]
    )


def test_install_record_and_identity_cannot_be_written(world, john, store):
    admin, lot = world["admin"], world["lots"][0]
    customer, other = world["customers"]
    john.call("stock.lot", "action_isp_install", [lot], world["tech"], customer, -1.29, 36.82)
    before = admin.call("stock.lot", "read", [lot], LOT_FIELDS)
    for client in (john, store, admin):
        _refused(client.call, "stock.lot", "write", [lot], {"name": f"RENAMED-{world['tag']}"})
        _refused(client.call, "stock.lot", "write", [lot], {"isp_customer_id": other})
        _refused(client.call, "stock.lot", "write", [lot], {"isp_customer_id": False})
    assert admin.call("stock.lot", "read", [lot], LOT_FIELDS) == before
    assert before[0]["isp_state"] == "installed"
    assert before[0]["isp_customer_id"][0] == customer


def test_take_back_needs_an_open_job(world, john, store):
    admin, ont, lot = world["admin"], world["ont"], world["lots"][1]
    customer = world["customers"][1]
    john.call("stock.lot", "action_isp_install", [lot], world["tech"], customer)
    customer_location = admin.call("res.partner", "read", [customer], ["property_stock_customer"])[
        0
    ]["property_stock_customer"][0]
    message = _refused(
        john.call, "stock.lot", "action_isp_take_back", [lot], world["tech"], customer, True
    )
    assert "no open job" in message
    lot_values = admin.call("stock.lot", "read", [lot], LOT_FIELDS)[0]
    assert lot_values["isp_state"] == "installed"
    assert lot_values["isp_customer_id"][0] == customer
    assert _qty(admin, ont, customer_location, lot) == 1
    # the storekeeper needs no job
    store.call("stock.lot", "action_isp_take_back", [lot], world["tech"], customer, True)
    assert admin.call("stock.lot", "read", [lot], ["isp_state"])[0]["isp_state"] == "faulty"
    assert _qty(admin, ont, customer_location, lot) == 0
