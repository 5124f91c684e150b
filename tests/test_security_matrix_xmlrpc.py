"""docs/SECURITY.md, the read column: which records each role sees of every ISP model
and of the stock documents, by search, read, name_search, export and grouped reads,
over XML-RPC and JSON-RPC, including another company's records."""

import uuid
import xmlrpc.client

import pytest
from conftest import FAULT_ACCESS_ERROR, FAULT_USER_ERROR, receive
from conftest import jsonrpc as jsonrpc_call

OFFICE = ("storekeeper", "approver", "manager")
ALL_ROLES = (
    "technician",
    "storekeeper",
    "approver",
    "manager",
    "inventory_admin",
    "internal",
    "portal",
)


@pytest.fixture(scope="module")
def world(security_world):
    """The security world plus, read as admin, the ids each read cell looks at."""
    w = dict(security_world)
    admin = w["admin"]
    products = [w["cord"], w["ont"]]
    w["quants"] = {
        holder: admin.call(
            "stock.quant",
            "search",
            [("location_id", "=", location), ("product_id", "in", products)],
        )
        for holder, location in (
            ("a", w["vans"]["technician"]),
            ("b", w["vans"]["colleague"]),
            ("store", w["stock"]),
        )
    }
    w["moves"] = {
        key: admin.call("stock.move", "search", [("picking_id", "=", w["pickings"][key])])
        for key in ("a_request", "b_request")
    }
    return w


def _records(w, model):
    """{key: [ids]} of the world's records of `model` the read cells look at."""
    lots, jobs, losses, techs = w["lots"], w["jobs"], w["losses"], w["techs"]
    return {
        "isp.technician": {
            "a": [techs["technician"]],
            "b": [techs["colleague"]],
            "at": [techs["approver_tech"]],
        },
        "stock.quant": {k: v for k, v in w["quants"].items()},
        "stock.picking": {"a": [w["pickings"]["a_request"]], "b": [w["pickings"]["b_request"]]},
        "stock.move": {"a": w["moves"]["a_request"], "b": w["moves"]["b_request"]},
        "stock.lot": {
            "a": [lots["a1"], lots["a2"]],
            "b": [lots["b1"]],
            "installed": [lots["b_installed"]],
            "store": [lots["store1"], lots["store2"]],
        },
        "project.task": {
            "a": [jobs["a_open"], jobs["a_done"]],
            "b": [jobs["b_open"]],
        },
        "isp.loss.report": {
            "a": [losses["a_draft"]],
            "b": [losses["b_draft"], losses["b_submitted"]],
        },
        "isp.stock.count": {"b": [w["count_b"]]},
    }[model]


# What each role sees of the world's records (keys of _records); "*" = all of them.
SEES = {
    "technician": {
        "isp.technician": {"a"},
        "stock.quant": {"a"},
        "stock.picking": {"a"},
        "stock.move": {"a"},
        # his van and kit, installed by him, or at the customer of one of his jobs: not
        # a serial the colleague installed at the colleague's customer
        "stock.lot": {"a"},
        "project.task": {"a"},
        "isp.loss.report": {"a"},
        "isp.stock.count": set(),
    },
    "storekeeper": dict.fromkeys(
        [
            "isp.technician",
            "stock.quant",
            "stock.picking",
            "stock.move",
            "stock.lot",
            "project.task",
            "isp.loss.report",
            "isp.stock.count",
        ],
        "*",
    ),
    # Odoo's stock rights and the technicians holding vans; ISP documents not (no ISP role)
    "inventory_admin": {
        "isp.technician": "*",
        "stock.quant": "*",
        "stock.picking": "*",
        "stock.move": "*",
        "stock.lot": "*",
        "project.task": set(),
        "isp.loss.report": set(),
        "isp.stock.count": set(),
    },
    # Odoo gives every employee the quants; nothing of the ISP
    "internal": {
        "isp.technician": set(),
        "stock.quant": "*",
        "stock.picking": set(),
        "stock.move": set(),
        "stock.lot": set(),
        "project.task": set(),
        "isp.loss.report": set(),
        "isp.stock.count": set(),
    },
    "portal": dict.fromkeys(
        [
            "isp.technician",
            "stock.quant",
            "stock.picking",
            "stock.move",
            "stock.lot",
            "project.task",
            "isp.loss.report",
            "isp.stock.count",
        ],
        set(),
    ),
}
SEES["approver"] = SEES["manager"] = SEES["storekeeper"]
READ_CELLS = [(role, model) for role in SEES for model in SEES[role]]


def _visible(client, model, ids):
    """The ids among `ids` the client finds by search (none when it has no access)."""
    try:
        return set(client.call(model, "search", [("id", "in", ids)]))
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == FAULT_ACCESS_ERROR, fault.faultString
        return set()


@pytest.mark.parametrize(("role", "model"), READ_CELLS)
def test_read_cell(world, role, model):
    client = world["clients"][role]
    records = _records(world, model)
    seen_keys = set(records) if SEES[role][model] == "*" else SEES[role][model]
    everything = [i for ids in records.values() for i in ids]
    expected = {i for key in seen_keys for i in records[key]}
    assert _visible(client, model, everything) == expected
    hidden = sorted(set(everything) - expected)
    if hidden:
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call(model, "read", hidden, ["display_name"])
        assert fault.value.faultCode in (FAULT_USER_ERROR, FAULT_ACCESS_ERROR)
    if expected:
        assert {r["id"] for r in client.call(model, "read", sorted(expected), ["id"])} == expected


def test_technician_sees_serials_at_his_jobs_customers(world):
    """A unit the colleague installed at a customer of one of technician A's jobs is
    visible to A (he may have to take it back or swap it there)."""
    admin, tag = world["admin"], uuid.uuid4().hex[:6]
    lot = admin.call("stock.lot", "create", {"name": f"MX-at-a-{tag}", "product_id": world["ont"]})
    receive(admin, world["receipt_type"], world["vans"]["colleague"], [(world["ont"], 1, lot)])
    admin.call(
        "stock.lot",
        "action_isp_install",
        [lot],
        world["techs"]["colleague"],
        world["customers"]["technician"],
    )
    tech = world["clients"]["technician"]
    assert tech.call("stock.lot", "search", [("id", "=", lot)]) == [lot]
    assert _visible(world["clients"]["colleague"], "stock.lot", [lot]) == {lot}


CATALOGUE = ["isp.region", "isp.kit.template", "isp.job.type", "product.product"]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", CATALOGUE)
def test_catalogue_readable_by_employees_only(world, role, model):
    client = world["clients"][role]
    if role == "portal":
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call(model, "search_read", [], fields=["display_name"], limit=1)
        assert fault.value.faultCode == FAULT_ACCESS_ERROR
    else:
        assert client.call(model, "search_count", []) >= 1


REPORTS = [
    "isp.stock.region.report",
    "isp.stock.aging.report",
    "isp.product.movement.report",
    "isp.installation.cost.report",
    "isp.stock.month.report",
    "isp.stock.flow.month.report",
    "isp.first.time.fix.report",
    "isp.stock.out.report",
    "isp.cpe.utilisation.report",
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", REPORTS)
def test_management_reports_office_only(world, role, model):
    client = world["clients"][role]
    if role in OFFICE:
        client.call(model, "search_read", [], fields=["id"], limit=1)
        return
    with pytest.raises(xmlrpc.client.Fault) as fault:
        client.call(model, "search_read", [], fields=["id"], limit=1)
    assert fault.value.faultCode == FAULT_ACCESS_ERROR


@pytest.mark.parametrize("role", ALL_ROLES)
def test_kpis_office_only(world, role):
    client = world["clients"][role]
    if role in OFFICE:
        assert "stock_value" in client.call("isp.kpi", "get_kpis")
        assert "trend" in client.call("isp.kpi", "get_dashboard")
        return
    for method in ("get_kpis", "get_dashboard"):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call("isp.kpi", method)
        assert fault.value.faultCode == FAULT_ACCESS_ERROR


# ------------------------------------------------------------------------------------
# name_search, export_data, grouped reads: nothing more than search shows
# ------------------------------------------------------------------------------------
def _names(world, model, ids):
    return [r["display_name"] for r in world["admin"].call(model, "read", ids, ["display_name"])]


NAME_SEARCH_CELLS = [
    ("stock.lot", lambda w: [w["lots"]["b1"], w["lots"]["store1"]]),
    ("isp.technician", lambda w: [w["techs"]["colleague"]]),
    ("project.task", lambda w: [w["jobs"]["b_open"]]),
    ("isp.loss.report", lambda w: w["losses"]["b_draft"] and [w["losses"]["b_draft"]]),
    ("stock.picking", lambda w: [w["pickings"]["b_request"]]),
]


@pytest.mark.parametrize(("model", "ids"), NAME_SEARCH_CELLS, ids=[m for m, _ in NAME_SEARCH_CELLS])
def test_technician_name_search_finds_no_colleague_record(world, model, ids):
    tech = world["clients"]["technician"]
    for name in _names(world, model, ids(world)):
        found = tech.call(model, "name_search", name, operator="=")
        assert found == [], f"{model} {name}: {found}"


def jsonrpc(world, role, model, method, *args, **kwargs):
    """execute_kw over /jsonrpc as the role: (result, error name or None)."""
    return jsonrpc_call(world["url"], world["clients"][role], model, method, *args, **kwargs)


EXPORT_CELLS = [
    ("stock.quant", lambda w: w["quants"]["b"], ["product_id", "quantity"]),
    ("stock.lot", lambda w: [w["lots"]["b1"]], ["name", "product_id"]),
    ("project.task", lambda w: [w["jobs"]["b_open"]], ["name", "partner_id"]),
    ("isp.loss.report", lambda w: [w["losses"]["b_draft"]], ["name", "description"]),
    ("isp.stock.count", lambda w: [w["count_b"]], ["name", "state"]),
    ("isp.technician", lambda w: [w["techs"]["colleague"]], ["name", "stock_value"]),
]


@pytest.mark.parametrize("role", ["technician", "internal", "portal"])
@pytest.mark.parametrize(("model", "ids", "fields"), EXPORT_CELLS, ids=[c[0] for c in EXPORT_CELLS])
def test_export_of_others_records_refused_jsonrpc(world, role, model, ids, fields):
    """Internal roles may export (base.group_allow_export) what they may read, no more;
    a portal user may not export at all."""
    ids = ids(world)
    result, error = jsonrpc(world, role, model, "export_data", ids, fields)
    if SEES[role][model] == "*":  # e.g. every employee reads the quants (Odoo)
        assert error is None and len(result["datas"]) == len(ids), (result, error)
        return
    refusals = {"odoo.exceptions.AccessError"}
    if role == "portal":
        refusals.add("odoo.exceptions.UserError")  # "You don't have the rights to export"
    assert error in refusals, (result, error)


def test_export_of_own_records_jsonrpc(world):
    result, error = jsonrpc(
        world,
        "technician",
        "stock.quant",
        "export_data",
        world["quants"]["a"],
        ["product_id", "quantity"],
    )
    assert error is None
    assert len(result["datas"]) == len(world["quants"]["a"])


GROUP_CELLS = [
    ("stock.quant", "location_id", lambda w: w["vans"]["colleague"]),
    ("stock.picking", "location_dest_id", lambda w: w["vans"]["colleague"]),
    ("stock.move", "location_dest_id", lambda w: w["vans"]["colleague"]),
    ("project.task", "isp_technician_id", lambda w: w["techs"]["colleague"]),
    ("isp.loss.report", "technician_id", lambda w: w["techs"]["colleague"]),
]


def _group_counts(groups, groupby):
    return {
        (g[groupby][0] if g[groupby] else False): g.get("__count", g.get(f"{groupby}_count"))
        for g in groups
    }


@pytest.mark.parametrize(
    ("model", "groupby", "colleague"), GROUP_CELLS, ids=[c[0] for c in GROUP_CELLS]
)
def test_technician_grouped_reads_count_only_what_he_reads(world, model, groupby, colleague):
    """read_group (JSON-RPC), formatted_read_group and web_read_group (XML-RPC) count
    exactly the records his search finds, and never the colleague's group."""
    tech = world["clients"]["technician"]
    readable = tech.call(model, "search_read", [], fields=[groupby])
    expected = {}
    for record in readable:
        key = record[groupby][0] if record[groupby] else False
        expected[key] = expected.get(key, 0) + 1
    assert colleague(world) not in expected
    result, error = jsonrpc(world, "technician", model, "read_group", [], [groupby], [groupby])
    assert error is None, error
    assert _group_counts(result, groupby) == expected
    formatted = tech.call(model, "formatted_read_group", [], [groupby], ["__count"])
    assert _group_counts(formatted, groupby) == expected
    web = tech.call(model, "web_read_group", [], [groupby], ["__count"])
    assert _group_counts(web["groups"], groupby) == expected


@pytest.mark.parametrize("role", ["internal", "portal"])
@pytest.mark.parametrize("model", ["isp.loss.report", "project.task", "isp.stock.count"])
def test_grouped_reads_refused_without_rights_jsonrpc(world, role, model):
    domain = [("project_id.isp_is_field_service", "=", True)] if model == "project.task" else []
    result, error = jsonrpc(
        world, role, model, "read_group", domain, ["company_id"], ["company_id"]
    )
    if error is None:
        # allowed to call (tasks of Odoo's own projects) but no field job counted
        assert result == [], result
    else:
        assert error == "odoo.exceptions.AccessError"


# ------------------------------------------------------------------------------------
# Another company's records
# ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def other_company(world):
    """A second company with a branch, a technician holding a serial in his van and a
    loss report, created as admin in that company."""
    admin, tag = world["admin"], uuid.uuid4().hex[:6]
    company = admin.call("res.company", "create", {"name": f"Matrix Co2 {tag}"})
    admin.call("res.users", "write", [admin.uid], {"company_ids": [(4, company)]})
    ctx = {"allowed_company_ids": [company], "company_id": company}
    warehouses = admin.call(
        "stock.warehouse", "search", [("company_id", "=", company)], context=ctx
    ) or [
        admin.call(
            "stock.warehouse",
            "create",
            {"name": f"Co2 Branch {tag}", "code": f"C{tag[:4]}", "company_id": company},
            context=ctx,
        )
    ]
    user = admin.call(
        "res.users",
        "create",
        {
            "name": f"Matrix Co2 Tech {tag}",
            "login": f"co2_{tag}",
            "password": f"co2_{tag}",
            "company_id": company,
            "company_ids": [(6, 0, [company])],
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_technician")])],
        },
        context=ctx,
    )
    tech = admin.call(
        "isp.technician", "create", {"user_id": user, "warehouse_id": warehouses[0]}, context=ctx
    )
    lot = admin.call(
        "stock.lot",
        "create",
        {"name": f"MX-CO2-{tag}", "product_id": world["ont"], "company_id": company},
        context=ctx,
    )
    report = admin.call(
        "isp.loss.report",
        "create",
        {"technician_id": tech, "description": "Co2 loss", "loss_type": "lost"},
        context=ctx,
    )
    records = {"stock.lot": [lot], "isp.technician": [tech], "isp.loss.report": [report]}
    return {
        model: (
            ids,
            [
                r["display_name"]
                for r in admin.call(model, "read", ids, ["display_name"], context=ctx)
            ],
        )
        for model, ids in records.items()
    }


@pytest.mark.parametrize("role", ["technician", "storekeeper", "approver", "manager"])
@pytest.mark.parametrize("model", ["stock.lot", "isp.technician", "isp.loss.report"])
def test_other_company_records_invisible(world, other_company, role, model):
    client, (ids, names) = world["clients"][role], other_company[model]
    assert _visible(client, model, ids) == set()
    for name in names:
        assert client.call(model, "name_search", name, operator="=") == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        client.call(model, "read", ids, ["display_name"])
    assert fault.value.faultCode in (FAULT_USER_ERROR, FAULT_ACCESS_ERROR)


# Refurbishment (issue 12 point 3): the store's work; no technician, plain employee,
# Inventory Administrator without an ISP role or portal user reads it.
REFURBISHMENT_READERS = ("storekeeper", "approver", "manager")


@pytest.fixture(scope="module")
def refurbishment(world):
    """A unit the colleague installed, taken back for churn into refurbishment."""
    admin, tag = world["admin"], uuid.uuid4().hex[:6]
    lot = admin.call("stock.lot", "create", {"name": f"MX-rf-{tag}", "product_id": world["ont"]})
    receive(admin, world["receipt_type"], world["vans"]["colleague"], [(world["ont"], 1, lot)])
    colleague, customer = world["techs"]["colleague"], world["customers"]["colleague"]
    admin.call("stock.lot", "action_isp_install", [lot], colleague, customer)
    admin.call("stock.lot", "action_isp_take_back", [lot], colleague, customer, refurbish=True)
    [record] = admin.call("isp.refurbishment", "search", [("lot_id", "=", lot)])
    return record


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", ["isp.refurbishment", "isp.refurbishment.report"])
def test_refurbishment_read_cell(world, refurbishment, role, model):
    client = world["clients"][role]
    if model == "isp.refurbishment":
        expected = {refurbishment} if role in REFURBISHMENT_READERS else set()
        assert _visible(client, model, [refurbishment]) == expected
        return
    try:
        client.call(model, "search", [], limit=1)
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == FAULT_ACCESS_ERROR, fault.faultString
        assert role not in REFURBISHMENT_READERS
    else:
        assert role in REFURBISHMENT_READERS
