"""Every ISP screen opens for every role that has it in its menus, without an error
dialog (access errors included): each ISP menu's action and, for a list or kanban, the
form of its first record. Storekeeper and approver on a desktop, a technician on a phone,
in the real web client on the demo database."""

import pytest
from conftest import DESKTOP, OUTPUT, PHONE, quiet_odoobot, signed_in_page, web_menus
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROLES = [("store", DESKTOP), ("approver", DESKTOP), ("john", PHONE)]
ISP_ADDONS = ("isp_inventory.", "isp_field_service.", "isp_reports.")


def _isp_menu_actions(odoo_url, odoo_db, login):
    """{menu xmlid: action id} of the ISP menus this user sees."""
    menus = web_menus(odoo_url, odoo_db, login)
    return {
        xmlid: menu["actionID"]
        for xmlid, menu in sorted(menus.items())
        if xmlid.startswith(ISP_ADDONS) and menu.get("actionID")
    }


def _errors(page):
    dialogs = page.locator(".o_error_dialog")
    return [dialogs.nth(i).inner_text() for i in range(dialogs.count())]


def _settle(page, selector=".o_action_manager > .o_action, .modal, .o_error_dialog", timeout=60):
    """Wait for the web client to show `selector` (a view, a dialog or an error), then
    let pending RPCs finish (the bus keeps the network busy, so no 'networkidle')."""
    page.wait_for_selector(selector, timeout=timeout * 1000)
    page.wait_for_timeout(1_000)


@pytest.mark.parametrize("login,device", ROLES, ids=[login for login, _device in ROLES])
def test_every_isp_screen_opens(rpc, browser, odoo_url, odoo_db, login, device):
    quiet_odoobot(rpc(), login)
    actions = _isp_menu_actions(odoo_url, odoo_db, login)
    assert actions, f"{login} sees ISP menus"
    page = signed_in_page(browser, odoo_url, odoo_db, login, device=device)
    failures, unopened, opened_forms = [], [], 0
    for xmlid, action in actions.items():
        page.goto(f"{odoo_url}/odoo/action-{action}")
        _settle(page)
        errors = _errors(page)
        if errors:
            failures.append(f"{xmlid}: {errors[0][:300]}")
            continue
        first = page.locator(
            ".o_action_manager .o_data_row .o_data_cell, "
            ".o_action_manager .o_kanban_record:not(.o_kanban_ghost)"
        ).first
        if page.locator(".modal").count() or not first.count():
            continue  # a wizard or an empty list: nothing more to open
        first.click()
        try:
            _settle(page, ".o_form_view, .o_error_dialog, .modal", timeout=10)
        except PlaywrightTimeout:
            unopened.append(xmlid)  # an editable list, a grouped report: no form to open
            continue
        errors = _errors(page)
        if errors:
            failures.append(f"{xmlid} (first record): {errors[0][:300]}")
        elif page.locator(".o_form_view").count():
            opened_forms += 1
    page.screenshot(path=str(OUTPUT / f"screens-{login}.png"))
    (OUTPUT / f"screens-{login}.txt").write_text(
        f"{len(actions)} ISP screens, {opened_forms} record forms opened; "
        f"first row opened no form: {', '.join(unopened) or 'none'}\n"
    )
    page.context.close()
    assert not failures, "\n".join(failures)
    assert opened_forms, f"{login} opened at least one record's form"
