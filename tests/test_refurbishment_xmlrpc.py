"""Refurbishment of churned CPE over XML-RPC, as the real users: the storekeeper takes
an ONT back from a customer who left (into the branch refurbishment location), ticks
the checklist, is refused a grade while a required item is missing, grades the unit A
(back to stock) and reads the refurbishment yield; a technician may not grade."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def setup(admin, rpc):
    tag = uuid.uuid4().hex[:6]
    ref = admin.ref

    def user(login, group):
        admin.call(
            "res.users",
            "create",
            {"name": login, "login": login, "password": login, "group_ids": [(6, 0, [ref(group)])]},
        )
        return rpc(login, login)

    tech = user(f"rf_tech_{tag}", "isp_inventory.group_isp_technician")
    store = user(f"rf_store_{tag}", "isp_inventory.group_isp_storekeeper")
    warehouse_id = admin.call(
        "stock.warehouse", "create", {"name": f"Refurb Branch {tag}", "code": f"R{tag[:4]}"}
    )
    tech_id = admin.call(
        "isp.technician", "create", {"user_id": tech.uid, "warehouse_id": warehouse_id}
    )
    van_id = admin.call("isp.technician", "read", [tech_id], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    categ_id = admin.call(
        "product.category",
        "create",
        {
            "name": f"RPC Refurb CPE {tag}",
            "isp_item_class": "cpe",
            "isp_refurb_require_factory_reset": True,
            "isp_refurb_require_cleaned": True,
            "isp_refurb_require_power_on_test": True,
            "isp_refurb_require_firmware_noted": True,
            "isp_refurb_require_accessories_complete": False,
        },
    )
    ont_id = admin.call(
        "product.product",
        "create",
        {
            "name": f"RPC Refurb ONT {tag}",
            "categ_id": categ_id,
            "is_storable": True,
            "tracking": "serial",
            "standard_price": 45.0,
        },
    )
    lot_id = admin.call("stock.lot", "create", {"name": f"RPC-RF-{tag}", "product_id": ont_id})
    quant = admin.call(
        "stock.quant",
        "create",
        {"product_id": ont_id, "location_id": van_id, "lot_id": lot_id, "inventory_quantity": 1},
    )
    try:  # returns None, which XML-RPC cannot marshal; the count is committed by then
        admin.call("stock.quant", "action_apply_inventory", [quant])
    except xmlrpc.client.Fault as error:
        assert "cannot marshal None" in error.faultString
    customer_id = admin.call("res.partner", "create", {"name": f"RPC Churned {tag}"})
    admin.call("stock.lot", "action_isp_install", [lot_id], tech_id, customer_id)
    return {
        "tech": tech,
        "store": store,
        "tech_id": tech_id,
        "warehouse_id": warehouse_id,
        "ont_id": ont_id,
        "lot_id": lot_id,
        "customer_id": customer_id,
    }


def _qty(admin, lot_id, location_id):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("lot_id", "=", lot_id), ("location_id", "=", location_id)],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


def test_storekeeper_takes_back_grades_and_reads_yield(admin, setup):
    store, lot_id = setup["store"], setup["lot_id"]
    store.call(
        "stock.lot",
        "action_isp_take_back",
        [lot_id],
        setup["tech_id"],
        setup["customer_id"],
        refurbish=True,
        reason="Customer left",
    )
    lot = admin.call("stock.lot", "read", [lot_id], ["isp_state", "isp_customer_id"])[0]
    assert lot["isp_state"] == "refurbishment" and not lot["isp_customer_id"]
    [refurb] = store.call(
        "isp.refurbishment",
        "search_read",
        [("lot_id", "=", lot_id)],
        fields=["state", "location_id", "warehouse_id"],
    )
    assert refurb["state"] == "pending"
    assert refurb["warehouse_id"][0] == setup["warehouse_id"]
    location_id = refurb["location_id"][0]
    assert _qty(admin, lot_id, location_id) == 1

    # a required item missing: refused, nothing moved
    store.call(
        "isp.refurbishment",
        "write",
        [refurb["id"]],
        {"factory_reset": True, "cleaned": True, "power_on_test": True},
    )
    with pytest.raises(xmlrpc.client.Fault, match="checklist"):
        store.call("isp.refurbishment", "action_grade", [refurb["id"]], "a")
    assert _qty(admin, lot_id, location_id) == 1
    assert store.call("isp.refurbishment", "read", [refurb["id"]], ["state"])[0]["state"] == (
        "pending"
    )

    # a technician may not grade
    with pytest.raises(xmlrpc.client.Fault, match="storekeeper"):
        setup["tech"].call("isp.refurbishment", "action_grade", [refurb["id"]], "a")

    store.call(
        "isp.refurbishment",
        "write",
        [refurb["id"]],
        {"firmware_noted": True, "firmware_version": "V5R020C00"},
    )
    assert store.call("isp.refurbishment", "action_grade", [refurb["id"]], "a") is True
    done = store.call(
        "isp.refurbishment", "read", [refurb["id"]], ["state", "grade", "graded_by_id"]
    )[0]
    assert (done["state"], done["grade"], done["graded_by_id"][0]) == ("done", "a", store.uid)
    lot = admin.call(
        "stock.lot", "read", [lot_id], ["isp_state", "isp_refurb_count", "isp_refurb_grade"]
    )[0]
    assert (lot["isp_state"], lot["isp_refurb_count"], lot["isp_refurb_grade"]) == (
        "in_stock",
        1,
        "a",
    )
    assert _qty(admin, lot_id, location_id) == 0

    # the storekeeper cannot forge the grade afterwards
    with pytest.raises(xmlrpc.client.Fault):
        store.call("isp.refurbishment", "write", [refurb["id"]], {"grade": "scrap"})

    rows = store.call(
        "isp.refurbishment.report",
        "formatted_read_group",
        [("product_id", "=", setup["ont_id"])],
        ["warehouse_id"],
        ["graded_count:sum", "grade_a_count:sum", "yield_percent:avg", "value_recovered:sum"],
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["graded_count:sum"] == 1 and row["grade_a_count:sum"] == 1
    assert row["yield_percent:avg"] == 100.0
    assert row["value_recovered:sum"] == 45.0
