"""ISP reports over XML-RPC, as the real users: the manager reads the KPIs and the stock
aging report and finds them consistent with the stock on hand (stock.quant) read over the
same API; a technician is refused the KPIs and reads only their own consumption."""

import base64
import xmlrpc.client

import pytest
from conftest import web_menus


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc("admin", "admin")


@pytest.fixture(scope="module")
def john(rpc):
    return rpc("john", "john")


def _internal_quants(client, *domain):
    return client.call(
        "stock.quant",
        "search_read",
        [("location_id.usage", "=", "internal"), ("quantity", "!=", 0), *domain],
        fields=["product_id", "quantity", "location_id"],
    )


def test_kpis_and_aging_agree_with_the_quants(admin):
    kpis = admin.call("isp.kpi", "get_kpis")
    aging = admin.call(
        "isp.stock.aging.report",
        "search_read",
        [],
        fields=["product_id", "quantity", "value", "holder", "age_days", "age_bucket"],
    )
    quants = _internal_quants(admin)
    assert quants, "the demo database holds stock"
    # one aging row per quant on hand, same quantities
    assert len(aging) == len(quants)
    assert sum(r["quantity"] for r in aging) == pytest.approx(sum(q["quantity"] for q in quants))
    # rows are valued at the product's cost, in the right bucket
    product_ids = list({r["product_id"][0] for r in aging})
    costs = {
        p["id"]: p["standard_price"]
        for p in admin.call("product.product", "read", product_ids, ["standard_price"])
    }
    for row in aging:
        assert row["value"] == pytest.approx(row["quantity"] * costs[row["product_id"][0]])
        low, high = {"0_30": (0, 30), "31_90": (31, 90), "91_180": (91, 180)}.get(
            row["age_bucket"], (181, 10**6)
        )
        assert low <= row["age_days"] <= high
    # the KPIs are the same stock
    assert kpis["stock_value"] == pytest.approx(sum(r["value"] for r in aging))
    assert kpis["stock_value"] == pytest.approx(
        sum(line["value"] for line in kpis["stock_value_by_region"])
    )
    assert kpis["technician_stock_value"] == pytest.approx(
        sum(r["value"] for r in aging if r["holder"] in ("vehicle", "kit"))
    )
    quarantined = _internal_quants(admin, ("location_id.isp_role", "=", "quarantine"))
    assert kpis["quarantine_quantity"] == pytest.approx(sum(q["quantity"] for q in quarantined))
    for key in ("loss_value", "count_variance_value", "jobs_completed", "serials_installed"):
        assert key in kpis


def test_kpis_period_and_bad_input(admin):
    kpis = admin.call("isp.kpi", "get_kpis", "2001-01-01", "2001-12-31")
    assert (kpis["date_from"], kpis["date_to"]) == ("2001-01-01", "2001-12-31")
    assert kpis["jobs_completed"] == 0 and kpis["loss_value"] == 0
    with pytest.raises(xmlrpc.client.Fault, match="after it ends"):
        admin.call("isp.kpi", "get_kpis", date_from="2030-02-01", date_to="2030-01-01")


def test_technician_gets_no_kpis_and_only_own_consumption(john):
    with pytest.raises(xmlrpc.client.Fault, match="KPIs"):
        john.call("isp.kpi", "get_kpis")
    with pytest.raises(xmlrpc.client.Fault, match="AccessError|not allowed"):
        john.call("isp.stock.aging.report", "search_read", [], fields=["quantity"])
    rows = john.call(
        "isp.technician.consumption.report", "search_read", [], fields=["technician_user_id"]
    )
    assert rows, "John's demo jobs used materials"
    assert all(row["technician_user_id"][0] == john.uid for row in rows)
    losses = john.call("isp.loss.variance.report", "search_read", [], fields=["technician_user_id"])
    assert losses, "John's van was stocked"
    assert all(row["technician_user_id"][0] == john.uid for row in losses)


def test_technicians_reach_their_own_rows_from_the_phone_menu(odoo_url, odoo_db):
    john = web_menus(odoo_url, odoo_db, "john")
    root = john["isp_field_service.isp_field_service_menu_root"]["children"]
    for xmlid in (
        "isp_reports.isp_technician_consumption_report_menu_mine",
        "isp_reports.isp_loss_variance_report_menu_mine",
    ):
        assert john[xmlid]["id"] in root
    assert "isp_reports.menu_isp_reports" not in john


def test_fast_movers_ranking_and_management_pack(admin):
    """The API.md examples: fast movers ranked by quantity issued, an XLSX pack."""
    movers = admin.call(
        "isp.product.movement.report",
        "read_group",
        [],
        ["quantity:sum"],
        ["product_id"],
        orderby="quantity desc",
        lazy=False,
    )
    quantities = [group["quantity"] for group in movers]
    assert quantities == sorted(quantities, reverse=True)
    wizard_id = admin.call("isp.report.export.wizard", "create", {"report": "aging"})
    action = admin.call("isp.report.export.wizard", "action_export_xlsx", [wizard_id])
    assert action["type"] == "ir.actions.act_url"
    [data] = admin.call("isp.report.export.wizard", "read", [wizard_id], ["file_data", "file_name"])
    assert data["file_name"].endswith(".xlsx")
    assert base64.b64decode(data["file_data"])[:2] == b"PK"  # a zip: an XLSX workbook
