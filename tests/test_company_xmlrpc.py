"""Company isolation over XML-RPC: the administrator creates a second company with its
own branch, region, technician, serial in the technician's van, stock count, loss
report and field job; the demo technician (john) and storekeeper (store), who work in
the first company, cannot read, search, name_search, group or export any of them
(they are given the export right for the test, so that the rules are what refuse)."""

import uuid
import xmlrpc.client

import pytest

C2_NAME = "ISP RPC Second Company"
ACCESS_ERROR = 4  # the XML-RPC fault code of odoo.exceptions.AccessError


def _get_or_create(admin, model, domain, values, context):
    found = admin.call(model, "search", domain, limit=1, context=context)
    return found[0] if found else admin.call(model, "create", values, context=context)


@pytest.fixture(scope="module")
def second_company(rpc):
    """The second company's id and {model: (id, name)} of its records (created as admin; the
    company, branch and technician are reused by a later run on the same database)."""
    admin = rpc()
    company_id = _get_or_create(
        admin, "res.company", [("name", "=", C2_NAME)], {"name": C2_NAME}, {}
    )
    own_companies = [
        company
        for company in admin.call("res.users", "read", [admin.uid], ["company_ids"])[0][
            "company_ids"
        ]
        if company != company_id
    ]
    admin.call("res.users", "write", [admin.uid], {"company_ids": [(4, company_id)]})
    ctx = {"allowed_company_ids": [company_id]}
    region_id = _get_or_create(
        admin,
        "isp.region",
        [("name", "=", "RPC Second Region")],
        {"name": "RPC Second Region", "company_id": company_id},
        ctx,
    )
    warehouse_id = _get_or_create(
        admin,
        "stock.warehouse",
        [("code", "=", "RPC2"), ("company_id", "=", company_id)],
        {
            "name": "RPC Second Branch",
            "code": "RPC2",
            "company_id": company_id,
            "isp_region_id": region_id,
        },
        ctx,
    )
    user_id = _get_or_create(
        admin,
        "res.users",
        [("login", "=", "isp_rpc_c2_tech")],
        {
            "name": "RPC Second Company Technician",
            "login": "isp_rpc_c2_tech",
            "company_id": company_id,
            "company_ids": [(6, 0, [company_id])],
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_technician")])],
        },
        ctx,
    )
    technician_id = _get_or_create(
        admin,
        "isp.technician",
        [("user_id", "=", user_id)],
        {"user_id": user_id, "warehouse_id": warehouse_id, "company_id": company_id},
        ctx,
    )
    van_id = admin.call(
        "isp.technician", "read", [technician_id], ["vehicle_location_id"], context=ctx
    )[0]["vehicle_location_id"][0]
    product_id = _get_or_create(
        admin,
        "product.product",
        [("name", "=", "RPC Second Company ONT"), ("company_id", "=", company_id)],
        {
            "name": "RPC Second Company ONT",
            "is_storable": True,
            "tracking": "serial",
            "company_id": company_id,
            "categ_id": admin.ref("isp_inventory.product_category_cpe"),
        },
        ctx,
    )
    serial = f"RPC-C2-{uuid.uuid4().hex[:8].upper()}"
    lot_id = admin.call(
        "stock.lot",
        "create",
        {"name": serial, "product_id": product_id, "company_id": company_id},
        context=ctx,
    )
    quant_ctx = dict(ctx, inventory_mode=True)
    quant_id = admin.call(
        "stock.quant",
        "create",
        {
            "product_id": product_id,
            "location_id": van_id,
            "lot_id": lot_id,
            "inventory_quantity": 1,
        },
        context=quant_ctx,
    )
    assert (
        admin.call("stock.quant", "action_apply_inventory", [quant_id], context=quant_ctx) is True
    )
    count_id = admin.call(
        "isp.stock.count", "create", {"technician_id": technician_id}, context=ctx
    )
    admin.call("isp.stock.count", "action_start", [count_id], context=ctx)
    report_id = admin.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": technician_id,
            "description": "RPC second company loss",
            "line_ids": [(0, 0, {"product_id": product_id, "lot_id": lot_id, "quantity": 1})],
        },
        context=ctx,
    )
    project_id = _get_or_create(
        admin,
        "project.project",
        [("name", "=", "RPC Second Company Jobs"), ("company_id", "=", company_id)],
        {
            "name": "RPC Second Company Jobs",
            "isp_is_field_service": True,
            "privacy_visibility": "followers",
            "company_id": company_id,
        },
        ctx,
    )
    job_name = f"RPC second company job {serial}"
    job_id = admin.call(
        "project.task",
        "create",
        {"name": job_name, "project_id": project_id, "isp_technician_id": technician_id},
        context=ctx,
    )

    def name(model, record_id):
        return admin.call(model, "read", [record_id], ["display_name"], context=ctx)[0][
            "display_name"
        ]

    records = [
        ("isp.region", region_id),
        ("stock.warehouse", warehouse_id),
        ("isp.technician", technician_id),
        ("stock.location", van_id),
        ("stock.lot", lot_id),
        ("isp.stock.count", count_id),
        ("isp.loss.report", report_id),
        ("project.task", job_id),
    ]
    # john and store may export for the test: an export must be refused by the rules
    export_group = admin.ref("base.group_allow_export")
    exporters = admin.call("res.users", "search", [("login", "in", ["john", "store"])])
    admin.call("res.users", "write", exporters, {"group_ids": [(4, export_group)]})
    yield {
        "company_id": company_id,
        "records": {model: (record_id, name(model, record_id)) for model, record_id in records},
    }
    # the demo users and the administrator are as before (the records stay)
    admin.call("res.users", "write", exporters, {"group_ids": [(3, export_group)]})
    admin.call("res.users", "write", [admin.uid], {"company_ids": [(6, 0, own_companies)]})


@pytest.mark.parametrize("login", ["john", "store"])
def test_first_company_users_see_nothing_of_the_second(rpc, second_company, login):
    user = rpc(login, login)
    company_id = second_company["company_id"]
    for model, (record_id, name) in second_company["records"].items():
        try:
            found = user.call(model, "search", [("id", "=", record_id)])
        except xmlrpc.client.Fault as fault:
            assert fault.faultCode == ACCESS_ERROR, fault.faultString
            continue  # no access to the model at all
        assert found == [], (login, model)
        assert record_id not in user.call(model, "search", []), (login, model)
        matches = user.call(model, "name_search", name)
        assert record_id not in [match[0] for match in matches], (login, model)
        groups = user.call(model, "formatted_read_group", [], ["company_id"], ["__count"])
        assert company_id not in [g["company_id"][0] for g in groups if g["company_id"]], (
            login,
            model,
        )
        for method, args in (("read", ["display_name"]), ("export_data", ["display_name"])):
            with pytest.raises(xmlrpc.client.Fault) as refused:
                user.call(model, method, [record_id], args)
            assert refused.value.faultCode == ACCESS_ERROR, (login, model, method)


def test_admin_sees_them_in_the_second_company(rpc, second_company):
    """The records exist (so the test above can fail): the administrator finds each of
    them once it works in the second company."""
    admin = rpc()
    ctx = {"allowed_company_ids": [second_company["company_id"]]}
    for model, (record_id, _name) in second_company["records"].items():
        assert admin.call(model, "search", [("id", "=", record_id)], context=ctx) == [record_id]
