"""A walk-in install on a phone: the technician picks the customer and the serial from
the van, 'Use my location' fills the GPS position from the browser, and the serial is
installed at the customer with that position."""

import uuid

import pytest
from conftest import (
    OUTPUT,
    new_phone_technician,
    new_product,
    pick_in_dialog,
    receive,
    signed_in_page,
)
from test_field_service_xmlrpc import _qty

NAIROBI_CBD = {"latitude": -1.2863889, "longitude": 36.8172222}


def test_walk_in_install_with_phone_gps(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt_type = new_phone_technician(admin, tag)
    ont = new_product(admin, f"Walk-in ONT {tag}", "cpe", tracking="serial")
    lot_name = f"WALKIN-{tag}"
    lot = admin.call("stock.lot", "create", {"name": lot_name, "product_id": ont})
    receive(admin, receipt_type, van, [(ont, 1, lot)])
    customer_name = f"Walk-in Customer {tag}"
    customer = admin.call("res.partner", "create", {"name": customer_name})

    page = signed_in_page(
        browser,
        odoo_url,
        odoo_db,
        login,
        geolocation=NAIROBI_CBD,
        permissions=["geolocation"],
    )
    page.goto(f"{odoo_url}/odoo/action-isp_inventory.isp_install_wizard_action")
    page.locator(".modal div[name=technician_id]").wait_for(timeout=60_000)
    pick_in_dialog(page, "partner_id", customer_name)
    pick_in_dialog(page, "lot_id", lot_name)
    page.click(".modal .o_isp_gps_button")
    latitude = page.locator(".modal div[name=latitude] input")
    page.wait_for_function(
        "el => parseFloat(el.value) !== 0", arg=latitude.element_handle(), timeout=30_000
    )
    page.screenshot(path=str(OUTPUT / "mobile-walk-in-install.png"))
    page.click(".modal button[name=action_install]")
    page.locator(".modal").wait_for(state="detached", timeout=60_000)
    page.context.close()

    installed = admin.call(
        "stock.lot",
        "read",
        [lot],
        ["isp_state", "isp_customer_id", "isp_installed_by_id", "isp_latitude", "isp_longitude"],
    )[0]
    assert installed["isp_state"] == "installed"
    assert installed["isp_customer_id"][0] == customer
    assert installed["isp_installed_by_id"][0] == tech
    assert installed["isp_latitude"] == pytest.approx(NAIROBI_CBD["latitude"], abs=1e-6)
    assert installed["isp_longitude"] == pytest.approx(NAIROBI_CBD["longitude"], abs=1e-6)
    assert _qty(admin, ont, van) == 0.0
