"""A CPE swap on a phone: the technician opens "Swap CPE", scans the faulty serial (which
fills the customer, position and OLT port), picks the new serial from the van, types the
rx power and swaps; the old unit lands in the branch quarantine, the new one at the
customer."""

import re
import uuid

from conftest import (
    OUTPUT,
    new_phone_technician,
    new_product,
    open_job,
    pick_in_dialog,
    receive,
    signed_in_page,
)
from playwright.sync_api import expect
from test_field_service_xmlrpc import _qty


def test_phone_swap(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt_type = new_phone_technician(admin, tag)
    ont = new_product(admin, f"Swap ONT {tag}", "cpe", tracking="serial")
    old_name, new_name = f"SWAPOLD-{tag}", f"SWAPNEW-{tag}"
    old, new = (
        admin.call("stock.lot", "create", {"name": name, "product_id": ont})
        for name in (old_name, new_name)
    )
    receive(admin, receipt_type, van, [(ont, 1, old), (ont, 1, new)])
    customer_name = f"Swap Customer {tag}"
    customer = admin.call("res.partner", "create", {"name": customer_name})
    open_job(admin, tech, customer, name=f"Swap call {tag}")
    rpc(login, login).call(
        "stock.lot",
        "action_isp_install",
        [old],
        tech,
        customer,
        latitude=-1.2863889,
        longitude=36.8172222,
        olt_port="OLT-PHN-01 0/2/4",
    )

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.goto(f"{odoo_url}/odoo/action-isp_inventory.isp_swap_wizard_action")
    page.locator(".modal div[name=technician_id]").wait_for(timeout=60_000)
    pick_in_dialog(page, "old_lot_id", old_name)
    expect(page.locator(".modal div[name=partner_id] input").first).to_have_value(
        re.compile(re.escape(customer_name)), timeout=30_000
    )
    expect(page.locator(".modal div[name=olt_port] input")).to_have_value("OLT-PHN-01 0/2/4")
    pick_in_dialog(page, "new_lot_id", new_name)
    page.locator(".modal div[name=rx_power_dbm] input").fill("-19.5")
    page.locator(".modal div[name=reason] input").fill("No optical signal")
    page.screenshot(path=str(OUTPUT / "mobile-swap.png"))
    page.click(".modal button[name=action_swap]")
    page.locator(".modal").wait_for(state="detached", timeout=60_000)
    page.context.close()

    lots = {
        lot["id"]: lot
        for lot in admin.call(
            "stock.lot",
            "read",
            [old, new],
            ["isp_state", "isp_customer_id", "isp_latitude", "isp_rx_power_dbm", "isp_olt_port"],
        )
    }
    assert lots[old]["isp_state"] == "faulty"
    assert lots[old]["isp_customer_id"] is False
    assert lots[new]["isp_state"] == "installed"
    assert lots[new]["isp_customer_id"][0] == customer
    assert lots[new]["isp_latitude"] == -1.2863889
    assert lots[new]["isp_rx_power_dbm"] == -19.5
    assert lots[new]["isp_olt_port"] == "OLT-PHN-01 0/2/4"
    assert _qty(admin, ont, van) == 0.0
