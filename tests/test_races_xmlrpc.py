"""Races against a real multi-process Odoo server (two HTTP workers: two requests really
run at once, each in its own transaction). Every operation submitted twice at the same
moment (two phones, two storekeepers, two approvers), and two transfers taking the last
unit of a branch, end with one winner and a clear error for the other; afterwards no
internal location holds less than nothing, each serial is one unit in one place and
every product's quantities add up (what left a location arrived somewhere, once).

Each call of a race runs in its own thread with its own XML-RPC connection; a barrier
releases them together. The loser gets either "already being processed" (it came while
the winner held the document) or the operation's own "already done" refusal (it came,
or was retried by Odoo, after the winner committed).
"""

import re
import threading
import uuid
import xmlrpc.client

import pytest
from conftest import new_product, receive

BUSY = "already being processed by another user"


@pytest.fixture(scope="module")
def world(rpc_workers):
    """A branch with two technicians (20 patch cords in each van), two storekeepers, two
    approvers and two customers, all with passwords (login = password)."""
    admin = rpc_workers()
    tag = uuid.uuid4().hex[:6]
    branch = admin.call(
        "stock.warehouse", "create", {"name": f"Race Branch {tag}", "code": f"Q{tag[:4]}"}
    )
    logins = {}
    for role, group in (
        ("tech1", "group_isp_technician"),
        ("tech2", "group_isp_technician"),
        ("store1", "group_isp_storekeeper"),
        ("store2", "group_isp_storekeeper"),
        ("appr1", "group_isp_approver"),
        ("appr2", "group_isp_approver"),
    ):
        logins[role] = f"race_{role}_{tag}"
        admin.call(
            "res.users",
            "create",
            {
                "name": f"Race {role} {tag}",
                "login": logins[role],
                "password": logins[role],
                "group_ids": [(6, 0, [admin.ref(f"isp_inventory.{group}")])],
            },
        )
    techs, vans = {}, {}
    for role in ("tech1", "tech2"):
        user = admin.call("res.users", "search", [("login", "=", logins[role])])[0]
        techs[role] = admin.call(
            "isp.technician", "create", {"user_id": user, "warehouse_id": branch}
        )
        vans[role] = admin.call("isp.technician", "read", [techs[role]], ["vehicle_location_id"])[
            0
        ]["vehicle_location_id"][0]
    types = admin.call(
        "stock.warehouse", "read", [branch], ["lot_stock_id", "in_type_id", "int_type_id"]
    )[0]
    cord = new_product(admin, f"Race Patch Cord {tag}", "consumable", standard_price=1.0)
    world = {
        "admin": admin,
        "tag": tag,
        "logins": logins,
        "techs": techs,
        "vans": vans,
        "stock": types["lot_stock_id"][0],
        "in_type": types["in_type_id"][0],
        "int_type": types["int_type_id"][0],
        "cord": cord,
        "customers": [
            admin.call("res.partner", "create", {"name": f"Race Customer {tag} {i}"})
            for i in (1, 2)
        ],
        "project": admin.ref("isp_field_service.project_field_jobs"),
    }
    for van in vans.values():
        receive(admin, world["in_type"], van, [(cord, 20, False)])
    return world


def _as(rpc_workers, world, role):
    """A new XML-RPC session (a phone, a browser tab) of one of the world's users."""
    login = world["logins"][role]
    return rpc_workers(login, login)


def race(*calls):
    """Run the calls (functions without arguments, each using its own connection) at
    the same moment, one thread each; returns their outcomes in order, each
    ``(True, result)`` or ``(False, fault string)``."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = (True, call())
        except xmlrpc.client.Fault as fault:
            outcomes[index] = (False, fault.faultString)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert all(outcome is not None for outcome in outcomes), "a racing call did not return"
    return outcomes


def assert_one_winner(outcomes, refusal):
    """Exactly one call succeeded; the other was refused with `refusal` (a regex) or as
    busy. Returns the index of the winner."""
    assert sorted(ok for ok, _result in outcomes) == [False, True], outcomes
    winner = next(index for index, (ok, _result) in enumerate(outcomes) if ok)
    error = outcomes[1 - winner][1]
    assert re.search(f"{BUSY}|{refusal}", error), error
    return winner


def _qty(admin, product, location, lot=False):
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("product_id", "=", product), ("location_id", "=", location), ("lot_id", "=", lot)],
        fields=["quantity"],
    )
    return sum(quant["quantity"] for quant in quants)


def assert_stock_invariants(admin, products, lots=()):
    """No internal location below zero; each serial one unit in one place (vendors and
    inventory adjustments are where serials come from, not places); each product's
    quantities over all locations add up to zero (Odoo books every move on both sides)."""
    negative = admin.call(
        "stock.quant",
        "search_read",
        [("location_id.usage", "=", "internal"), ("quantity", "<", 0)],
        fields=["product_id", "location_id", "quantity"],
    )
    assert negative == []
    for lot in lots:
        quants = admin.call(
            "stock.quant",
            "search_read",
            [
                ("lot_id", "=", lot),
                ("quantity", "!=", 0),
                ("location_id.usage", "not in", ("supplier", "inventory", "production")),
            ],
            fields=["location_id", "quantity"],
        )
        assert [quant["quantity"] for quant in quants] == [1.0], quants
    for product in products:
        quants = admin.call(
            "stock.quant", "search_read", [("product_id", "=", product)], fields=["quantity"]
        )
        assert sum(quant["quantity"] for quant in quants) == pytest.approx(0.0), product


def _new_ont_in_van(world, name, van):
    admin = world["admin"]
    ont = new_product(
        admin, f"Race ONT {name} {world['tag']}", "cpe", standard_price=45.0, tracking="serial"
    )
    lot = admin.call(
        "stock.lot", "create", {"name": f"RACE-{name}-{world['tag']}", "product_id": ont}
    )
    receive(admin, world["in_type"], van, [(ont, 1, lot)])
    return ont, lot


def test_same_job_completed_twice_at_once(rpc_workers, world):
    admin, cord, van = world["admin"], world["cord"], world["vans"]["tech1"]
    job = admin.call(
        "project.task",
        "create",
        {
            "name": "Race FTTH install",
            "project_id": world["project"],
            "isp_technician_id": world["techs"]["tech1"],
            "partner_id": world["customers"][0],
        },
    )
    before = _qty(admin, cord, van)
    values = {"lines": [{"product_id": cord, "qty_used": 2}]}
    phones = [_as(rpc_workers, world, "tech1") for _i in range(2)]

    outcomes = race(
        *(
            lambda phone=phone: phone.call("project.task", "action_isp_complete", [job], values)
            for phone in phones
        )
    )

    assert_one_winner(outcomes, "is already completed")
    assert admin.call("project.task", "read", [job], ["isp_job_state"])[0]["isp_job_state"] == (
        "done"
    )
    pickings = admin.call("stock.picking", "search_read", [("isp_task_id", "=", job)], ["state"])
    assert [picking["state"] for picking in pickings] == ["done"]
    materials = admin.call(
        "stock.move",
        "search_read",
        [("isp_task_id", "=", job)],
        ["product_id", "quantity", "state"],
    )
    assert [(m["product_id"][0], m["quantity"], m["state"]) for m in materials] == [
        (cord, 2.0, "done")
    ]
    assert _qty(admin, cord, van) == before - 2
    assert_stock_invariants(admin, [cord])


def test_same_completion_resent_at_once_with_its_idempotency_key(rpc_workers, world):
    """A phone resends its completion while the first is still running: both calls
    answer True and the stock moves once."""
    admin, cord, van = world["admin"], world["cord"], world["vans"]["tech1"]
    job = admin.call(
        "project.task",
        "create",
        {
            "name": "Race resent completion",
            "project_id": world["project"],
            "isp_technician_id": world["techs"]["tech1"],
            "partner_id": world["customers"][0],
        },
    )
    before = _qty(admin, cord, van)
    values = {"lines": [{"product_id": cord, "qty_used": 1}], "idempotency_key": f"k-{job}"}
    phones = [_as(rpc_workers, world, "tech1") for _i in range(2)]

    outcomes = race(
        *(
            lambda phone=phone: phone.call("project.task", "action_isp_complete", [job], values)
            for phone in phones
        )
    )

    assert outcomes == [(True, True), (True, True)], outcomes
    moves = admin.call(
        "stock.move", "search_read", [("isp_task_id", "=", job)], ["quantity", "state"]
    )
    assert [(m["quantity"], m["state"]) for m in moves] == [(1.0, "done")]
    assert _qty(admin, cord, van) == before - 1
    assert_stock_invariants(admin, [cord])


@pytest.mark.parametrize("customers", ["same customer", "two customers"])
def test_same_serial_installed_twice_at_once(rpc_workers, world, customers):
    """The technician's two phones install the same ONT at once (at one customer, or
    at two): one install."""
    admin, van, tech = world["admin"], world["vans"]["tech1"], world["techs"]["tech1"]
    ont, lot = _new_ont_in_van(world, customers.replace(" ", "-"), van)
    partners = world["customers"] if customers == "two customers" else world["customers"][:1] * 2
    phones = [_as(rpc_workers, world, "tech1") for _i in range(2)]

    outcomes = race(
        *(
            lambda phone=phone, partner=partner: phone.call(
                "stock.lot", "action_isp_install", [lot], tech, partner
            )
            for phone, partner in zip(phones, partners, strict=True)
        )
    )

    winner = assert_one_winner(outcomes, "is already installed")
    record = admin.call("stock.lot", "read", [lot], ["isp_state", "isp_customer_id"])[0]
    assert record["isp_state"] == "installed"
    assert record["isp_customer_id"][0] == partners[winner]
    installs = admin.call(
        "stock.move.line",
        "search_read",
        [("lot_id", "=", lot), ("state", "=", "done"), ("location_id", "=", van)],
        ["picking_id"],
    )
    assert [line["picking_id"][0] for line in installs] == [outcomes[winner][1]]
    assert _qty(admin, ont, van, lot) == 0
    assert_stock_invariants(admin, [ont], [lot])


def test_last_unit_of_a_branch_validated_to_two_vans_at_once(rpc_workers, world):
    """Two storekeepers validate, at the same moment, two transfers of the branch's last
    unit to two vans (Odoo lets a validation force a quantity nothing reserves): one is
    done, the other refused, and the branch does not go below zero."""
    admin, stock = world["admin"], world["stock"]
    router = new_product(
        admin, f"Race Last Router {world['tag']}", "consumable", standard_price=1.0
    )
    receive(admin, world["in_type"], stock, [(router, 1, False)])
    storekeepers = [_as(rpc_workers, world, role) for role in ("store1", "store2")]
    vans = [world["vans"]["tech1"], world["vans"]["tech2"]]
    pickings = [
        storekeeper.call(
            "stock.picking",
            "create",
            {
                "picking_type_id": world["int_type"],
                "location_id": stock,
                "location_dest_id": van,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": router,
                            "product_uom_qty": 1,
                            "location_id": stock,
                            "location_dest_id": van,
                        },
                    )
                ],
            },
        )
        for storekeeper, van in zip(storekeepers, vans, strict=True)
    ]

    outcomes = race(
        *(
            lambda storekeeper=storekeeper, picking=picking: storekeeper.call(
                "stock.picking", "button_validate", [picking]
            )
            for storekeeper, picking in zip(storekeepers, pickings, strict=True)
        )
    )

    winner = assert_one_winner(outcomes, "cannot hold less than nothing")
    states = [
        picking["state"] for picking in admin.call("stock.picking", "read", pickings, ["state"])
    ]
    assert states[winner] == "done"
    assert states[1 - winner] != "done"
    assert _qty(admin, router, stock) == 0
    assert [_qty(admin, router, van) for van in vans] == [
        1.0 if index == winner else 0.0 for index in range(2)
    ]
    assert_stock_invariants(admin, [router])


def test_same_issuance_validated_twice_at_once(rpc_workers, world):
    admin, stock, van, cord = world["admin"], world["stock"], world["vans"]["tech1"], world["cord"]
    receive(admin, world["in_type"], stock, [(cord, 5, False)])
    picking = admin.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": world["int_type"],
            "location_id": stock,
            "location_dest_id": van,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": cord,
                        "product_uom_qty": 3,
                        "location_id": stock,
                        "location_dest_id": van,
                    },
                )
            ],
        },
    )
    admin.call("stock.picking", "action_confirm", [picking])
    before = _qty(admin, cord, van), _qty(admin, cord, stock)
    storekeepers = [_as(rpc_workers, world, role) for role in ("store1", "store2")]

    outcomes = race(
        *(
            lambda storekeeper=storekeeper: storekeeper.call(
                "stock.picking", "button_validate", [picking]
            )
            for storekeeper in storekeepers
        )
    )

    assert_one_winner(outcomes, "is already done")
    assert admin.call("stock.picking", "read", [picking], ["state"])[0]["state"] == "done"
    assert (_qty(admin, cord, van), _qty(admin, cord, stock)) == (before[0] + 3, before[1] - 3)
    assert_stock_invariants(admin, [cord])


def test_same_loss_report_approved_by_two_approvers_at_once(rpc_workers, world):
    admin, cord, van = world["admin"], world["cord"], world["vans"]["tech2"]
    tech = _as(rpc_workers, world, "tech2")
    report = tech.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": world["techs"]["tech2"],
            "loss_type": "damaged",
            "description": "Patch cord crushed under the ladder.",
            "line_ids": [(0, 0, {"product_id": cord, "quantity": 1})],
        },
    )
    tech.call("isp.loss.report", "action_submit", [report])
    before = _qty(admin, cord, van)
    approvers = [_as(rpc_workers, world, role) for role in ("appr1", "appr2")]

    outcomes = race(
        *(
            lambda approver=approver: approver.call("isp.loss.report", "action_approve", [report])
            for approver in approvers
        )
    )

    winner = assert_one_winner(outcomes, "is not waiting for approval")
    record = admin.call(
        "isp.loss.report", "read", [report], ["state", "isp_approved_by_id", "scrap_ids"]
    )
    assert record[0]["state"] == "done"
    assert record[0]["isp_approved_by_id"][0] == approvers[winner].uid
    assert len(record[0]["scrap_ids"]) == 1
    assert _qty(admin, cord, van) == before - 1
    assert_stock_invariants(admin, [cord])


def test_same_count_applied_twice_at_once(rpc_workers, world):
    admin, cord, van = world["admin"], world["cord"], world["vans"]["tech2"]
    store1, store2 = (_as(rpc_workers, world, role) for role in ("store1", "store2"))
    count = store1.call(
        "isp.stock.count", "create", {"technician_id": world["techs"]["tech2"], "kind": "monthly"}
    )
    store1.call("isp.stock.count", "action_start", [count])
    line = store1.call(
        "isp.stock.count.line",
        "search_read",
        [("count_id", "=", count), ("product_id", "=", cord), ("location_id", "=", van)],
        ["expected_qty"],
    )[0]
    store1.call(
        "isp.stock.count.line",
        "write",
        [line["id"]],
        {"counted_qty": line["expected_qty"] - 1, "reason": "unrecorded_use"},
    )
    before = _qty(admin, cord, van)
    assert before == line["expected_qty"]

    outcomes = race(
        *(
            lambda storekeeper=storekeeper: storekeeper.call(
                "isp.stock.count", "action_apply", [count]
            )
            for storekeeper in (store1, store2)
        )
    )

    assert_one_winner(outcomes, "is not being counted")
    record = admin.call("isp.stock.count", "read", [count], ["state", "move_ids"])[0]
    assert record["state"] == "done"
    assert len(record["move_ids"]) == 1
    assert _qty(admin, cord, van) == before - 1
    assert_stock_invariants(admin, [cord])


def test_same_serial_created_twice_at_once(rpc_workers, world):
    """Two storekeepers record the same new serial of a product at once: one row (the
    database's unique index; Odoo's Python check cannot see the other transaction)."""
    admin = world["admin"]
    ont = new_product(
        admin, f"Race ONT new {world['tag']}", "cpe", standard_price=45.0, tracking="serial"
    )
    name = f"RACE-NEW-{world['tag']}"
    storekeepers = [_as(rpc_workers, world, role) for role in ("store1", "store2")]

    outcomes = race(
        *(
            lambda storekeeper=storekeeper: storekeeper.call(
                "stock.lot", "create", {"name": name, "product_id": ont}
            )
            for storekeeper in storekeepers
        )
    )

    winner = assert_one_winner(outcomes, "already exists|must be unique")
    lots = admin.call("stock.lot", "search", [("product_id", "=", ont), ("name", "=", name)])
    assert lots == [outcomes[winner][1]]
