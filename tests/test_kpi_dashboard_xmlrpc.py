"""The KPI dashboard over XML-RPC and in the web client, on the demo database: the
manager (admin) and the storekeeper read the new KPIs with sane values, the demo's
year of history gives a non-zero trend, a technician is refused; the dashboard client
action renders its cards on a desktop and on a 390 px phone (one column there), and a
card opens its report."""

import xmlrpc.client

import pytest
from conftest import DESKTOP, OUTPUT, PHONE, quiet_odoobot, signed_in_page

NEW_KEYS = (
    "inventory_turnover",
    "days_of_stock",
    "consumed_value",
    "average_stock_value",
    "turnover_by_region",
    "turnover_by_branch",
    "turnover_by_item_class",
    "first_time_fix_days",
    "first_time_fix_jobs",
    "first_time_fix_count",
    "first_time_fix_rate",
    "cpe_utilisation",
    "cpe_utilisation_by_product",
    "forecast_mape",
    "forecast_mape_by_product",
    "stock_out_incidents",
    "stock_out_lines",
    "stock_out_by_branch",
)


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc("admin", "admin")


@pytest.fixture(scope="module")
def store(rpc):
    return rpc("store", "store")


@pytest.fixture(scope="module")
def john(rpc):
    return rpc("john", "john")


def _year(client):
    """The KPIs of the demo's last 12 months (the history ends today)."""
    board = client.call("isp.kpi", "get_dashboard")
    first = board["trend"][0]["month"] + "-01"
    return client.call("isp.kpi", "get_kpis", first, board["kpis"]["date_to"]), board


@pytest.mark.parametrize("login", ["admin", "store"])
def test_new_kpis_over_xmlrpc(rpc, login):
    client = rpc(login, login)
    kpis, board = _year(client)
    for key in NEW_KEYS:
        assert key in kpis, key
    assert kpis["consumed_value"] > 0 and kpis["average_stock_value"] > 0
    assert kpis["inventory_turnover"] == pytest.approx(
        kpis["consumed_value"] / kpis["average_stock_value"]
    )
    assert kpis["days_of_stock"] > 0
    assert kpis["first_time_fix_days"] == 14
    assert 0 < kpis["first_time_fix_count"] <= kpis["first_time_fix_jobs"]
    assert 0 < kpis["first_time_fix_rate"] < 100, "the demo has follow-up jobs"
    assert 0 < kpis["cpe_utilisation"] < 100
    assert kpis["cpe_utilisation_by_product"] and all(
        0 <= line["installed"] <= line["total"] for line in kpis["cpe_utilisation_by_product"]
    )
    assert kpis["forecast_mape"] > 0 and kpis["forecast_mape_by_product"]
    assert kpis["stock_out_incidents"] > 0
    assert kpis["stock_out_lines"] >= kpis["stock_out_incidents"]
    assert sum(b["incidents"] for b in kpis["stock_out_by_branch"]) == kpis["stock_out_incidents"]
    assert sum(r["consumed_value"] for r in kpis["turnover_by_region"]) == pytest.approx(
        kpis["consumed_value"]
    )
    assert sum(b["consumed_value"] for b in kpis["turnover_by_branch"]) == pytest.approx(
        kpis["consumed_value"]
    )
    # the trend: 12 months, each with activity in the demo's year of history
    assert len(board["trend"]) == 12
    assert all(month["consumed_value"] > 0 for month in board["trend"]), board["trend"]
    assert all(month["jobs"] > 0 for month in board["trend"]), board["trend"]
    assert sum(month["consumed_value"] for month in board["trend"]) == pytest.approx(
        kpis["consumed_value"]
    )


def test_dashboard_filters_by_branch_and_drills_down(admin):
    board = admin.call("isp.kpi", "get_dashboard")
    branch = board["kpis"]["turnover_by_branch"][0]
    filtered = admin.call("isp.kpi", "get_dashboard", warehouse_id=branch["warehouse_id"])
    assert filtered["kpis"]["consumed_value"] == pytest.approx(branch["consumed_value"])
    drill = filtered["drilldown"]["turnover"]
    [total] = admin.call(
        drill["res_model"], "formatted_read_group", drill["domain"], [], ["consumed_value:sum"]
    )
    assert total["consumed_value:sum"] == pytest.approx(branch["consumed_value"])


def test_technician_is_refused(john):
    for method in ("get_kpis", "get_dashboard"):
        with pytest.raises(xmlrpc.client.Fault, match="KPIs"):
            john.call("isp.kpi", method)
    for model in ("isp.stock.month.report", "isp.first.time.fix.report", "isp.stock.out.report"):
        with pytest.raises(xmlrpc.client.Fault, match="AccessError|not allowed"):
            john.call(model, "search_read", [], fields=["id"])


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_dashboard_renders_cards(rpc, browser, odoo_url, odoo_db, device):
    admin = rpc("admin", "admin")
    quiet_odoobot(admin, "store")
    action = admin.ref("isp_reports.isp_kpi_dashboard_action")
    page = signed_in_page(browser, odoo_url, odoo_db, "store", device=device)
    try:
        page.goto(f"{odoo_url}/odoo/action-{action}")
        page.wait_for_selector(".o_isp_kpi_dashboard .o_isp_kpi_card", timeout=60_000)
        cards = page.locator(".o_isp_kpi_card")
        assert cards.count() == 8
        assert page.locator(".o_isp_kpi_trend tbody tr").count() == 12
        assert not page.locator(".o_error_dialog").count()
        boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
        width = device["viewport"]["width"]
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= width + 1 for box in boxes)
        columns = len({round(box["x"]) for box in boxes})
        assert columns == 1 if device is PHONE else columns > 1
        page.screenshot(path=str(OUTPUT / f"kpi_dashboard_{width}.png"), full_page=True)
        page.locator(".o_isp_kpi_card_first_time_fix").click()
        page.wait_for_selector(".o_list_view, .o_pivot_view", timeout=30_000)
        assert "First-Time Fix" in page.locator(".o_breadcrumb").inner_text()
    finally:
        page.context.close()
