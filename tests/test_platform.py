"""The product as a user meets it: a real server, XML-RPC and a real browser."""

import uuid

from conftest import DESKTOP, OUTPUT, signed_in_page

ISP_ADDONS = ["isp_inventory", "isp_field_service", "isp_reports"]


def test_three_addons_installed_over_xmlrpc(rpc):
    admin = rpc()
    modules = admin.call(
        "ir.module.module",
        "search_read",
        [("name", "in", ISP_ADDONS)],
        fields=["name", "state", "latest_version"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(ISP_ADDONS, "installed")
    assert all(m["latest_version"].startswith("19.0.") for m in modules)


def test_technicians_in_inventory_app_in_browser(rpc, browser, odoo_url, odoo_db):
    """Log in, open Inventory from the apps menu, then Field Stock › Technicians."""
    admin = rpc()
    name = f"Browser Smoke Tech {uuid.uuid4().hex[:6]}"
    user_id = admin.call("res.users", "create", {"name": name, "login": name.lower()})
    warehouse_id = admin.call("stock.warehouse", "search", [], limit=1)[0]
    admin.call("isp.technician", "create", {"user_id": user_id, "warehouse_id": warehouse_id})

    page = signed_in_page(browser, odoo_url, odoo_db, "admin", device=DESKTOP)
    page.click(".o_navbar_apps_menu button")
    page.click(".o_app[data-menu-xmlid='stock.menu_stock_root']")
    page.wait_for_selector(".o_menu_brand:text-is('Inventory')", timeout=60_000)
    page.click(".o_main_navbar button:has-text('Field Stock')")
    page.click(".dropdown-item:has-text('Technicians')")
    # Technicians open as cards (flags as badges, allowance bars)
    page.wait_for_selector(".o_kanban_view .o_kanban_record", timeout=60_000)
    page.locator(".o_kanban_record", has_text=name).wait_for(timeout=60_000)
    page.screenshot(path=str(OUTPUT / "inventory-technicians.png"))
    page.context.close()
