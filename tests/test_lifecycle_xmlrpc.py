"""Serial lifecycle and loss accountability over XML-RPC, as the real users: a technician
installs a serial and takes it back faulty, a storekeeper is refused an RMA after the
warranty, a loss report is submitted by the technician and approved by an approver."""

import uuid
import xmlrpc.client

import pytest
from conftest import open_job


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

    tech_login, approver_login, store_login = (f"{r}_{tag}" for r in ("tech", "appr", "store"))
    tech = user(tech_login, "isp_inventory.group_isp_technician")
    approver = user(approver_login, "isp_inventory.group_isp_approver")
    store = user(store_login, "isp_inventory.group_isp_storekeeper")
    warehouse_id = admin.call("stock.warehouse", "search", [], limit=1)[0]
    tech_id = admin.call(
        "isp.technician", "create", {"user_id": tech.uid, "warehouse_id": warehouse_id}
    )
    van_id = admin.call("isp.technician", "read", [tech_id], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    ont_id = admin.call(
        "product.product",
        "create",
        {
            "name": f"RPC ONT {tag}",
            "categ_id": ref("isp_inventory.product_category_cpe"),
            "standard_price": 45.0,
            "isp_warranty_months": 24,
        },
    )
    cord_id = admin.call(
        "product.product",
        "create",
        {
            "name": f"RPC Patch Cord {tag}",
            "categ_id": ref("isp_inventory.product_category_consumable"),
            "standard_price": 1.5,
        },
    )
    lot_id = admin.call("stock.lot", "create", {"name": f"RPC-ONT-{tag}", "product_id": ont_id})
    quants = [
        admin.call(
            "stock.quant",
            "create",
            {
                "product_id": ont_id,
                "location_id": van_id,
                "lot_id": lot_id,
                "inventory_quantity": 1,
            },
        ),
        admin.call(
            "stock.quant",
            "create",
            {"product_id": cord_id, "location_id": van_id, "inventory_quantity": 10},
        ),
    ]
    # True, not Odoo's None (which XML-RPC cannot carry: the call used to fail after
    # applying the count)
    assert admin.call("stock.quant", "action_apply_inventory", quants) is True
    customer_id = admin.call("res.partner", "create", {"name": f"RPC Customer {tag}"})
    open_job(admin, tech_id, customer_id, name=f"RPC call {tag}")  # for the take-back
    return {
        "tech": tech,
        "approver": approver,
        "store": store,
        "tech_id": tech_id,
        "van_id": van_id,
        "ont_id": ont_id,
        "cord_id": cord_id,
        "lot_id": lot_id,
        "customer_id": customer_id,
    }


def _lot(admin, lot_id):
    return admin.call(
        "stock.lot", "read", [lot_id], ["isp_state", "isp_customer_id", "isp_latitude"]
    )[0]


def _qty(admin, product_id, location_id):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("product_id", "=", product_id), ("location_id", "=", location_id)],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


def test_install_take_back_faulty_and_rma_after_warranty(admin, setup):
    tech, lot_id = setup["tech"], setup["lot_id"]
    picking_id = tech.call(
        "stock.lot",
        "action_isp_install",
        [lot_id],
        setup["tech_id"],
        setup["customer_id"],
        latitude=-1.2921,
        longitude=36.8219,
    )
    assert admin.call("stock.picking", "read", [picking_id], ["state"])[0]["state"] == "done"
    lot = _lot(admin, lot_id)
    assert lot["isp_state"] == "installed"
    assert lot["isp_customer_id"][0] == setup["customer_id"]
    assert lot["isp_latitude"] == -1.2921
    # Installing it again is refused.
    with pytest.raises(xmlrpc.client.Fault, match="already installed"):
        tech.call(
            "stock.lot", "action_isp_install", [lot_id], setup["tech_id"], setup["customer_id"]
        )

    tech.call(
        "stock.lot",
        "action_isp_take_back",
        [lot_id],
        setup["tech_id"],
        setup["customer_id"],
        faulty=True,
        reason="No optical signal",
    )
    assert _lot(admin, lot_id)["isp_state"] == "faulty"

    # The warranty ended (simulated): the storekeeper's RMA is refused, nothing moves.
    admin.call("stock.lot", "write", [lot_id], {"isp_warranty_end": "2020-01-31"})
    with pytest.raises(xmlrpc.client.Fault, match="out of warranty"):
        setup["store"].call("stock.lot", "action_isp_return_to_vendor", [lot_id])
    assert _lot(admin, lot_id)["isp_state"] == "faulty"


def test_loss_report_submit_and_approve(admin, setup):
    tech, approver = setup["tech"], setup["approver"]
    report_id = tech.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": setup["tech_id"],
            "loss_type": "damaged",
            "description": "Patch cords crushed under the ladder.",
            "line_ids": [(0, 0, {"product_id": setup["cord_id"], "quantity": 4})],
        },
    )
    tech.call("isp.loss.report", "action_submit", [report_id])
    with pytest.raises(xmlrpc.client.Fault, match="Only Inventory Approvers"):
        tech.call("isp.loss.report", "action_approve", [report_id])
    assert _qty(admin, setup["cord_id"], setup["van_id"]) == 10

    approver.call("isp.loss.report", "action_approve", [report_id])
    report = admin.call(
        "isp.loss.report",
        "read",
        [report_id],
        ["state", "amount", "isp_approval_state", "isp_approved_by_id"],
    )[0]
    assert report["state"] == "done"
    assert report["isp_approval_state"] == "approved"
    assert report["isp_approved_by_id"][0] == approver.uid
    assert report["amount"] == 6.0
    assert _qty(admin, setup["cord_id"], setup["van_id"]) == 6
    tech_record = admin.call("isp.technician", "read", [setup["tech_id"]], ["loss_count"])[0]
    assert tech_record["loss_count"] == 1


def test_loss_report_state_only_through_the_engine_and_reject(admin, setup):
    tech, approver = setup["tech"], setup["approver"]
    report_id = tech.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": setup["tech_id"],
            "loss_type": "lost",
            "description": "Cord reel fell off the van.",
            "line_ids": [(0, 0, {"product_id": setup["cord_id"], "quantity": 1})],
        },
    )
    before = _qty(admin, setup["cord_id"], setup["van_id"])
    # the technician may edit their draft, not move it past draft by a plain write
    for vals in ({"state": "done"}, {"isp_approval_state": "approved"}):
        with pytest.raises(xmlrpc.client.Fault, match="change only when"):
            tech.call("isp.loss.report", "write", [report_id], vals, context={"su": True})
    tech.call("isp.loss.report", "action_submit", [report_id])
    approver.call("isp.loss.report", "action_reject", [report_id], "Found it in the store")
    report = admin.call(
        "isp.loss.report",
        "read",
        [report_id],
        ["state", "isp_approval_state", "isp_rejected_by_id", "isp_rejection_reason"],
    )[0]
    assert report["state"] == "rejected" and report["isp_approval_state"] == "rejected"
    assert report["isp_rejected_by_id"][0] == approver.uid
    assert report["isp_rejection_reason"] == "Found it in the store"
    assert _qty(admin, setup["cord_id"], setup["van_id"]) == before
