"""Field jobs over XML-RPC, as the technician on the phone would drive them."""

import uuid
import xmlrpc.client

import pytest
from conftest import receive


@pytest.fixture(scope="module")
def world(rpc):
    """A branch, two technicians with passwords, an FTTH job type, a van holding 5 patch
    cords and two ONT serials, a branch with 20 patch cords, and a customer."""
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    tech_group = admin.ref("isp_inventory.group_isp_technician")
    branch = admin.call(
        "stock.warehouse", "create", {"name": f"RPC Branch {tag}", "code": f"R{tag[:4]}"}
    )
    techs = {}
    for name in ("tech", "other"):
        login = f"fs_{name}_{tag}"
        user = admin.call(
            "res.users",
            "create",
            {
                "name": f"FS {name} {tag}",
                "login": login,
                "password": login,
                "group_ids": [(6, 0, [tech_group])],
            },
        )
        tech_id = admin.call("isp.technician", "create", {"user_id": user, "warehouse_id": branch})
        van = admin.call("isp.technician", "read", [tech_id], ["vehicle_location_id"])[0][
            "vehicle_location_id"
        ][0]
        techs[name] = {"id": tech_id, "login": login, "van": van}

    def product(name, item_class, cost, tracking="none"):
        categ = admin.ref(f"isp_inventory.product_category_{item_class}")
        return admin.call(
            "product.product",
            "create",
            {
                "name": f"{name} {tag}",
                "categ_id": categ,
                "standard_price": cost,
                "tracking": tracking,
            },
        )

    cord = product("RPC Patch Cord", "consumable", 1.5)
    ont = product("RPC ONT", "cpe", 45.0, tracking="serial")
    branch_stock = admin.call("stock.warehouse", "read", [branch], ["lot_stock_id"])[0][
        "lot_stock_id"
    ][0]
    van = techs["tech"]["van"]
    lots = [
        admin.call("stock.lot", "create", {"name": f"RPC-ONT-{tag}-{i}", "product_id": ont})
        for i in (1, 2)
    ]
    receipt_type = admin.call("stock.warehouse", "read", [branch], ["in_type_id"])[0]["in_type_id"][
        0
    ]
    receive(admin, receipt_type, van, [(cord, 5, False)] + [(ont, 1, lot) for lot in lots])
    receive(admin, receipt_type, branch_stock, [(cord, 20, False)])
    job_type = admin.call(
        "isp.job.type",
        "create",
        {
            "name": f"RPC FTTH {tag}",
            "material_line_ids": [
                (0, 0, {"product_id": ont, "quantity": 1}),
                (0, 0, {"product_id": cord, "quantity": 2}),
            ],
        },
    )
    customer = admin.call("res.partner", "create", {"name": f"RPC Customer {tag}"})
    return {
        "admin": admin,
        "techs": techs,
        "cord": cord,
        "ont": ont,
        "lots": lots,
        "branch_stock": branch_stock,
        "job_type": job_type,
        "customer": customer,
        "project": admin.ref("isp_field_service.project_field_jobs"),
    }


def _new_job(world, technician="tech"):
    return world["admin"].call(
        "project.task",
        "create",
        {
            "name": "FTTH install",
            "project_id": world["project"],
            "isp_job_type_id": world["job_type"],
            "isp_technician_id": world["techs"][technician]["id"],
            "partner_id": world["customer"],
        },
    )


def _qty(admin, product, location, lot=False):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("product_id", "=", product), ("location_id", "=", location), ("lot_id", "=", lot)],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


def _as(rpc, world, technician):
    login = world["techs"][technician]["login"]
    return rpc(login, login)


def test_full_job_as_the_technician(rpc, world):
    admin, cord, ont = world["admin"], world["cord"], world["ont"]
    van = world["techs"]["tech"]["van"]
    job_id = _new_job(world)
    tech = _as(rpc, world, "tech")

    # Suggest: the job type's template.
    tech.call("project.task", "action_isp_suggest_materials", [job_id])
    materials = tech.call(
        "stock.move",
        "search_read",
        [("isp_task_id", "=", job_id)],
        fields=["product_id", "product_uom_qty", "state"],
    )
    by_product = {m["product_id"][0]: m for m in materials}
    assert {p: (m["product_uom_qty"], m["state"]) for p, m in by_product.items()} == {
        ont: (1.0, "draft"),
        cord: (2.0, "draft"),
    }

    # Ask for 4 cords: the van has 5, so nothing is issued; everything is set aside.
    tech.call(
        "project.task",
        "write",
        [job_id],
        {"isp_material_ids": [(1, by_product[cord]["id"], {"product_uom_qty": 4})]},
    )
    assert tech.call("project.task", "action_isp_issue_materials", [job_id]) is False
    set_aside = tech.call("stock.move", "read", [by_product[cord]["id"]], ["quantity", "state"])
    assert (set_aside[0]["quantity"], set_aside[0]["state"]) == (4.0, "assigned")

    # Start, then complete: 3 cords used, one ONT installed, leftovers back to the branch.
    tech.call("project.task", "action_isp_start", [job_id])
    tech.call(
        "project.task",
        "action_isp_complete",
        [job_id],
        {
            "lines": [
                {"material_id": by_product[cord]["id"], "qty_used": 3},
                {"material_id": by_product[ont]["id"], "lots": [world["lots"][0]]},
            ],
            "leftover": "return",
            "latitude": -1.2921,
            "longitude": 36.8219,
        },
    )
    job = tech.call(
        "project.task", "read", [job_id], ["isp_job_state", "isp_material_cost", "isp_picking_ids"]
    )[0]
    assert job["isp_job_state"] == "done"
    assert job["isp_material_cost"] == pytest.approx(3 * 1.5 + 45.0)
    assert _qty(admin, cord, van) == 2.0
    lot = admin.call(
        "stock.lot", "read", [world["lots"][0]], ["isp_state", "isp_customer_id", "isp_task_id"]
    )[0]
    assert (lot["isp_state"], lot["isp_customer_id"][0], lot["isp_task_id"][0]) == (
        "installed",
        world["customer"],
        job_id,
    )
    # The return transfer (1 cord) waits for the storekeeper; the second ONT was not set aside.
    returns = admin.call(
        "stock.picking",
        "search_read",
        [("isp_task_id", "=", job_id), ("location_dest_id", "=", world["branch_stock"])],
        fields=["state", "move_ids"],
    )
    assert [r["state"] for r in returns] == ["assigned"]
    moves = admin.call(
        "stock.move", "read", returns[0]["move_ids"], ["product_id", "product_uom_qty"]
    )
    assert [(m["product_id"][0], m["product_uom_qty"]) for m in moves] == [(cord, 1.0)]

    # Completing twice is refused.
    with pytest.raises(xmlrpc.client.Fault, match="already completed"):
        tech.call("project.task", "action_isp_complete", [job_id], {"lines": []})


def test_carry_and_issue_what_the_van_lacks(rpc, world):
    admin, cord = world["admin"], world["cord"]
    van = world["techs"]["tech"]["van"]
    job_id = _new_job(world)
    tech = _as(rpc, world, "tech")
    tech.call("project.task", "action_isp_suggest_materials", [job_id])
    material = tech.call(
        "stock.move",
        "search_read",
        [("isp_task_id", "=", job_id), ("product_id", "=", cord)],
        fields=["id"],
    )[0]
    van_before = _qty(admin, cord, van)
    tech.call(
        "project.task",
        "write",
        [job_id],
        {"isp_material_ids": [(1, material["id"], {"product_uom_qty": van_before + 3})]},
    )
    picking_id = tech.call("project.task", "action_isp_issue_materials", [job_id])
    picking = admin.call(
        "stock.picking", "read", [picking_id], ["state", "isp_task_id", "location_dest_id"]
    )[0]
    assert (picking["state"], picking["isp_task_id"][0], picking["location_dest_id"][0]) == (
        "assigned",
        job_id,
        van,
    )
    tech.call(
        "project.task",
        "action_isp_complete",
        [job_id],
        {
            "lines": [{"material_id": material["id"], "qty_used": 1}],
            "leftover": "carry",
            "no_serial_reason": "Customer kept their own ONT",
        },
    )
    assert _qty(admin, cord, van) == van_before - 1


def test_someone_elses_job_is_refused(rpc, world):
    job_id = _new_job(world, technician="other")
    tech = _as(rpc, world, "tech")
    with pytest.raises(xmlrpc.client.Fault, match="or a storekeeper can work on job"):
        tech.call(
            "project.task", "action_isp_complete", [job_id], {"lines": [], "leftover": "carry"}
        )
    state = world["admin"].call("project.task", "read", [job_id], ["isp_job_state"])[0][
        "isp_job_state"
    ]
    assert state == "scheduled"


def test_demo_jobs_in_every_state_across_technicians(rpc):
    admin = rpc()
    techs = [
        admin.ref(f"isp_inventory.tech_{name}_demo")
        for name in ("john", "mary", "peter", "grace", "ali", "fatuma")
    ]
    jobs = admin.call(
        "project.task",
        "search_read",
        [("isp_technician_id", "in", techs)],
        fields=[
            "isp_technician_id",
            "isp_job_state",
            "isp_job_type_id",
            "isp_material_ids",
            "isp_material_cost",
        ],
    )
    assert {job["isp_technician_id"][0] for job in jobs} == set(techs)
    assert {job["isp_job_state"] for job in jobs} >= {"scheduled", "in_progress", "done"}
    # a year of jobs: every one but a disconnection (equipment taken back) used materials
    disconnection = admin.ref("isp_field_service.job_type_disconnection")
    working = [job for job in jobs if job["isp_job_type_id"][0] != disconnection]
    assert all(job["isp_material_ids"] for job in working)
    done = [job for job in working if job["isp_job_state"] == "done"]
    assert len(done) > 40 and all(job["isp_material_cost"] > 0 for job in done)


def test_resent_completion_with_its_idempotency_key(rpc, world):
    """A phone on a flaky network resends the same completion: the first result comes
    back and nothing moves twice."""
    admin, cord = world["admin"], world["cord"]
    van = world["techs"]["tech"]["van"]
    job_id = _new_job(world)
    tech = _as(rpc, world, "tech")
    values = {
        "lines": [{"product_id": cord, "qty_used": 1}],
        "idempotency_key": f"job-{job_id}-completion-1",
    }
    van_before = _qty(admin, cord, van)
    assert tech.call("project.task", "action_isp_complete", [job_id], values) is True
    assert tech.call("project.task", "action_isp_complete", [job_id], values) is True
    assert _qty(admin, cord, van) == van_before - 1
    with pytest.raises(xmlrpc.client.Fault, match="already completed"):
        tech.call(
            "project.task",
            "action_isp_complete",
            [job_id],
            dict(values, idempotency_key="another-key"),
        )
    assert _qty(admin, cord, van) == van_before - 1


def test_dragging_a_job_with_materials_to_done_says_what_is_missing(rpc, world):
    admin, ont = world["admin"], world["ont"]
    job_id = _new_job(world)
    world["admin"].call("project.task", "action_isp_suggest_materials", [job_id])
    done_stage = admin.ref("isp_field_service.task_type_done")
    ont_name = admin.call("product.product", "read", [ont], ["display_name"])[0]["display_name"]
    with pytest.raises(xmlrpc.client.Fault, match=ont_name):
        admin.call("project.task", "write", [job_id], {"stage_id": done_stage})
    job = admin.call("project.task", "read", [job_id], ["isp_job_state", "stage_id"])[0]
    assert job["isp_job_state"] == "scheduled"
    assert job["stage_id"][0] != done_stage


def test_two_onts_keep_their_own_reading(rpc, world):
    """The technician installs two ONTs on one job, each with its own rx power and OLT
    port (one given by id, one by name); a bad reading first is refused, nothing
    changed."""
    admin, ont, cord = world["admin"], world["ont"], world["cord"]
    tag = uuid.uuid4().hex[:6]
    van = world["techs"]["tech"]["van"]
    names = [f"RX-ONT-{tag}-{i}" for i in (1, 2)]
    lots = [admin.call("stock.lot", "create", {"name": n, "product_id": ont}) for n in names]
    receipt_type = admin.call("stock.picking.type", "search", [("code", "=", "incoming")], limit=1)[
        0
    ]
    receive(admin, receipt_type, van, [(ont, 1, lot) for lot in lots])
    job_id = _new_job(world)
    tech = _as(rpc, world, "tech")
    tech.call("project.task", "action_isp_suggest_materials", [job_id])
    ont_line = tech.call(
        "stock.move",
        "search_read",
        [("isp_task_id", "=", job_id), ("product_id", "=", ont)],
        fields=["id"],
    )[0]["id"]

    def complete(second_rx):
        return tech.call(
            "project.task",
            "action_isp_complete",
            [job_id],
            {
                "lines": [
                    {
                        "material_id": ont_line,
                        "lots": [
                            {"lot": lots[0], "rx_power_dbm": -18.5, "olt_port": "OLT-RX 0/1/1"},
                            {"lot": names[1], "rx_power_dbm": second_rx},
                        ],
                    },
                    {"product_id": cord, "qty_used": 0},
                ],
                "rx_power_dbm": -21.0,
                "olt_port": "OLT-RX 0/1/9",
            },
        )

    with pytest.raises(xmlrpc.client.Fault, match="not plausible"):
        complete(7.5)
    fields = ["isp_state", "isp_customer_id", "isp_rx_power_dbm", "isp_olt_port"]
    assert [
        (lot["isp_state"], lot["isp_customer_id"], lot["isp_rx_power_dbm"], lot["isp_olt_port"])
        for lot in admin.call("stock.lot", "read", lots, fields)
    ] == [("with_technician", False, 0.0, False)] * 2
    assert [_qty(admin, ont, van, lot) for lot in lots] == [1.0, 1.0]
    assert (
        admin.call("project.task", "read", [job_id], ["isp_job_state"])[0]["isp_job_state"]
        != "done"
    )

    assert complete(-24.25) is True
    assert [
        (lot["isp_customer_id"][0], lot["isp_rx_power_dbm"], lot["isp_olt_port"])
        for lot in admin.call("stock.lot", "read", lots, fields)
    ] == [
        (world["customer"], -18.5, "OLT-RX 0/1/1"),
        (world["customer"], -24.25, "OLT-RX 0/1/9"),  # the job's port: none of its own
    ]
