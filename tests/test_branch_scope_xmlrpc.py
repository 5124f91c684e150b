"""Branch-scoped storekeepers over XML-RPC, as the demo users (issue 12, point 6):
Kevin (`store_nairobi`: the main warehouse, Westlands and Embakasi) and Amina
(`store_mombasa`: Nyali) see only their branches' technicians, stock, transfers, counts,
loss reports and jobs; the unscoped storekeeper (`store`) sees all. Reading or writing
another branch's record by id is refused and changes nothing; nobody scoped can change
his own branches."""

import xmlrpc.client

import pytest
from conftest import FAULT_ACCESS_ERROR

NAIROBI_TECHS = ("tech_john_demo", "tech_mary_demo", "tech_peter_demo", "tech_grace_demo")
MOMBASA_TECHS = ("tech_ali_demo", "tech_fatuma_demo")


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def users(rpc):
    return {
        "nairobi": rpc("store_nairobi", "store_nairobi"),
        "mombasa": rpc("store_mombasa", "store_mombasa"),
        "store": rpc("store", "store"),
    }


@pytest.fixture(scope="module")
def ids(admin):
    branch = "isp_inventory.branch_{}_demo".format
    return {
        "nairobi": {
            admin.ref("stock.warehouse0"),
            admin.ref(branch("westlands")),
            admin.ref(branch("embakasi")),
        },
        "mombasa": {admin.ref(branch("nyali"))},
        "techs_nairobi": {admin.ref(f"isp_inventory.{xmlid}") for xmlid in NAIROBI_TECHS},
        "techs_mombasa": {admin.ref(f"isp_inventory.{xmlid}") for xmlid in MOMBASA_TECHS},
    }


def _ids(client, model, domain=()):
    return set(client.call(model, "search", list(domain)))


def test_demo_storekeepers_have_their_branches(admin, ids):
    found = admin.call(
        "res.users",
        "search_read",
        [("login", "in", ["store_nairobi", "store_mombasa", "store"])],
        fields=["login", "isp_warehouse_ids", "company_id"],
    )
    branches = {user["login"]: set(user["isp_warehouse_ids"]) for user in found}
    assert branches == {
        "store_nairobi": ids["nairobi"],
        "store_mombasa": ids["mombasa"],
        "store": set(),
    }
    assert {user["company_id"][0] for user in found} == {admin.ref("base.main_company")}


def test_technicians_are_scoped(users, ids):
    demo = ids["techs_nairobi"] | ids["techs_mombasa"]
    assert _ids(users["nairobi"], "isp.technician") & demo == ids["techs_nairobi"]
    assert _ids(users["mombasa"], "isp.technician") & demo == ids["techs_mombasa"]
    assert _ids(users["store"], "isp.technician") >= demo


def test_stock_is_scoped(users, ids):
    domain = [("location_id.usage", "=", "internal")]
    counts = {who: users[who].call("stock.quant", "search_count", domain) for who in users}
    assert 0 < counts["mombasa"] < counts["nairobi"] < counts["store"]
    for who in ("nairobi", "mombasa"):
        quants = users[who].call("stock.quant", "search_read", domain, fields=["warehouse_id"])
        assert {q["warehouse_id"][0] for q in quants} <= ids[who]


def test_transfers_counts_losses_and_jobs_are_scoped(users, ids):
    for who in ("nairobi", "mombasa"):
        client, branches = users[who], ids[who]
        pickings = client.call("stock.picking", "search_read", [], fields=["picking_type_id"])
        types = client.call(
            "stock.picking.type",
            "read",
            list({p["picking_type_id"][0] for p in pickings}),
            ["warehouse_id"],
        )
        assert pickings and {
            t["warehouse_id"] and t["warehouse_id"][0] for t in types
        } <= branches | {False}
        counts = client.call("isp.stock.count", "search_read", [], fields=["warehouse_id"])
        assert {c["warehouse_id"][0] for c in counts} <= branches
        reports = client.call("isp.loss.report", "search_read", [], fields=["technician_id"])
        assert {r["technician_id"][0] for r in reports} <= ids[f"techs_{who}"]
        jobs = client.call(
            "project.task",
            "search_read",
            [("project_id.isp_is_field_service", "=", True)],
            fields=["isp_technician_id"],
        )
        techs = {j["isp_technician_id"] and j["isp_technician_id"][0] for j in jobs}
        other = ids["techs_mombasa" if who == "nairobi" else "techs_nairobi"]
        assert techs & ids[f"techs_{who}"]
        assert not techs & other
        assert techs <= _ids(client, "isp.technician") | {False}
    # the unscoped storekeeper sees both sides
    field_jobs = [("project_id.isp_is_field_service", "=", True)]
    for model, domain in (
        ("stock.picking", []),
        ("isp.stock.count", []),
        ("isp.loss.report", []),
        ("project.task", field_jobs),  # (each user also has to-dos of his own)
    ):
        both = _ids(users["nairobi"], model, domain) | _ids(users["mombasa"], model, domain)
        assert _ids(users["store"], model, domain) >= both, model
    mombasa_jobs = _ids(users["mombasa"], "project.task", [("isp_technician_id", "!=", False)])
    nairobi_jobs = _ids(users["nairobi"], "project.task", [("isp_technician_id", "!=", False)])
    assert mombasa_jobs and nairobi_jobs and not mombasa_jobs & nairobi_jobs


def test_other_branch_record_refused_and_unchanged(admin, users, ids):
    ali = admin.ref("isp_inventory.tech_ali_demo")
    nyali_picking = admin.call(
        "stock.picking",
        "search",
        [("picking_type_id.warehouse_id", "in", list(ids["mombasa"]))],
        limit=1,
    )
    assert nyali_picking
    before = admin.call("stock.picking", "read", nyali_picking, ["origin"])
    kevin = users["nairobi"]
    for model, record in (("isp.technician", [ali]), ("stock.picking", nyali_picking)):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            kevin.call(model, "read", record, ["display_name"])
        assert fault.value.faultCode == FAULT_ACCESS_ERROR, fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as fault:
        kevin.call("stock.picking", "write", nyali_picking, {"origin": "Kevin was here"})
    assert fault.value.faultCode == FAULT_ACCESS_ERROR
    assert admin.call("stock.picking", "read", nyali_picking, ["origin"]) == before
    # Amina reads her own branch's technician
    assert users["mombasa"].call("isp.technician", "read", [ali], ["name"])[0]["name"]


def test_scoped_storekeeper_cannot_change_his_branches(admin, users, ids):
    kevin = users["nairobi"]
    everything = sorted(ids["nairobi"] | ids["mombasa"])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        kevin.call("res.users", "write", [kevin.uid], {"isp_warehouse_ids": [(6, 0, everything)]})
    assert fault.value.faultCode == FAULT_ACCESS_ERROR
    with pytest.raises(xmlrpc.client.Fault) as fault:
        kevin.call(
            "stock.warehouse", "write", sorted(ids["mombasa"]), {"isp_user_ids": [(4, kevin.uid)]}
        )
    assert fault.value.faultCode == FAULT_ACCESS_ERROR
    with pytest.raises(xmlrpc.client.Fault):
        kevin.call("res.users", "read", [kevin.uid], ["isp_warehouse_ids"])
    found = admin.call("res.users", "read", [kevin.uid], ["isp_warehouse_ids"])
    assert set(found[0]["isp_warehouse_ids"]) == ids["nairobi"]
    assert (
        users["mombasa"].call(
            "isp.technician", "search", [("id", "in", list(ids["techs_nairobi"]))]
        )
        == []
    )


def test_serial_list_shows_only_readable_deliveries(users):
    """Serials are not branch-scoped, transfers are: the serial list (which fetches
    "Transfer to" even when hidden) loads for a scoped storekeeper, and shows him only
    the deliveries he may read."""
    fields = ["name", "partner_ids", "delivery_ids", "delivery_count"]
    seen = {
        who: {
            lot["id"]: lot for lot in users[who].call("stock.lot", "search_read", [], fields=fields)
        }
        for who in users
    }
    for who in ("nairobi", "mombasa"):
        readable = _ids(users[who], "stock.picking")
        delivered = [lot for lot in seen[who].values() if lot["delivery_ids"]]
        assert delivered, who
        for lot in seen[who].values():
            assert set(lot["delivery_ids"]) <= readable, lot["name"]
            assert lot["delivery_count"] == len(lot["delivery_ids"])
            assert set(lot["delivery_ids"]) <= set(seen["store"][lot["id"]]["delivery_ids"])
    # some serials the Mombasa storekeeper sees were delivered by Nairobi: he sees the
    # serial, without its delivery or customer; the unscoped storekeeper sees both
    hidden = [
        lot
        for lot in seen["mombasa"].values()
        if not lot["delivery_ids"] and seen["store"][lot["id"]]["delivery_ids"]
    ]
    assert hidden
    for lot in hidden:
        assert lot["partner_ids"] == []
        assert seen["store"][lot["id"]]["partner_ids"]
        assert seen["nairobi"][lot["id"]]["delivery_ids"]


def test_scoped_storekeeper_cannot_reserve_or_count_another_branchs_stock(admin, users):
    """Amina (Nyali) reserves Nairobi Main's stock for a transfer of her own branch, or
    counts it in Physical Inventory: refused, nothing reserved or counted there."""
    amina = users["mombasa"]
    main_stock = admin.call(
        "stock.warehouse", "read", [admin.ref("stock.warehouse0")], ["lot_stock_id"]
    )[0]["lot_stock_id"][0]
    nyali = admin.call(
        "stock.warehouse",
        "read",
        [admin.ref("isp_inventory.branch_nyali_demo")],
        ["lot_stock_id", "int_type_id"],
    )[0]
    quant = admin.call(
        "stock.quant",
        "search_read",
        [("location_id", "=", main_stock), ("lot_id", "=", False), ("quantity", ">", 1)],
        fields=["product_id", "quantity", "reserved_quantity", "inventory_quantity_set"],
        limit=1,
    )[0]
    product = quant["product_id"][0]

    def state():
        return admin.call(
            "stock.quant",
            "read",
            [quant["id"]],
            ["quantity", "reserved_quantity", "inventory_quantity_set"],
        )

    before = state()
    picking = amina.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": nyali["int_type_id"][0],
            "location_id": main_stock,
            "location_dest_id": nyali["lot_stock_id"][0],
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": product,
                        "product_uom_qty": 1,
                        "location_id": main_stock,
                        "location_dest_id": nyali["lot_stock_id"][0],
                    },
                )
            ],
        },
    )
    try:
        with pytest.raises(xmlrpc.client.Fault) as fault:
            amina.call("stock.picking", "action_confirm", [picking])
            amina.call("stock.picking", "action_assign", [picking])
        assert fault.value.faultCode == FAULT_ACCESS_ERROR, fault.value.faultString
        assert "belongs to" in fault.value.faultString
        assert admin.call("stock.move.line", "search", [("picking_id", "=", picking)]) == []
        with pytest.raises(xmlrpc.client.Fault) as fault:
            amina.call(
                "stock.quant",
                "create",
                {"product_id": product, "location_id": main_stock, "inventory_quantity": 0},
                context={"inventory_mode": True},
            )
        assert fault.value.faultCode == FAULT_ACCESS_ERROR, fault.value.faultString
        assert state() == before
    finally:
        admin.call("stock.picking", "action_cancel", [picking])
