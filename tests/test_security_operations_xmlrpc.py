"""docs/SECURITY.md, the create/write/delete/trigger columns: Odoo's stock entry points
and the ISP operations as each role, over XML-RPC. Every refusal is followed (in
`refused`) by proof, read as the administrator, that stock and records did not change."""

import uuid

import pytest
from conftest import jsonrpc, receive, refused


@pytest.fixture(scope="module")
def world(security_world, odoo_url):
    w = dict(security_world)
    admin = w["admin"]
    w["move_a"] = admin.call(
        "stock.move", "search", [("picking_id", "=", w["pickings"]["a_request"])]
    )
    w["done_line_a"] = admin.call(
        "stock.move.line",
        "search",
        [("location_dest_id", "=", w["vans"]["technician"]), ("state", "=", "done")],
        limit=1,
    )
    # a serial installed by B at B's customer for the install-record cells alone
    lot = admin.call(
        "stock.lot", "create", {"name": f"MX-record-{w['tag']}", "product_id": w["ont"]}
    )
    receive(admin, w["receipt_type"], w["vans"]["colleague"], [(w["ont"], 1, lot)])
    admin.call(
        "stock.lot",
        "action_isp_install",
        [lot],
        w["techs"]["colleague"],
        w["customers"]["colleague"],
    )
    w["record_lot"] = lot
    # transfers into the technician's van he can read: a draft one the storekeeper
    # prepares, and his own request, sent (confirmed) but not reserved
    tech, store = w["clients"]["technician"], w["clients"]["storekeeper"]
    own = {"a_draft": _new_request(w)}
    wizard = tech.call(
        "isp.stock.request.wizard",
        "create",
        {
            "technician_id": w["techs"]["technician"],
            "line_ids": [(0, 0, {"product_id": w["cord"], "quantity": 2})],
        },
    )
    own["a_unreserved"] = tech.call("isp.stock.request.wizard", "action_confirm", [wizard])[
        "res_id"
    ]
    store.call("stock.picking", "action_confirm", [own["a_unreserved"]])
    _result, error = jsonrpc(
        odoo_url, store, "stock.picking", "do_unreserve", [own["a_unreserved"]]
    )
    assert error is None, error
    w["pickings"] = dict(w["pickings"], **own)  # watched by security_snapshot
    return w


def _read(world, model, ids, fields):
    return world["admin"].call(model, "read", ids, fields, context={"active_test": False})


def _new_request(world, role="technician", product=None, by="storekeeper", requester=None):
    """A draft transfer branch stock → the role's van of one unit, created by `by` and
    requested by `requester` (default: `by`)."""
    product = product or world["cord"]
    stock, van = world["stock"], world["vans"][role]
    return world["clients"][by].call(
        "stock.picking",
        "create",
        {
            "picking_type_id": world["int_type"],
            "location_id": stock,
            "location_dest_id": van,
            "isp_requested_by_id": world["uids"][requester or by],
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": product,
                        "product_uom_qty": 1,
                        "location_id": stock,
                        "location_dest_id": van,
                    },
                )
            ],
        },
    )


# ------------------------------------------------------------------------------------
# Odoo's stock entry points: closed to technicians and plain internal users
# ------------------------------------------------------------------------------------
def _stock_calls(w):
    """name -> (model, method, args, kwargs) of every direct stock change a technician
    (own records only) or a plain internal user might try."""
    van, stock, cord = w["vans"]["technician"], w["stock"], w["cord"]
    own_request, own_move = w["pickings"]["a_request"], w["move_a"]
    line = {
        "product_id": cord,
        "quantity": 1,
        "location_id": stock,
        "location_dest_id": van,
        "picking_id": own_request,
        "move_id": own_move[0],
    }
    return {
        "picking_create": (
            "stock.picking",
            "create",
            [
                {
                    "picking_type_id": w["int_type"],
                    "location_id": stock,
                    "location_dest_id": van,
                }
            ],
            {},
        ),
        "picking_write": ("stock.picking", "write", [[own_request], {"origin": "x"}], {}),
        "picking_unlink": ("stock.picking", "unlink", [[own_request]], {}),
        "button_validate": ("stock.picking", "button_validate", [[own_request]], {}),
        "action_confirm": ("stock.picking", "action_confirm", [[w["pickings"]["a_draft"]]], {}),
        "action_assign": ("stock.picking", "action_assign", [[w["pickings"]["a_unreserved"]]], {}),
        "action_cancel": ("stock.picking", "action_cancel", [[own_request]], {}),
        "move_create": (
            "stock.move",
            "create",
            [
                {
                    "product_id": cord,
                    "product_uom_qty": 3,
                    "location_id": stock,
                    "location_dest_id": van,
                    "picking_id": own_request,
                }
            ],
            {},
        ),
        "move_write": ("stock.move", "write", [own_move, {"product_uom_qty": 9}], {}),
        "move_unlink": ("stock.move", "unlink", [own_move], {}),
        "move_line_create": ("stock.move.line", "create", [line], {}),
        "move_line_write_done": (
            "stock.move.line",
            "write",
            [w["done_line_a"], {"quantity": 99}],
            {},
        ),
        "move_line_unlink_done": ("stock.move.line", "unlink", [w["done_line_a"]], {}),
        "quant_create": (
            "stock.quant",
            "create",
            [{"product_id": cord, "location_id": van, "inventory_quantity": 0}],
            {"context": {"inventory_mode": True}},
        ),
        "lot_create": (
            "stock.lot",
            "create",
            [{"name": f"MX-X-{w['tag']}", "product_id": w["ont"]}],
            {},
        ),
        "lot_unlink": ("stock.lot", "unlink", [[w["lots"]["a1"]]], {}),
        "scrap_create": (
            "stock.scrap",
            "create",
            [{"product_id": cord, "scrap_qty": 1, "location_id": van}],
            {},
        ),
    }


STOCK_CALLS = [
    "picking_create",
    "picking_write",
    "picking_unlink",
    "button_validate",
    "action_confirm",
    "action_assign",
    "action_cancel",
    "move_create",
    "move_write",
    "move_unlink",
    "move_line_create",
    "move_line_write_done",
    "move_line_unlink_done",
    "quant_create",
    "lot_create",
    "lot_unlink",
    "scrap_create",
]


@pytest.mark.parametrize("role", ["technician", "internal", "portal"])
@pytest.mark.parametrize("call", STOCK_CALLS)
def test_stock_entry_points_closed(world, role, call):
    model, method, args, kwargs = _stock_calls(world)[call]
    with refused(world, access=True):
        world["clients"][role].call(model, method, *args, **kwargs)


@pytest.mark.parametrize("role", ["storekeeper", "inventory_admin", "manager"])
def test_done_move_line_plain_write_refused_to_every_stock_role(world, role):
    """Done is done: a done line changes only through the edit-done path with a reason."""
    line = world["done_line_a"]
    extra = ("stock.move.line", line, ["quantity", "lot_id", "location_dest_id"])
    with refused(world, extra):
        world["clients"][role].call("stock.move.line", "write", line, {"quantity": 99})
    with refused(world, extra):
        world["clients"][role].call("stock.move.line", "unlink", line)


def test_storekeeper_prepares_and_validates_a_plain_transfer(world):
    store = world["clients"]["storekeeper"]
    picking = _new_request(world)
    store.call("stock.picking", "action_confirm", [picking])
    store.call("stock.picking", "button_validate", [picking])
    assert _read(world, "stock.picking", [picking], ["state"])[0]["state"] == "done"


@pytest.mark.parametrize("role", ["storekeeper", "approver", "manager"])
def test_requester_is_never_someone_else(world, role):
    """isp_requested_by_id (the technicians' rule rests on it) names only the creator
    and never changes afterwards."""
    with refused(world, access=True):
        _new_request(world, by=role, requester="technician")
    request = world["pickings"]["b_request"]
    with refused(world, access=True):
        world["clients"][role].call(
            "stock.picking", "write", [request], {"isp_requested_by_id": world["uids"][role]}
        )


def test_storekeeper_cannot_approve_and_approver_can(world):
    store, approver = world["clients"]["storekeeper"], world["clients"]["approver"]
    picking = _new_request(world, product=world["ont"])
    store.call("stock.picking", "action_confirm", [picking])
    extra = ("stock.picking", [picking], ["isp_approval_state", "isp_approved_by_id", "state"])
    assert _read(world, *extra)[0]["isp_approval_state"] == "to_approve"
    for role in ("storekeeper", "technician", "internal"):
        with refused(world, extra, access=True):
            world["clients"][role].call("stock.picking", "action_isp_approve", [picking])
    with refused(world, extra):
        store.call("stock.picking", "button_validate", [picking])
    for role in ("storekeeper", "manager", "inventory_admin"):
        with refused(world, extra):
            world["clients"][role].call(
                "stock.picking",
                "write",
                [picking],
                {"isp_approval_state": "approved", "isp_approved_by_id": world["uids"][role]},
            )
    approver.call("stock.picking", "action_isp_approve", [picking])
    assert _read(world, *extra)[0]["isp_approval_state"] == "approved"


@pytest.mark.parametrize("decider", ["approver", "manager"])
def test_approver_never_approves_what_he_requested(world, decider):
    client = world["clients"][decider]
    picking = _new_request(world, product=world["ont"], by=decider)
    client.call("stock.picking", "action_confirm", [picking])
    extra = ("stock.picking", [picking], ["isp_approval_state", "isp_approved_by_id"])
    with refused(world, extra, access=True):
        client.call("stock.picking", "action_isp_approve", [picking])
    assert _read(world, *extra)[0]["isp_approval_state"] == "to_approve"


def test_approver_never_approves_an_issuance_into_his_own_van(world):
    """approver_tech is an approver and a technician: the storekeeper issues to him."""
    picking = _new_request(world, role="approver_tech", product=world["ont"])
    world["clients"]["storekeeper"].call("stock.picking", "action_confirm", [picking])
    extra = ("stock.picking", [picking], ["isp_approval_state", "isp_approved_by_id"])
    with refused(world, extra, access=True):
        world["clients"]["approver_tech"].call("stock.picking", "action_isp_approve", [picking])


# ------------------------------------------------------------------------------------
# Loss reports
# ------------------------------------------------------------------------------------
def _loss(world, role):
    client = world["clients"][role]
    report = client.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": world["techs"][role],
            "loss_type": "damaged",
            "description": f"Matrix damaged {uuid.uuid4().hex[:4]}",
            "line_ids": [(0, 0, {"product_id": world["cord"], "quantity": 1})],
        },
    )
    client.call("isp.loss.report", "action_submit", [report])
    return report


LOSS_FIELDS = [
    "state",
    "isp_approval_state",
    "isp_approved_by_id",
    "reporter_id",
    "technician_id",
    "scrap_ids",
]


def test_loss_report_decisions(world):
    """The technician files and submits his own; cannot approve it; neither can the
    storekeeper; an approver who is the reporting technician cannot; another can."""
    report = _loss(world, "approver_tech")
    extra = ("isp.loss.report", [report], LOSS_FIELDS)
    for role in ("approver_tech", "storekeeper", "technician", "internal"):
        with refused(world, extra):
            world["clients"][role].call("isp.loss.report", "action_approve", [report])
    with refused(world, extra):
        world["clients"]["approver_tech"].call("isp.loss.report", "action_reject", [report], "mine")
    world["clients"]["approver"].call("isp.loss.report", "action_approve", [report])
    after = _read(world, *extra)[0]
    assert after["state"] == "done" and after["scrap_ids"]


@pytest.mark.parametrize(
    "vals",
    [
        {"state": "done"},
        {"state": "approved"},
        {"isp_approval_state": "approved"},
        {"isp_approved_by_id": "self"},
        {"isp_rejection_reason": "no"},
        {"reporter_id": "someone"},
        {"technician_id": "other"},
    ],
    ids=[
        "state_done",
        "state_approved",
        "approval_state",
        "approved_by",
        "rejection",
        "reporter",
        "technician",
    ],
)
@pytest.mark.parametrize("role", ["storekeeper", "approver", "manager", "technician"])
def test_loss_report_approval_and_people_fields_not_writable(world, role, vals):
    report = world["losses"]["b_submitted"] if role != "technician" else world["losses"]["a_draft"]
    # "other": a technician the report is not about
    other = world["techs"]["colleague" if role == "technician" else "technician"]
    ids = {"self": world["uids"][role], "other": other, "someone": world["uids"]["internal"]}
    vals = {key: ids.get(value, value) for key, value in vals.items()}
    with refused(world, ("isp.loss.report", [report], LOSS_FIELDS)):
        world["clients"][role].call("isp.loss.report", "write", [report], vals)


def test_technician_cannot_touch_a_colleagues_loss_report(world):
    tech = world["clients"]["technician"]
    report = world["losses"]["b_draft"]
    for method, args in (
        ("write", [{"description": "mine now"}]),
        ("action_submit", []),
        ("unlink", []),
    ):
        with refused(world):
            tech.call("isp.loss.report", method, [report], *args)


# ------------------------------------------------------------------------------------
# Counts
# ------------------------------------------------------------------------------------
COUNT_FIELDS = ["state", "counted_by_id", "submitted_by_id", "line_ids", "move_ids"]


@pytest.mark.parametrize("role", ["technician", "colleague", "approver", "internal"])
@pytest.mark.parametrize(
    "method", ["action_start", "action_apply", "action_cancel", "action_approve"]
)
def test_counts_run_by_storekeepers_only(world, role, method):
    count = world["count_b"]
    with refused(world, ("isp.stock.count", [count], COUNT_FIELDS)):
        world["clients"][role].call("isp.stock.count", method, [count])


def test_count_variance_approved_by_nobody_who_counted_or_owns_the_van(world):
    """The manager counts approver_tech's van and finds a shortage above the threshold:
    neither the manager (counted and submitted) nor approver_tech (his own van) may
    approve it; another approver does, and the adjustment is applied."""
    admin, manager = world["admin"], world["clients"]["manager"]
    company = world["company"]
    old = admin.call("res.company", "read", [company], ["isp_count_variance_threshold"])[0][
        "isp_count_variance_threshold"
    ]
    admin.call("res.company", "write", [company], {"isp_count_variance_threshold": 0.01})
    try:
        count = manager.call(
            "isp.stock.count",
            "create",
            {"technician_id": world["techs"]["approver_tech"], "kind": "monthly"},
        )
        manager.call("isp.stock.count", "action_start", [count])
        line = manager.call(
            "isp.stock.count.line",
            "search_read",
            [("count_id", "=", count), ("product_id", "=", world["cord"])],
            fields=["expected_qty"],
        )[0]
        manager.call(
            "isp.stock.count.line",
            "write",
            [line["id"]],
            {"counted_qty": line["expected_qty"] - 1, "reason": "lost"},
        )
        manager.call("isp.stock.count", "action_apply", [count])
        extra = ("isp.stock.count", [count], COUNT_FIELDS + ["isp_approval_state"])
        assert _read(world, *extra)[0]["state"] == "to_approve"
        for role in ("manager", "approver_tech", "storekeeper", "technician"):
            with refused(world, extra, access=True):
                world["clients"][role].call("isp.stock.count", "action_approve", [count])
        world["clients"]["approver"].call("isp.stock.count", "action_approve", [count])
        after = _read(world, *extra)[0]
        assert after["state"] == "done" and after["move_ids"]
    finally:
        admin.call("res.company", "write", [company], {"isp_count_variance_threshold": old})


def test_count_people_fields_not_writable(world):
    count = world["count_b"]
    for role in ("storekeeper", "manager"):
        with refused(world, ("isp.stock.count", [count], COUNT_FIELDS)):
            world["clients"][role].call(
                "isp.stock.count", "write", [count], {"counted_by_id": world["uids"]["approver"]}
            )


# ------------------------------------------------------------------------------------
# Field jobs
# ------------------------------------------------------------------------------------
JOB_FIELDS = [
    "name",
    "active",
    "isp_job_state",
    "isp_technician_id",
    "partner_id",
    "isp_latitude",
    "isp_longitude",
]


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("action_isp_start", []),
        ("action_isp_issue_materials", []),
        ("action_isp_complete", [{"lines": []}]),
        ("write", [{"name": "taken over"}]),
    ],
    ids=["start", "issue", "complete", "write"],
)
def test_technician_cannot_work_a_colleagues_job(world, method, args):
    job = world["jobs"]["b_open"]
    with refused(world, ("project.task", [job], JOB_FIELDS)):
        world["clients"]["technician"].call("project.task", method, [job], *args)


@pytest.mark.parametrize(
    "vals",
    [
        {"isp_technician_id": "colleague"},
        {"user_ids": [(6, 0, [])]},
        {"partner_id": "customer_b"},
        {"project_id": False},
    ],
    ids=["technician", "assignees", "customer", "project"],
)
def test_technician_cannot_reassign_his_job(world, vals):
    values = {
        "colleague": world["techs"]["colleague"],
        "customer_b": world["customers"]["colleague"],
    }
    vals = {
        key: values.get(value, value) if isinstance(value, str) else value
        for key, value in vals.items()
    }
    job = world["jobs"]["a_open"]
    with refused(world, ("project.task", [job], JOB_FIELDS + ["user_ids", "project_id"])):
        world["clients"]["technician"].call("project.task", "write", [job], vals)


@pytest.mark.parametrize("role", ["technician", "storekeeper", "approver", "manager"])
def test_completed_job_not_edited_nor_deleted(world, role):
    job = world["jobs"]["a_done"]
    extra = ("project.task", [job], JOB_FIELDS)
    client = world["clients"][role]
    with refused(world, extra):
        client.call("project.task", "write", [job], {"isp_latitude": 1.5, "isp_longitude": 2.5})
    with refused(world, extra):
        client.call("project.task", "unlink", [job])


def test_technician_creates_no_job(world):
    with refused(world):
        world["clients"]["technician"].call(
            "project.task",
            "create",
            {
                "name": "my own job",
                "project_id": world["project"],
                "isp_technician_id": world["techs"]["technician"],
            },
        )


# ------------------------------------------------------------------------------------
# Installed equipment: changed only by install / take-back / swap
# ------------------------------------------------------------------------------------
LOT_FIELDS = ["name", "product_id", "isp_customer_id", "isp_installed_by_id", "isp_latitude"]


@pytest.mark.parametrize("role", ["storekeeper", "manager", "inventory_admin"])
@pytest.mark.parametrize(
    "vals",
    [{"name": "RENAMED"}, {"isp_customer_id": False}, {"isp_latitude": 1.0}],
    ids=["name", "customer", "gps"],
)
def test_install_record_not_writable_directly(world, role, vals):
    lot = world["record_lot"]
    with refused(world, ("stock.lot", [lot], LOT_FIELDS)):
        world["clients"][role].call("stock.lot", "write", [lot], vals)


def test_take_back_needs_an_open_job_at_that_customer(world):
    """Technician A has no job at B's customer: his take-back and swap are refused.
    B (open job there) and the storekeeper (no job needed) may take the unit back."""
    admin, lots = world["admin"], world["lots"]
    tech_a, cust_b = world["clients"]["technician"], world["customers"]["colleague"]
    installed = lots["b_installed"]
    extra = ("stock.lot", [installed, lots["a1"]], LOT_FIELDS)
    with refused(world, extra):
        tech_a.call(
            "stock.lot", "action_isp_take_back", [installed], world["techs"]["technician"], cust_b
        )
    with refused(world, extra):
        tech_a.call(
            "stock.lot", "action_isp_swap", [installed], lots["a1"], world["techs"]["technician"]
        )
    with refused(world, extra, access=True):
        tech_a.call(
            "stock.lot", "action_isp_take_back", [installed], world["techs"]["colleague"], cust_b
        )
    with refused(world, extra):  # the customer-return wizard is the same operation
        wizard = tech_a.call(
            "isp.return.wizard",
            "create",
            {
                "technician_id": world["techs"]["technician"],
                "partner_id": cust_b,
                "lot_id": installed,
                "reason": "faulty",
            },
        )
        tech_a.call("isp.return.wizard", "action_return", [wizard])
    # B takes it back into his van (he has an open job there), admin installs it again,
    # the storekeeper takes it back without any job.
    world["clients"]["colleague"].call(
        "stock.lot", "action_isp_take_back", [installed], world["techs"]["colleague"], cust_b
    )
    lot = _read(world, "stock.lot", [installed], ["isp_state", "isp_customer_id"])[0]
    assert lot["isp_state"] == "with_technician" and not lot["isp_customer_id"]
    admin.call("stock.lot", "action_isp_install", [installed], world["techs"]["colleague"], cust_b)
    world["clients"]["storekeeper"].call(
        "stock.lot", "action_isp_take_back", [installed], world["techs"]["colleague"], cust_b
    )
    assert (
        _read(world, "stock.lot", [installed], ["isp_state"])[0]["isp_state"] == "with_technician"
    )
    admin.call("stock.lot", "action_isp_install", [installed], world["techs"]["colleague"], cust_b)


def test_technician_installs_only_from_his_own_van_as_himself(world):
    tech_a, lots = world["clients"]["technician"], world["lots"]
    cust_a = world["customers"]["technician"]
    extra = ("stock.lot", [lots["b1"], lots["store1"]], LOT_FIELDS)
    with refused(world, extra):  # a colleague's serial from his own van id
        tech_a.call(
            "stock.lot", "action_isp_install", [lots["b1"]], world["techs"]["technician"], cust_a
        )
    with refused(world, extra, access=True):  # acting as the colleague
        tech_a.call(
            "stock.lot", "action_isp_install", [lots["b1"]], world["techs"]["colleague"], cust_a
        )
    with refused(world, extra):  # a store serial
        tech_a.call(
            "stock.lot",
            "action_isp_install",
            [lots["store1"]],
            world["techs"]["technician"],
            cust_a,
        )


@pytest.mark.parametrize("role", ["technician", "approver", "internal"])
@pytest.mark.parametrize(
    "method", ["action_isp_sign_out_tool", "action_isp_repair", "action_isp_dispose"]
)
def test_storekeeper_only_lot_operations(world, role, method):
    lot = world["lots"]["store1"]
    args = [world["techs"]["technician"]] if method == "action_isp_sign_out_tool" else []
    with refused(world, ("stock.lot", [lot], LOT_FIELDS), access=True):
        world["clients"][role].call("stock.lot", method, [lot], *args)


# ------------------------------------------------------------------------------------
# Configuration: ISP managers only
# ------------------------------------------------------------------------------------
def _config_calls(w):
    tag = uuid.uuid4().hex[:4]
    return {
        "region_create": ("isp.region", "create", [{"name": f"R{tag}", "code": f"R{tag}"}]),
        "technician_create": (
            "isp.technician",
            "create",
            [{"user_id": w["uids"]["internal"], "warehouse_id": w["branch"]}],
        ),
        "technician_write": (
            "isp.technician",
            "write",
            [[w["techs"]["colleague"]], {"warehouse_id": w["branch"]}],
        ),
        "kit_template_create": ("isp.kit.template", "create", [{"name": f"K{tag}"}]),
        "threshold_write": (
            "res.company",
            "write",
            [[w["company"]], {"isp_approval_threshold": 1.0}],
        ),
    }


@pytest.mark.parametrize(
    "role", ["technician", "storekeeper", "approver", "inventory_admin", "internal", "portal"]
)
@pytest.mark.parametrize(
    "call",
    [
        "region_create",
        "technician_create",
        "technician_write",
        "kit_template_create",
        "threshold_write",
    ],
)
def test_configuration_refused_to_non_managers(world, role, call):
    model, method, args = _config_calls(world)[call]
    extra = ("res.company", [world["company"]], ["isp_approval_threshold"])
    with refused(world, extra, access=True):
        world["clients"][role].call(model, method, *args)


def test_manager_configures(world):
    manager, tag = world["clients"]["manager"], uuid.uuid4().hex[:4]
    region = manager.call("isp.region", "create", {"name": f"Matrix R{tag}", "code": f"M{tag}"})
    template = manager.call("isp.kit.template", "create", {"name": f"Matrix K{tag}"})
    assert manager.call("isp.region", "read", [region], ["code"])[0]["code"] == f"M{tag}"
    assert manager.call("isp.kit.template", "search", [("id", "=", template)]) == [template]


# ------------------------------------------------------------------------------------
# Portal: nothing
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "method", "args"),
    [
        (
            "stock.lot",
            "action_isp_install",
            ["lots.a1", "techs.technician", "customers.technician"],
        ),
        ("project.task", "action_isp_complete", ["jobs.a_open", {"lines": []}]),
        ("isp.loss.report", "action_submit", ["losses.a_draft"]),
        ("isp.scan", "isp_lookup", ["MX"]),
    ],
    ids=["install", "complete", "submit", "scan"],
)
def test_portal_triggers_nothing(world, model, method, args):
    def resolve(value):
        if isinstance(value, str) and "." in value:
            group, key = value.split(".")
            return world[group][key]
        return value

    args = [resolve(a) for a in args]
    first = [args[0]] if model != "isp.scan" else args[0]
    with refused(world, access=True):
        world["clients"]["portal"].call(model, method, first, *args[1:])


def test_technician_cannot_receive_from_a_vendor_into_his_van(world):
    """Goods appear in a van only through a request the store issues."""
    with refused(world, access=True):
        receive(
            world["clients"]["technician"],
            world["receipt_type"],
            world["vans"]["technician"],
            [(world["cord"], 5, False)],
        )


# ------------------------------------------------------------------------------------
# Done is done: corrections only through "edit done with reason" (Inventory Admin)
# ------------------------------------------------------------------------------------
def _done_receipt_line(world):
    """A fresh done receipt of 2 patch cords into technician A's kit: its move line."""
    admin = world["admin"]
    picking = receive(
        admin, world["receipt_type"], world["kits"]["technician"], [(world["cord"], 2, False)]
    )
    # the receipt's lines were created with its moves: found through the move
    lines = admin.call("stock.move.line", "search", [("move_id.picking_id", "=", picking)])
    assert len(lines) == 1
    return picking, lines


def _kit_cords(world):
    quants = world["admin"].call(
        "stock.quant",
        "search_read",
        [("location_id", "=", world["kits"]["technician"]), ("product_id", "=", world["cord"])],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


@pytest.mark.parametrize("role", ["technician", "storekeeper", "approver", "internal"])
def test_edit_done_refused_to_non_administrators(world, role):
    _picking, line = _done_receipt_line(world)
    extra = ("stock.move.line", line, ["quantity", "location_dest_id"])
    with refused(world, extra, access=True):
        world["clients"][role].call(
            "stock.move.line", "action_isp_edit_done", line, {"quantity": 1}, "miscounted"
        )


def test_inventory_admin_edits_a_done_line_with_a_reason(world):
    admin_inv = world["clients"]["inventory_admin"]
    _picking, line = _done_receipt_line(world)
    extra = ("stock.move.line", line, ["quantity"])
    with refused(world, extra):  # no reason, no correction
        admin_inv.call("stock.move.line", "action_isp_edit_done", line, {"quantity": 1}, " ")
    before = _kit_cords(world)
    reason = f"one cord was broken ({uuid.uuid4().hex[:6]})"
    admin_inv.call("stock.move.line", "action_isp_edit_done", line, {"quantity": 1}, reason)
    assert _read(world, "stock.move.line", line, ["quantity"])[0]["quantity"] == 1
    assert _kit_cords(world) == before - 1
    # the reason is tracked in a chatter (the transfer's, or the product's when the line
    # was created without its transfer, as `receive` does), naming who corrected it
    logs = world["admin"].call(
        "mail.message",
        "search_read",
        [
            ("body", "ilike", reason),
            ("model", "in", ["stock.picking", "product.template"]),
        ],
        fields=["body", "author_id"],
    )
    assert len(logs) == 1
    assert f"Matrix inventory_admin {world['tag']}" in logs[0]["body"]


def test_manager_corrects_a_completed_job_with_a_reason(world):
    """The ISP Manager is an Inventory Administrator (stock.group_stock_manager)."""
    manager, admin, tag = world["clients"]["manager"], world["admin"], world["tag"]
    job = admin.call(
        "project.task",
        "create",
        {
            "name": f"Matrix done later {tag}",
            "project_id": world["project"],
            "isp_technician_id": world["techs"]["technician"],
            "partner_id": world["customers"]["technician"],
        },
    )
    admin.call("project.task", "action_isp_complete", [job], {"lines": []})
    extra = ("project.task", [job], JOB_FIELDS)
    with refused(world, extra):
        manager.call("project.task", "write", [job], {"isp_latitude": -1.3})
    manager.call(
        "project.task", "action_isp_edit_done", [job], {"isp_latitude": -1.3}, "GPS was wrong"
    )
    assert _read(world, "project.task", [job], ["isp_latitude"])[0]["isp_latitude"] == -1.3
    manager.call("project.task", "action_isp_remove_done", [job], "duplicate job")
    assert _read(world, "project.task", [job], ["active"])[0]["active"] is False


# ------------------------------------------------------------------------------------
# The demo's own users (make run): store and approver on the demo's documents
# ------------------------------------------------------------------------------------
def test_demo_store_and_approver_keep_to_their_role(world, rpc):
    admin = world["admin"]
    store, approver = rpc("store", "store"), rpc("approver", "approver")
    waiting = admin.call("stock.picking", "search", [("isp_approval_state", "=", "to_approve")])
    assert waiting, "the demo has an issuance waiting for approval"
    extra = ("stock.picking", waiting, ["isp_approval_state", "state", "isp_approved_by_id"])
    with refused(world, extra, access=True):
        store.call("stock.picking", "action_isp_approve", waiting[:1])
    with refused(world, extra):
        store.call("stock.picking", "button_validate", waiting[:1])
    counts = admin.call("isp.stock.count", "search", [("state", "in", ["draft", "counting"])])
    assert counts, "the demo has an open count"
    extra = ("isp.stock.count", counts, ["state", "counted_by_id", "line_ids"])
    with refused(world, extra, access=True):
        approver.call("isp.stock.count", "action_apply", counts[:1])
