"""The six attacks of issue 9, replayed over XML-RPC as a new technician would (see
docs/SECURITY.md): each must be refused and leave stock and records as they were."""

import xmlrpc.client

import pytest
from conftest import receive, refused


@pytest.fixture(scope="module")
def world(security_world):
    """The security world plus victims of this module's own (so that an attack that
    goes through does not spoil the other matrix cells): technician A's open and
    completed jobs, A's draft loss report, a serial installed by B at B's customer."""
    w = dict(security_world)
    admin, tag = w["admin"], w["tag"]
    jobs = {}
    for key in ("a_open", "a_done"):
        jobs[key] = admin.call(
            "project.task",
            "create",
            {
                "name": f"Matrix victim {key} {tag}",
                "project_id": w["project"],
                "isp_technician_id": w["techs"]["technician"],
                "partner_id": w["customers"]["technician"],
            },
        )
    admin.call("project.task", "action_isp_complete", [jobs["a_done"]], {"lines": []})
    loss = w["clients"]["technician"].call(
        "isp.loss.report",
        "create",
        {
            "technician_id": w["techs"]["technician"],
            "loss_type": "lost",
            "description": "Matrix victim loss",
            "line_ids": [(0, 0, {"product_id": w["cord"], "quantity": 1})],
        },
    )
    lot = admin.call("stock.lot", "create", {"name": f"MX-victim-{tag}", "product_id": w["ont"]})
    receive(admin, w["receipt_type"], w["vans"]["colleague"], [(w["ont"], 1, lot)])
    admin.call(
        "stock.lot",
        "action_isp_install",
        [lot],
        w["techs"]["colleague"],
        w["customers"]["colleague"],
    )
    w["victims"] = {"jobs": jobs, "loss": loss, "lot": lot}
    return w


def _victims(world):
    """Snapshot triples of the victims."""
    v = world["victims"]
    return (
        (
            "project.task",
            list(v["jobs"].values()),
            ["name", "active", "isp_job_state", "isp_technician_id", "user_ids"],
        ),
        ("isp.loss.report", [v["loss"]], ["state", "technician_id", "reporter_id"]),
        ("stock.lot", [v["lot"]], ["name", "ref", "product_id", "isp_customer_id"]),
    )


def _own_van_quant(world, tech):
    quants = tech.call(
        "stock.quant",
        "search",
        [("location_id", "=", world["vans"]["technician"]), ("product_id", "=", world["cord"])],
    )
    assert len(quants) == 1, "the technician reads the stock of his own van"
    return quants


def test_attack_1_transfer_out_of_a_colleagues_van(world):
    """He only had to put himself in isp_requested_by_id."""
    tech = world["clients"]["technician"]
    colleague_van, own_van = world["vans"]["colleague"], world["vans"]["technician"]
    with refused(world, *_victims(world), access=True):
        picking = tech.call(
            "stock.picking",
            "create",
            {
                "picking_type_id": world["int_type"],
                "location_id": colleague_van,
                "location_dest_id": own_van,
                "isp_requested_by_id": world["uids"]["technician"],
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": world["cord"],
                            "product_uom_qty": 5,
                            "location_id": colleague_van,
                            "location_dest_id": own_van,
                        },
                    )
                ],
            },
        )
        tech.call("stock.picking", "action_confirm", [picking])
        tech.call("stock.picking", "button_validate", [picking])


def test_attack_1b_requested_by_does_not_open_a_colleagues_transfer(world):
    """Re-pointing isp_requested_by_id of a colleague's request to himself (the field the
    technicians' record rule rests on) is refused and shows him nothing more."""
    tech = world["clients"]["technician"]
    colleague_request = world["pickings"]["b_request"]
    with refused(world, access=True):
        tech.call(
            "stock.picking",
            "write",
            [colleague_request],
            {"isp_requested_by_id": world["uids"]["technician"]},
        )
    assert tech.call("stock.picking", "search", [("id", "=", colleague_request)]) == []


@pytest.mark.parametrize(
    "how",
    ["write_and_apply", "set_to_zero_and_apply", "create_in_inventory_mode"],
)
def test_attack_2_own_van_zeroed_through_inventory_mode(world, how):
    tech = world["clients"]["technician"]
    quant = _own_van_quant(world, tech)
    mode = {"context": {"inventory_mode": True}}
    with refused(world, access=True):
        if how == "write_and_apply":
            tech.call("stock.quant", "write", quant, {"inventory_quantity": 0}, **mode)
            tech.call("stock.quant", "action_apply_inventory", quant, **mode)
        elif how == "set_to_zero_and_apply":
            tech.call("stock.quant", "action_set_inventory_quantity_zero", quant, **mode)
            tech.call("stock.quant", "action_apply_inventory", quant, **mode)
        else:
            tech.call(
                "stock.quant",
                "create",
                {
                    "product_id": world["cord"],
                    "location_id": world["vans"]["technician"],
                    "inventory_quantity": 0,
                },
                **mode,
            )
            tech.call("stock.quant", "action_apply_inventory", quant, **mode)


def test_attack_2_van_stock_scrapped_without_loss_report(world):
    tech = world["clients"]["technician"]
    with refused(world, access=True):
        scrap = tech.call(
            "stock.scrap",
            "create",
            {
                "product_id": world["cord"],
                "scrap_qty": 4,
                "location_id": world["vans"]["technician"],
            },
        )
        tech.call("stock.scrap", "action_validate", [scrap])


def test_attack_3_draft_loss_report_repointed_to_a_colleague(world):
    tech = world["clients"]["technician"]
    report = world["victims"]["loss"]
    with refused(world, *_victims(world)):
        tech.call(
            "isp.loss.report", "write", [report], {"technician_id": world["techs"]["colleague"]}
        )
    # nor filed for the colleague in the first place
    with refused(world, *_victims(world)):
        tech.call(
            "isp.loss.report",
            "create",
            {
                "technician_id": world["techs"]["colleague"],
                "loss_type": "stolen",
                "description": "Not mine",
                "line_ids": [(0, 0, {"product_id": world["cord"], "quantity": 2})],
            },
        )


@pytest.mark.parametrize("job", ["a_done", "a_open"])
def test_attack_4_technician_deletes_a_job(world, job):
    """His completed job (and any job) cannot be deleted, nor archived instead."""
    tech = world["clients"]["technician"]
    job_id = world["victims"]["jobs"][job]
    # a completed job is refused by the done lock first (UserError), an open one by the
    # technicians' no-delete rule (AccessError)
    with refused(world, *_victims(world), access=job == "a_open"):
        tech.call("project.task", "unlink", [job_id])
    with refused(world, *_victims(world)):
        tech.call("project.task", "write", [job_id], {"active": False})


@pytest.mark.parametrize(
    "vals",
    [{"name": "RENAMED-BY-TECH"}, {"ref": "tampered"}, {"product_id": "ont"}],
    ids=["name", "ref", "product"],
)
def test_attack_5_colleagues_installed_cpe_renamed(world, vals):
    tech = world["clients"]["technician"]
    vals = {key: world["ont"] if value == "ont" else value for key, value in vals.items()}
    installed = world["victims"]["lot"]
    # the identity lock of a moved serial (name, product) speaks before the missing
    # write right; a free field (ref) meets the missing right
    with refused(world, *_victims(world), access="ref" in vals):
        tech.call("stock.lot", "write", [installed], vals)


def _visible_jobs(client, project):
    return set(client.call("project.task", "search", [("project_id", "=", project)]))


def _follow_project_and_count(admin, client, partner_id, project):
    """Subscribe the client to the project (whether that is refused or not) and return
    the jobs it sees before and after; the subscription is undone as admin."""
    before = _visible_jobs(client, project)
    try:
        client.call("project.project", "message_subscribe", [project], partner_ids=[partner_id])
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode in (2, 4), fault.faultString
    try:
        return before, _visible_jobs(client, project)
    finally:  # message_unsubscribe returns None, which XML-RPC cannot carry back
        followers = admin.call(
            "mail.followers",
            "search",
            [
                ("res_model", "=", "project.project"),
                ("res_id", "=", project),
                ("partner_id", "=", partner_id),
            ],
        )
        admin.call("mail.followers", "unlink", followers)


def test_attack_6_following_the_field_jobs_project_shows_nothing_more(world):
    admin, tech = world["admin"], world["clients"]["technician"]
    partner = admin.call("res.users", "read", [world["uids"]["technician"]], ["partner_id"])[0][
        "partner_id"
    ][0]
    before, after = _follow_project_and_count(admin, tech, partner, world["project"])
    own = {world["jobs"]["a_open"], world["jobs"]["a_done"], *world["victims"]["jobs"].values()}
    assert before == own
    assert after == own


def test_attack_6_demo_john_following_field_jobs(rpc):
    """The issue's own numbers (44 → 60 tasks): john sees exactly his jobs, before and
    after following the project."""
    admin, john = rpc(), rpc("john", "john")
    project = admin.ref("isp_field_service.project_field_jobs")
    john_user = admin.ref("isp_inventory.user_tech_john_demo")
    partner = admin.call("res.users", "read", [john_user], ["partner_id"])[0]["partner_id"][0]
    own = set(
        admin.call(
            "project.task",
            "search",
            [("project_id", "=", project), ("isp_technician_id.user_id", "=", john_user)],
        )
    )
    all_before = john.call("project.task", "search_count", [])
    before, after = _follow_project_and_count(admin, john, partner, project)
    assert own and before == own
    assert after == own
    # Odoo's own projects shown to every employee stay as they were; no field job more
    assert john.call("project.task", "search_count", []) == all_before


def test_attack_6_subscribing_to_a_colleagues_job(world):
    admin, tech = world["admin"], world["clients"]["technician"]
    partner = admin.call("res.users", "read", [world["uids"]["technician"]], ["partner_id"])[0][
        "partner_id"
    ][0]
    job_b = world["jobs"]["b_open"]
    with refused(world, access=True):
        tech.call("project.task", "message_subscribe", [job_b], partner_ids=[partner])
    assert tech.call("project.task", "search", [("id", "=", job_b)]) == []


@pytest.mark.parametrize("role", ["storekeeper", "approver", "manager", "inventory_admin"])
def test_quants_change_only_through_moves(world, role):
    """Odoo lets an Inventory user rewrite a quant when the call leaves out inventory
    mode: a van's stock set to 0, a quant moved to the branch shelf, stock created out
    of nothing. Every role is refused, and nothing changes (docs/API.md)."""
    admin, client = world["admin"], world["clients"][role]
    van_quant = admin.call(
        "stock.quant",
        "search",
        [("location_id", "=", world["vans"]["colleague"]), ("product_id", "=", world["cord"])],
    )
    assert len(van_quant) == 1
    for vals in ({"quantity": 0}, {"location_id": world["stock"]}, {"in_date": "2020-01-01"}):
        with refused(world, access=True, match="only through stock moves"):
            client.call("stock.quant", "write", van_quant, vals)
    with refused(world, access=True, match="only through stock moves"):
        client.call(
            "stock.quant",
            "create",
            {"product_id": world["cord"], "location_id": world["stock"], "quantity": 50},
        )
