"""A technician scans a label on a 390 px phone: the Scan screen opens the serial."""

from conftest import OUTPUT, quiet_odoobot, signed_in_page
from playwright.sync_api import expect


def _john_serial(admin):
    """A demo serial that john holds (van or kit)."""
    tech = admin.call(
        "isp.technician",
        "read",
        [admin.ref("isp_inventory.tech_john_demo")],
        ["vehicle_location_id", "kit_location_id"],
    )[0]
    quants = admin.call(
        "stock.quant",
        "search_read",
        [
            ("location_id", "in", [tech["vehicle_location_id"][0], tech["kit_location_id"][0]]),
            ("lot_id", "!=", False),
            ("quantity", ">", 0),
        ],
        fields=["lot_id"],
        limit=1,
    )
    assert quants, "the demo data gives john serials in his van or kit"
    return quants[0]["lot_id"][1]


def test_technician_scans_a_serial_on_the_phone(rpc, browser, odoo_url, odoo_db):
    serial = _john_serial(rpc())
    quiet_odoobot(rpc(), "john")
    page = signed_in_page(browser, odoo_url, odoo_db, "john")
    page.goto(f"{odoo_url}/odoo/action-isp_inventory.isp_scan_action")
    code = page.locator("input.o_isp_scan_input")
    code.wait_for(timeout=60_000)
    expect(code).to_be_focused()

    # An unknown code: the message shows under the input, ready for the next scan.
    code.fill("NO-SUCH-LABEL")
    code.press("Enter")
    expect(page.locator(".o_isp_scan_error")).to_contain_text("Nothing matches NO-SUCH-LABEL")
    page.screenshot(path=str(OUTPUT / "mobile-scan-unknown.png"))

    # A keyboard-wedge scanner types the serial and presses Enter.
    code.fill(serial)
    code.press("Enter")
    # The serial opens read-only: a technician holds no right to edit serials.
    name = page.locator(".o_form_view div[name=name]")
    name.wait_for(timeout=60_000)
    expect(name).to_contain_text(serial)
    expect(page.locator(".o_form_view div[name=name] input")).to_have_count(0)
    page.screenshot(path=str(OUTPUT / "mobile-scan-serial.png"))
    page.context.close()
