"""The demo database `make run` serves: Odoo only warns when demo data fails to load, so
these checks make a broken demo file fail the test command."""

import pytest


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


def test_regions_branches_and_main_warehouse(admin):
    regions = admin.call(
        "isp.region",
        "search_read",
        [
            (
                "id",
                "in",
                [
                    admin.ref("isp_inventory.region_nairobi_demo"),
                    admin.ref("isp_inventory.region_mombasa_demo"),
                ],
            )
        ],
        fields=["name", "warehouse_ids"],
    )
    by_name = {r["name"]: len(r["warehouse_ids"]) for r in regions}
    assert by_name == {"Nairobi": 3, "Mombasa": 1}
    main = admin.call(
        "stock.warehouse", "search_read", [("isp_is_main", "=", True)], fields=["name"]
    )
    assert [w["name"] for w in main] == ["Nairobi Main Warehouse"]


def test_six_technicians_with_van_kit_template_and_stock(admin):
    technicians = admin.call(
        "isp.technician",
        "search_read",
        [("user_id.login", "in", ["john", "mary", "peter", "grace", "ali", "fatuma"])],
        fields=["vehicle_location_id", "kit_location_id", "kit_template_id", "stock_value"],
    )
    assert len(technicians) == 6
    for tech in technicians:
        assert tech["vehicle_location_id"] and tech["kit_location_id"]
        assert tech["kit_template_id"][1] == "Standard FTTH Kit"
        assert tech["stock_value"] > 0
        splicers_in_kit = admin.call(
            "stock.quant",
            "search_count",
            [
                ("location_id", "=", tech["kit_location_id"][0]),
                ("product_id.isp_item_class", "=", "tool"),
                ("quantity", "=", 1),
            ],
        )
        assert splicers_in_kit >= 3  # splicer, power meter, crimper


def test_lifecycle_and_approval_examples(admin):
    """Installed CPE, a faulty return in quarantine, a submitted loss report and an
    issuance waiting for approval, as the demo promises."""
    installed = admin.call(
        "stock.lot",
        "search_read",
        [("isp_state", "=", "installed"), ("isp_customer_id", "!=", False)],
        fields=["isp_installed_by_id", "isp_latitude"],
    )
    assert len(installed) >= 3
    assert all(lot["isp_installed_by_id"] for lot in installed)
    assert (
        admin.call(
            "stock.lot",
            "search_count",
            [("isp_state", "=", "faulty"), ("location_id.isp_role", "=", "quarantine")],
        )
        >= 1
    )
    assert admin.call("isp.loss.report", "search_count", [("state", "=", "submitted")]) >= 1
    assert (
        admin.call("stock.picking", "search_count", [("isp_approval_state", "=", "to_approve")])
        >= 1
    )


def test_demo_technician_can_sign_in(rpc):
    john = rpc("john", "john")
    assert john.uid


def test_stock_count_examples(admin):
    done = admin.call(
        "isp.stock.count",
        "read",
        [admin.ref("isp_inventory.stock_count_mary_demo")],
        ["state", "kind", "variance_value", "move_ids", "line_ids"],
    )[0]
    assert (done["state"], done["kind"]) == ("done", "monthly")
    assert done["variance_value"] != 0 and len(done["move_ids"]) == 2
    reasons = admin.call(
        "isp.stock.count.line",
        "search_read",
        [
            ("count_id", "=", admin.ref("isp_inventory.stock_count_mary_demo")),
            ("variance_qty", "!=", 0),
        ],
        fields=["reason"],
    )
    assert sorted(r["reason"] for r in reasons) == ["found", "unrecorded_use"]
    audit = admin.call(
        "isp.stock.count",
        "read",
        [admin.ref("isp_inventory.stock_count_peter_audit_demo")],
        ["state", "kind", "line_ids"],
    )[0]
    assert (audit["state"], audit["kind"]) == ("counting", "audit") and audit["line_ids"]
    branch_stock = admin.call(
        "stock.warehouse",
        "read",
        [admin.ref("isp_inventory.branch_westlands_demo")],
        ["lot_stock_id"],
    )[0]["lot_stock_id"][0]
    frequency = admin.call(
        "stock.location", "read", [branch_stock], ["cyclic_inventory_frequency"]
    )[0]["cyclic_inventory_frequency"]
    assert frequency == 30
