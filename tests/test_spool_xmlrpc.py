"""Cable spools over the external API, as the roles concerned: the storekeeper cuts a
length of a named spool into a technician's van and scraps only a short offcut; the
technician uses metres of that spool on a job and cannot use more than the van holds,
nor cut a spool himself. Refusals leave the stock unchanged."""

import uuid
import xmlrpc.client

import pytest
from conftest import receive


@pytest.fixture(scope="module")
def world(rpc):
    """A spool product, spool SPX-<tag> of 200 m in the main store, a technician of the
    main branch (login = password) and a customer."""
    admin = rpc()
    tag = uuid.uuid4().hex[:6].upper()
    warehouse = admin.call(
        "stock.warehouse", "read", [admin.ref("stock.warehouse0")], ["lot_stock_id", "in_type_id"]
    )[0]
    stock, receipt_type = warehouse["lot_stock_id"][0], warehouse["in_type_id"][0]
    cable = admin.call(
        "product.product",
        "create",
        {
            "name": f"XR Drop Cable 2-core {tag}",
            "categ_id": admin.ref("isp_inventory.product_category_consumable"),
            "standard_price": 25.0,
            "uom_id": admin.ref("uom.product_uom_meter"),
            "tracking": "lot",
            "isp_is_spool": True,
        },
    )
    spool_name = f"SPX-{tag}"
    spool = admin.call("stock.lot", "create", {"name": spool_name, "product_id": cable})
    receive(admin, receipt_type, stock, [(cable, 200, spool)])
    login = f"spool_tech_{tag.lower()}"
    user = admin.call(
        "res.users",
        "create",
        {
            "name": f"Spool Tech {tag}",
            "login": login,
            "password": login,
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_technician")])],
        },
    )
    technician = admin.call(
        "isp.technician",
        "create",
        {"user_id": user, "warehouse_id": admin.ref("stock.warehouse0")},
    )
    van = admin.call("isp.technician", "read", [technician], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    customer = admin.call("res.partner", "create", {"name": f"Spool Customer {tag}"})
    return {
        "admin": admin,
        "cable": cable,
        "spool": spool,
        "spool_name": spool_name,
        "stock": stock,
        "technician": technician,
        "login": login,
        "van": van,
        "customer": customer,
    }


def _qty(admin, world, location):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("lot_id", "=", world["spool"]), ("location_id", "=", location)],
        fields=["quantity"],
    )
    return sum(quant["quantity"] for quant in quants)


def _where(world):
    admin = world["admin"]
    return _qty(admin, world, world["stock"]), _qty(admin, world, world["van"])


def _job(world):
    return world["admin"].call(
        "project.task",
        "create",
        {
            "name": "Drop cable repair",
            "project_id": world["admin"].ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": world["technician"],
            "partner_id": world["customer"],
        },
    )


def test_spool_cut_into_the_van_and_used_on_a_job(rpc, world):
    store, tech = rpc("store", "store"), rpc(world["login"], world["login"])
    spool = world["spool"]

    # The storekeeper cuts 60 m of the spool into the van: same lot, done at once.
    picking = store.call("stock.lot", "action_isp_issue_spool", [spool], world["technician"], 60)
    assert store.call("stock.picking", "read", [picking], ["state"])[0]["state"] == "done"
    assert _where(world) == (140.0, 60.0)

    # Refused, nothing changed: more than the store holds; a technician cutting a spool.
    with pytest.raises(xmlrpc.client.Fault, match="only 140"):
        store.call("stock.lot", "action_isp_issue_spool", [spool], world["technician"], 500)
    with pytest.raises(xmlrpc.client.Fault, match="storekeeper"):
        tech.call("stock.lot", "action_isp_issue_spool", [spool], world["technician"], 10)
    assert _where(world) == (140.0, 60.0)

    # The technician uses 25 m of that spool on a job.
    job = _job(world)
    tech.call(
        "project.task",
        "action_isp_complete",
        [job],
        {
            "lines": [
                {"product_id": world["cable"], "lots": [{"lot": world["spool_name"], "qty": 25}]}
            ]
        },
    )
    assert tech.call("project.task", "read", [job], ["isp_job_state"])[0]["isp_job_state"] == "done"
    assert _where(world) == (140.0, 35.0)

    # More than the van's part of the spool is refused, and nothing changes.
    other = _job(world)
    with pytest.raises(xmlrpc.client.Fault, match="holds only 35"):
        tech.call(
            "project.task",
            "action_isp_complete",
            [other],
            {
                "lines": [
                    {"product_id": world["cable"], "lots": [world["spool_name"]], "qty_used": 36}
                ]
            },
        )
    assert _where(world) == (140.0, 35.0)
    state = tech.call("project.task", "read", [other], ["isp_job_state"])[0]["isp_job_state"]
    assert state != "done"

    # The spool shows the job that used it, the metres used and what remains.
    lot = store.call(
        "stock.lot",
        "read",
        [spool],
        ["isp_cut_task_ids", "isp_cut_qty", "isp_spool_remaining_qty", "isp_state"],
    )[0]
    assert lot["isp_cut_task_ids"] == [job]
    assert (lot["isp_cut_qty"], lot["isp_spool_remaining_qty"]) == (25.0, 175.0)
    assert lot["isp_state"] == "in_stock"
    cuts = store.call(
        "stock.move.line",
        "search_read",
        [("lot_id", "=", spool), ("isp_task_id", "=", job)],
        fields=["quantity"],
    )
    assert [cut["quantity"] for cut in cuts] == [25.0]
    action = store.call("stock.lot", "action_isp_view_cuts", [spool])
    assert (action["res_model"], action["res_id"]) == ("stock.lot", spool)


def test_offcut_only_below_the_company_length(rpc, world):
    store, tech = rpc("store", "store"), rpc(world["login"], world["login"])
    spool, van = world["spool"], world["van"]
    if _where(world)[1] < 4:  # run alone: give the van part of the spool first
        store.call("stock.lot", "action_isp_issue_spool", [spool], world["technician"], 10)
    before = _where(world)
    with pytest.raises(xmlrpc.client.Fault, match="shorter than"):
        store.call("stock.lot", "action_isp_scrap_offcut", [spool], world["stock"])
    with pytest.raises(xmlrpc.client.Fault, match="storekeeper"):
        tech.call("stock.lot", "action_isp_scrap_offcut", [spool], van)
    assert _where(world) == before
    # Use all but 3 m of the van's part on a job: the 3 m left are an offcut.
    job = _job(world)
    tech.call(
        "project.task",
        "action_isp_complete",
        [job],
        {
            "lines": [
                {
                    "product_id": world["cable"],
                    "lots": [{"lot": world["spool_name"], "qty": before[1] - 3}],
                }
            ]
        },
    )
    scrap = store.call("stock.lot", "action_isp_scrap_offcut", [spool], van)
    scrap = store.call(
        "stock.scrap", "read", [scrap], ["state", "scrap_qty", "scrap_reason_tag_ids"]
    )[0]
    assert (scrap["state"], scrap["scrap_qty"]) == ("done", 3.0)
    assert scrap["scrap_reason_tag_ids"] == [
        world["admin"].ref("isp_inventory.scrap_reason_offcut")
    ]
    assert _where(world) == (before[0], 0.0)


def test_demo_spools_cut_on_johns_jobs(rpc):
    """The demo: spools FT-DC2-SPOOL-0001/0002 received by a purchase order at
    Westlands, 150 m of 0001 in John's van, three of John's jobs used 107 m of it."""
    store = rpc("store", "store")
    spools = store.call(
        "stock.lot",
        "search_read",
        [("name", "in", ["FT-DC2-SPOOL-0001", "FT-DC2-SPOOL-0002"])],
        fields=["name", "isp_cut_task_ids", "isp_cut_qty", "isp_spool_remaining_qty"],
        order="name",
    )
    assert [(s["name"], s["isp_cut_qty"], s["isp_spool_remaining_qty"]) for s in spools] == [
        ("FT-DC2-SPOOL-0001", 107.0, 393.0),
        ("FT-DC2-SPOOL-0002", 0.0, 500.0),
    ]
    jobs = store.call(
        "project.task",
        "read",
        spools[0]["isp_cut_task_ids"],
        ["isp_technician_id", "isp_job_state"],
    )
    assert len(jobs) == 3
    assert {job["isp_job_state"] for job in jobs} == {"done"}
    john = store.call("isp.technician", "search", [("user_id.login", "=", "john")])
    assert {job["isp_technician_id"][0] for job in jobs} == set(john)
    # through the lot to its purchase order
    receipt = store.call(
        "stock.move.line",
        "search_read",
        [("lot_id", "=", spools[0]["id"]), ("location_id.usage", "=", "supplier")],
        fields=["move_id"],
    )
    move = store.call("stock.move", "read", [receipt[0]["move_id"][0]], ["purchase_line_id"])[0]
    assert move["purchase_line_id"]
