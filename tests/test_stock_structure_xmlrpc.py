"""Stock structure flows over XML-RPC, as the real users: a technician requests items,
the storekeeper confirms, an approver approves, the storekeeper validates; kit issuance;
the replenishment scheduler."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def world(admin, rpc):
    """Users with passwords for each role, a branch, a technician and stock."""
    tag = uuid.uuid4().hex[:6]

    def user(role, group):
        login = f"ss_{role}_{tag}"
        admin.call(
            "res.users",
            "create",
            {
                "name": f"SS {role} {tag}",
                "login": login,
                "password": login,
                "group_ids": [(6, 0, [admin.ref(group)])],
            },
        )
        return rpc(login, login)

    tech = user("tech", "isp_inventory.group_isp_technician")
    store = user("store", "isp_inventory.group_isp_storekeeper")
    approver = user("approver", "isp_inventory.group_isp_approver")
    branch_id = admin.call("stock.warehouse", "create", {"name": f"SS {tag}", "code": tag[:5]})
    branch = admin.call("stock.warehouse", "read", [branch_id], ["lot_stock_id"])[0]
    tech_id = admin.call(
        "isp.technician", "create", {"user_id": tech.uid, "warehouse_id": branch_id}
    )
    van_id = admin.call("isp.technician", "read", [tech_id], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    cpe = admin.call(
        "ir.model.data", "search_read", [("name", "=", "product_category_cpe")], fields=["res_id"]
    )[0]["res_id"]
    consumable = admin.ref("isp_inventory.product_category_consumable")
    ont_id = admin.call(
        "product.product",
        "create",
        {"name": f"SS ONT {tag}", "categ_id": cpe, "standard_price": 40},
    )
    cord_id = admin.call(
        "product.product",
        "create",
        {"name": f"SS Cord {tag}", "categ_id": consumable, "standard_price": 1},
    )
    stock_id = branch["lot_stock_id"][0]
    lot_id = admin.call("stock.lot", "create", {"name": f"SS-ONT-{tag}", "product_id": ont_id})
    for product_id, qty, lot in ((ont_id, 1, lot_id), (cord_id, 100, False)):
        admin.call(
            "stock.quant",
            "create",
            {
                "product_id": product_id,
                "location_id": stock_id,
                "inventory_quantity_auto_apply": qty,
                "lot_id": lot,
            },
            context={"inventory_mode": True},
        )
    return dict(
        tech=tech,
        store=store,
        approver=approver,
        tech_id=tech_id,
        van_id=van_id,
        branch_id=branch_id,
        stock_id=stock_id,
        ont_id=ont_id,
        cord_id=cord_id,
        admin=admin,
    )


def _van_qty(admin, world, product_id):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("location_id", "=", world["van_id"]), ("product_id", "=", product_id)],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


def _request_one_ont(world, user):
    """`user` (the technician or a storekeeper) asks for one ONT into the van."""
    return user.call(
        "isp.technician",
        "action_isp_request",
        [world["tech_id"]],
        [{"product_id": world["ont_id"], "quantity": 1}],
    )


def test_request_approve_validate(world):
    tech, store, approver, admin = world["tech"], world["store"], world["approver"], world["admin"]
    picking_id = _request_one_ont(world, tech)
    picking = store.call(
        "stock.picking", "read", [picking_id], ["isp_approval_state", "isp_requested_by_id"]
    )[0]
    assert picking["isp_approval_state"] == "to_approve"
    assert picking["isp_requested_by_id"][0] == tech.uid
    with pytest.raises(xmlrpc.client.Fault, match="approved"):
        store.call("stock.picking", "button_validate", [picking_id])
    with pytest.raises(xmlrpc.client.Fault, match="Approver"):
        store.call("stock.picking", "action_isp_approve", [picking_id])
    # the approval fields change only through the engine, whatever the context says
    with pytest.raises(xmlrpc.client.Fault, match="change only when"):
        store.call(
            "stock.picking",
            "write",
            [picking_id],
            {"isp_approval_state": "approved", "isp_approved_by_id": store.uid},
            context={"isp_approval_engine": True},
        )
    assert _van_qty(admin, world, world["ont_id"]) == 0
    messages = _messages(admin, picking_id)  # tracking values: administrators only
    approver.call("stock.picking", "action_isp_approve", [picking_id])
    new = [m for m in _messages(admin, picking_id) if m not in messages]
    assert len(new) == 1, new  # one chatter entry: the decision with its tracked changes
    assert "Approved." in new[0]["body"] and new[0]["tracking_value_ids"]
    assert (
        new[0]["author_id"][0]
        == approver.call("res.users", "read", [approver.uid], ["partner_id"])[0]["partner_id"][0]
    )
    store.call("stock.picking", "button_validate", [picking_id])
    assert store.call("stock.picking", "read", [picking_id], ["state"])[0]["state"] == "done"
    assert _van_qty(admin, world, world["ont_id"]) == 1


def test_technician_cannot_build_or_validate_transfers(world):
    """The documented request is the technician's only way to ask for stock: Odoo's own
    transfer methods refuse him, and nothing changes."""
    tech, admin = world["tech"], world["admin"]
    int_type = admin.call("stock.warehouse", "read", [world["branch_id"]], ["int_type_id"])[0][
        "int_type_id"
    ][0]
    count = admin.call("stock.picking", "search_count", [])
    van_qty = _van_qty(admin, world, world["ont_id"])
    with pytest.raises(xmlrpc.client.Fault, match="not allowed"):
        tech.call(
            "stock.picking",
            "create",
            {
                "picking_type_id": int_type,
                "location_id": world["stock_id"],
                "location_dest_id": world["van_id"],
                "isp_requested_by_id": tech.uid,
            },
        )
    picking_id = _request_one_ont(world, tech)
    for method in ("button_validate", "action_cancel", "unlink"):
        with pytest.raises(xmlrpc.client.Fault, match="not allowed"):
            tech.call("stock.picking", method, [picking_id])
    assert admin.call("stock.picking", "search_count", []) == count + 1
    assert admin.call("stock.picking", "read", [picking_id], ["state"])[0]["state"] != "cancel"
    assert _van_qty(admin, world, world["ont_id"]) == van_qty


def _messages(user, picking_id):
    return user.call(
        "mail.message",
        "search_read",
        [("model", "=", "stock.picking"), ("res_id", "=", picking_id)],
        fields=["body", "tracking_value_ids", "author_id"],
    )


def test_approving_own_request_refused_and_reject(world, rpc):
    approver, store = world["approver"], world["store"]
    # the storekeeper files a request for the technician: another approver decides
    picking_id = _request_one_ont(world, store)
    with pytest.raises(xmlrpc.client.Fault, match="Only"):
        _request_one_ont(world, approver)  # approvers do not ask for technicians
    other = rpc()  # another approver (the administrator is an ISP manager)
    other.call("stock.picking", "action_isp_reject", [picking_id], "No spare ONT this week")
    state = store.call(
        "stock.picking", "read", [picking_id], ["isp_approval_state", "isp_rejection_reason"]
    )[0]
    assert state["isp_approval_state"] == "rejected"
    assert state["isp_rejection_reason"] == "No spare ONT this week"


def test_kit_template_and_issue_kit(world):
    admin, store = world["admin"], world["store"]
    template_id = admin.call(
        "isp.kit.template",
        "create",
        {
            "name": "SS kit",
            "line_ids": [
                (0, 0, {"product_id": world["cord_id"], "quantity": 30, "monthly_allowance": 50})
            ],
        },
    )
    admin.call("isp.technician", "write", [world["tech_id"]], {"kit_template_id": template_id})
    ids = store.call("isp.technician", "action_issue_kit", [world["tech_id"]])
    assert len(ids) == 1
    moves = store.call(
        "stock.move",
        "search_read",
        [("picking_id", "in", ids)],
        fields=["product_uom_qty", "location_dest_id"],
    )
    assert [(m["product_uom_qty"], m["location_dest_id"][0]) for m in moves] == [
        (30.0, world["van_id"])
    ]
    assert store.call("isp.technician", "action_issue_kit", [world["tech_id"]]) == []


def test_scheduler_replenishes_van(world):
    admin = world["admin"]
    admin.call(
        "stock.warehouse.orderpoint",
        "create",
        {
            "product_id": world["cord_id"],
            "location_id": world["van_id"],
            "warehouse_id": world["branch_id"],
            "product_min_qty": 40,
            "product_max_qty": 60,
        },
    )
    admin.call("stock.rule", "run_scheduler")
    moves = admin.call(
        "stock.move",
        "search_read",
        [
            ("product_id", "=", world["cord_id"]),
            ("location_dest_id", "=", world["van_id"]),
            ("orderpoint_id", "!=", False),
        ],
        fields=["location_id", "product_uom_qty"],
    )
    assert moves and moves[0]["location_id"][0] == world["stock_id"]
