"""Every ISP and Inventory screen opens for every role that has it in its menus, without
an error dialog (access errors included): each menu's action and, for an ISP list or
kanban, the form of its first record. Storekeeper, branch storekeeper (Amina, Mombasa only) and
approver on a desktop, a technician on a phone, in the real web client on the demo
database.

Then the screens of issue 13, each on records of its own: the technician's phone in the
ISP's words (home on My Jobs, a request ends on its read-only card, Complete first on a
job in progress, no button he may not use, usage and losses as cards) and the desk
(the storekeeper's queue, the approver's list, the technicians' kanban)."""

import uuid

import pytest
from conftest import (
    DESKTOP,
    OUTPUT,
    PHONE,
    new_phone_technician,
    new_product,
    pick_in_dialog,
    quiet_odoobot,
    receive,
    signed_in_page,
    web_menus,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROLES = [
    ("store", DESKTOP),
    ("store_mombasa", DESKTOP),
    ("approver", DESKTOP),
    ("john", PHONE),
]
ISP_ADDONS = ("isp_inventory.", "isp_field_service.", "isp_reports.")
# the ISP menus and Odoo's Inventory menus (transfers, moves, serials, counts, scrap):
# Odoo's are opened (their lists read every column, hidden ones included), ours also
# open their first record
SWEPT_MENUS = (*ISP_ADDONS, "stock.")


def _isp_menu_actions(odoo_url, odoo_db, login):
    """{menu xmlid: action id} of the ISP and Inventory menus this user sees."""
    menus = web_menus(odoo_url, odoo_db, login)
    return {
        xmlid: menu["actionID"]
        for xmlid, menu in sorted(menus.items())
        if xmlid.startswith(SWEPT_MENUS) and menu.get("actionID")
    }


def _errors(page):
    dialogs = page.locator(".o_error_dialog")
    return [dialogs.nth(i).inner_text() for i in range(dialogs.count())]


# Counts the page's XHR and fetch calls in flight (the web client's RPCs; an aborted one
# ends too, with "loadend"); the bus uses a websocket, not these.
COUNT_RPCS = """
(() => {
    window.__ispPending = 0;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
        window.__ispPending++;
        this.addEventListener("loadend", () => window.__ispPending--, { once: true });
        return send.apply(this, args);
    };
    const fetch = window.fetch;
    window.fetch = function (...args) {
        window.__ispPending++;
        return fetch.apply(this, args).finally(() => window.__ispPending--);
    };
})();
"""


def _count_rpcs(page):
    """Have every document the page loads from now on count its RPCs (see _settle)."""
    page.context.add_init_script(COUNT_RPCS)


def _settle(
    page,
    selector=".o_action_manager > .o_action, .modal, .o_error_dialog",
    timeout=60,
    counted=False,
):
    """Wait for the web client to show `selector` (a view, a dialog or an error), then
    let its RPCs finish: when the page counts them (`counted`, see _count_rpcs) until
    none has been in flight for 300 ms (at most 30 s), else for a fixed second (the bus
    keeps the network busy, so no 'networkidle')."""
    page.wait_for_selector(selector, timeout=timeout * 1000)
    if not counted:
        page.wait_for_timeout(1_000)
        return
    quiet = waited = 0
    while quiet < 300 and waited < 30_000:
        page.wait_for_timeout(50)
        waited += 50
        quiet = 0 if page.evaluate("window.__ispPending || 0") else quiet + 50


@pytest.mark.parametrize("login,device", ROLES, ids=[login for login, _device in ROLES])
def test_every_isp_screen_opens(rpc, browser, odoo_url, odoo_db, login, device):
    quiet_odoobot(rpc(), login)
    actions = _isp_menu_actions(odoo_url, odoo_db, login)
    assert actions, f"{login} sees ISP menus"
    page = signed_in_page(browser, odoo_url, odoo_db, login, device=device)
    _count_rpcs(page)
    failures, unopened, opened_forms = [], [], 0
    for xmlid, action in actions.items():
        page.goto(f"{odoo_url}/odoo/action-{action}")
        _settle(page, counted=True)
        errors = _errors(page)
        if errors:
            failures.append(f"{xmlid}: {errors[0][:300]}")
            continue
        first = page.locator(
            ".o_action_manager .o_data_row .o_data_cell, "
            ".o_action_manager .o_kanban_record:not(.o_kanban_ghost)"
        ).first
        if not xmlid.startswith(ISP_ADDONS):
            continue  # an Odoo screen: it opened without an error
        if page.locator(".modal").count() or not first.count():
            continue  # a wizard or an empty list: nothing more to open
        first.click()
        try:
            _settle(page, ".o_form_view, .o_error_dialog, .modal", timeout=10, counted=True)
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
        f"{len(actions)} ISP and Inventory screens, {opened_forms} record forms opened; "
        f"first row opened no form: {', '.join(unopened) or 'none'}\n"
    )
    page.context.close()
    assert not failures, "\n".join(failures)
    assert opened_forms, f"{login} opened at least one record's form"


# ----------------------------------------------------------------------------------
# Issue 13: the technician's phone in the ISP's words, and the desk screens
# ----------------------------------------------------------------------------------
MY_JOBS = "isp_field_service.project_task_action_my_isp_jobs"


def _office_user(admin, login, group):
    """A desk user (login = password) of one ISP role."""
    return admin.call(
        "res.users",
        "create",
        {
            "name": login.replace("_", " ").title(),
            "login": login,
            "password": login,
            "odoobot_state": "disabled",
            "group_ids": [(6, 0, [admin.ref(group)])],
        },
    )


def _job(admin, tech, name, materials, start=False):
    """A field job of `tech` at a new customer with planned `materials` [(product,
    quantity)], started when `start`; returns its id."""
    customer = admin.call(
        "res.partner", "create", {"name": f"{name} customer", "street": "Ngong Road 12"}
    )
    job = admin.call(
        "project.task",
        "create",
        {
            "name": name,
            "project_id": admin.ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": tech,
            "partner_id": customer,
            "isp_material_ids": [
                (0, 0, {"product_id": product, "product_uom_qty": quantity})
                for product, quantity in materials
            ],
        },
    )
    if start:
        admin.call("project.task", "action_isp_start", [job])
    return job


def _search(page, text):
    """Search the current list or kanban for `text` (the model's default field)."""
    search = page.locator(".o_searchview_input")
    search.fill(text)
    # Enter picks the first suggestion: wait for the suggestions, or a busy server (CI)
    # lets Enter arrive before them and nothing is searched
    page.locator(".o_searchview_autocomplete").last.wait_for(timeout=30_000)
    search.press("Enter")
    page.locator(".o_searchview_facet", has_text=text).wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)


def _no_horizontal_scroll(page):
    """The view fits the phone's width: nothing cut off to the right."""
    return page.evaluate(
        "() => [...document.querySelectorAll('.o_action_manager .o_content, body')]"
        ".every(el => el.scrollWidth <= el.clientWidth + 1)"
    )


def test_technician_signs_in_on_my_jobs(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, _van, _receipt = new_phone_technician(admin, tag)
    cord = new_product(admin, f"Landing Cord {tag}", "consumable")
    _job(admin, tech, f"Landing job {tag}", [(cord, 1)])
    user = admin.call("res.users", "search_read", [("login", "=", login)], ["action_id"])[0]
    assert user["action_id"][0] == admin.ref(MY_JOBS)

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.locator(".o_kanban_record", has_text=f"Landing job {tag}").wait_for(timeout=60_000)
    assert page.locator(".o_breadcrumb, .o_control_panel").first.inner_text().count("My Jobs")
    assert not page.locator(".o-mail-ChatWindow, .o-mail-Discuss").count()
    page.screenshot(path=str(OUTPUT / "screens-tech-landing.png"))
    page.context.close()


def test_request_items_ends_on_a_read_only_card(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, _receipt = new_phone_technician(admin, tag)
    new_product(admin, f"Card ONT {tag}", "cpe", tracking="serial", standard_price=45.0)

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.goto(f"{odoo_url}/odoo/action-isp_field_service.isp_stock_request_wizard_action")
    page.locator(".modal .o_field_x2many_list_row_add a").click()
    pick_in_dialog(page, "product_id", f"Card ONT {tag}")
    page.locator(".modal div[name=quantity] input").fill("2")
    page.screenshot(path=str(OUTPUT / "screens-request-items.png"))
    page.locator(".modal button[name=action_confirm]").click()
    card = page.locator(".o_form_view.o_isp_request_card")
    card.wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(OUTPUT / "screens-request-card.png"))
    status = card.locator(".o_isp_request_status").inner_text()
    buttons = page.locator(
        "button[name=button_validate], button[name=action_confirm], button[name=action_cancel],"
        " .o_form_button_save, .o_form_button_create"
    ).count()
    editable = card.locator(".o_form_sheet input:not([type=checkbox]), .o_form_sheet textarea")
    editable_count = editable.count()
    items = card.locator("div[name=move_ids]").inner_text()
    page.context.close()

    assert "Waiting for approval" in status
    assert buttons == 0, "no Validate, Mark as Todo, Cancel, Save or New on the card"
    assert editable_count == 0, "the card is read only"
    assert f"Card ONT {tag}" in items
    picking = admin.call(
        "stock.picking",
        "search_read",
        [("location_dest_id", "=", van)],
        ["state", "isp_approval_state", "isp_items"],
    )
    assert len(picking) == 1
    assert picking[0]["state"] != "draft", "the request is sent at once"
    assert picking[0]["isp_approval_state"] == "to_approve"
    assert picking[0]["isp_items"] == f"Card ONT {tag} × 2 Units"


def test_complete_is_the_primary_action_of_a_job_in_progress(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt = new_phone_technician(admin, tag)
    cord = new_product(admin, f"Primary Cord {tag}", "consumable")
    ont = new_product(admin, f"Primary ONT {tag}", "cpe", tracking="serial")
    receive(admin, receipt, van, [(cord, 5, False)])
    job = _job(admin, tech, f"Primary job {tag}", [(cord, 2), (ont, 1)], start=True)

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.goto(f"{odoo_url}/odoo/action-{MY_JOBS}/{job}")
    page.locator(".o_form_view").wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    header = page.locator(".o_form_statusbar .o_statusbar_buttons")
    shown = header.locator(":scope > button")
    first = {
        "name": shown.first.get_attribute("name"),
        "class": shown.first.get_attribute("class"),
        "count": shown.count(),
    }
    suggest_outside = header.locator(":scope > button[name=action_isp_suggest_materials]").count()
    new_buttons = page.locator(
        ".o_control_panel .o_form_button_create, .o_control_panel .o-kanban-button-new"
    ).count()
    cards = page.locator("div[name=isp_material_ids] article.o_kanban_record")
    card_texts = [cards.nth(i).inner_text() for i in range(cards.count())]
    table = page.locator("div[name=isp_material_ids] table").count()
    page.screenshot(path=str(OUTPUT / "screens-job-in-progress.png"))
    header.locator("button[title=More]").click()
    more = page.locator(".o-dropdown--menu, .o_bottom_sheet").last
    more.wait_for(timeout=10_000)
    in_more = more.inner_text()
    page.screenshot(path=str(OUTPUT / "screens-job-more.png"))
    page.keyboard.press("Escape")
    cog_items = ""
    if page.locator(".o_cp_action_menus button").count():
        page.locator(".o_cp_action_menus button").first.click()
        cog_items = page.locator(".o-dropdown--menu, .o_bottom_sheet").last.inner_text()
    page.context.close()

    assert first["name"] == "action_isp_open_complete_wizard", first
    assert "btn-primary" in first["class"], first
    assert first["count"] == 2, "Complete, then the ⋮ menu"  # the More button
    assert not suggest_outside, "Suggest Materials is secondary (under ⋮)"
    assert "Suggest Materials" in in_more
    assert not new_buttons, "technicians cannot create jobs: no New"
    for item in ("Convert to Task", "Send SMS", "Duplicate", "Delete", "Archive"):
        assert item not in cog_items, cog_items
    assert not table, "materials are cards on a phone"
    assert len(card_texts) == 2
    assert any(f"Primary Cord {tag}" in text and "Planned 2" in text for text in card_texts)


def test_technician_sees_no_button_he_may_not_use(rpc, browser, odoo_url, odoo_db):
    """Job list and form, his transfers (request card and Odoo's transfer form), a
    serial in his van and a count of his van, at 390 px: no New, Validate or office
    buttons, and no error."""
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt = new_phone_technician(admin, tag)
    store = _office_user(admin, f"store_{tag}", "isp_inventory.group_isp_storekeeper")
    ont = new_product(admin, f"Buttons ONT {tag}", "cpe", tracking="serial")
    lot = admin.call("stock.lot", "create", {"name": f"BTN-{tag}", "product_id": ont})
    receive(admin, receipt, van, [(ont, 1, lot)])
    job = _job(admin, tech, f"Buttons job {tag}", [(ont, 1)])
    request = rpc(login, login).call(
        "isp.technician", "action_isp_request", [tech], [{"product_id": ont, "quantity": 1}]
    )
    count = rpc(f"store_{tag}", f"store_{tag}").call(
        "isp.stock.count", "create", {"technician_id": tech, "kind": "audit"}
    )
    assert store

    forbidden = (
        "button[name=button_validate], button[name=action_confirm], button[name=action_assign],"
        " button[name=action_cancel], button[name=action_start], button[name=action_apply],"
        " button[name=action_isp_approve], button[name=action_open_reject_wizard],"
        " .o_control_panel .o_form_button_create, .o_control_panel .o-kanban-button-new,"
        " .o_control_panel .o_list_button_add"
    )
    screens = {
        "jobs": f"action-{MY_JOBS}",
        "job": f"action-{MY_JOBS}/{job}",
        "requests": "action-isp_inventory.stock_picking_action_isp_my_requests",
        "request": f"action-isp_inventory.stock_picking_action_isp_my_requests/{request}",
        "transfer": f"action-stock.action_picking_tree_all/{request}",
        "serial": f"action-stock.action_production_lot_form/{lot}",
        "count": f"action-isp_inventory.isp_stock_count_action/{count}",
    }
    page = signed_in_page(browser, odoo_url, odoo_db, login)
    seen = {}
    for name, path in screens.items():
        page.goto(f"{odoo_url}/odoo/{path}")
        _settle(page)
        page.screenshot(path=str(OUTPUT / f"screens-tech-{name}.png"))
        seen[name] = {
            "errors": _errors(page),
            "forbidden": [
                page.locator(forbidden).nth(i).get_attribute("name")
                or page.locator(forbidden).nth(i).get_attribute("class")
                for i in range(page.locator(forbidden).count())
            ],
        }
    page.context.close()
    for name, found in seen.items():
        assert not found["errors"], f"{name}: {found['errors'][0][:300]}"
        assert not found["forbidden"], f"{name}: {found['forbidden']}"


def test_usage_and_losses_are_cards_on_the_phone(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt = new_phone_technician(admin, tag)
    cord = new_product(admin, f"Usage Cord {tag}", "consumable", standard_price=2.5)
    receive(admin, receipt, van, [(cord, 10, False)])
    technician = rpc(login, login)
    job = _job(admin, tech, f"Usage job {tag}", [(cord, 3)])
    technician.call(
        "project.task",
        "action_isp_complete",
        [job],
        {"lines": [{"product_id": cord, "qty_used": 3}]},
    )
    report = technician.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": tech,
            "loss_type": "lost",
            "description": f"Dropped in a manhole {tag}",
            "line_ids": [(0, 0, {"product_id": cord, "quantity": 1})],
        },
    )
    technician.call("isp.loss.report", "action_submit", [report])
    admin.call("isp.loss.report", "action_approve", [report])

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    found = {}
    for name, xmlid in (
        ("usage", "isp_reports.isp_technician_consumption_report_action_mine"),
        ("losses", "isp_reports.isp_loss_variance_report_action_mine"),
    ):
        page.goto(f"{odoo_url}/odoo/action-{xmlid}")
        page.locator(".o_kanban_record", has_text=f"Usage Cord {tag}").first.wait_for(
            timeout=60_000
        )
        page.wait_for_timeout(1_000)
        page.screenshot(path=str(OUTPUT / f"screens-my-{name}.png"))
        found[name] = {
            "card": page.locator(
                ".o_kanban_record", has_text=f"Usage Cord {tag}"
            ).first.inner_text(),
            "tables": page.locator(".o_action_manager .o_list_table").count(),
            "fits": _no_horizontal_scroll(page),
        }
    page.context.close()

    for name, seen in found.items():
        assert not seen["tables"], f"{name}: a card list, not a table"
        assert seen["fits"], f"{name}: nothing cut off at 390 px"
    assert f"Usage job {tag}" in found["usage"]["card"]
    assert "3.00" in found["usage"]["card"]
    assert "Loss" in found["losses"]["card"]


def test_storekeeper_queue_lists_an_approved_request(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, _van, _receipt = new_phone_technician(admin, tag)
    _office_user(admin, f"store_{tag}", "isp_inventory.group_isp_storekeeper")
    _office_user(admin, f"approver_{tag}", "isp_inventory.group_isp_approver")
    ont = new_product(admin, f"Queue ONT {tag}", "cpe", tracking="serial")
    technician = rpc(login, login)
    approved, waiting = (
        technician.call(
            "isp.technician", "action_isp_request", [tech], [{"product_id": ont, "quantity": 1}]
        )
        for _ in range(2)
    )
    rpc(f"approver_{tag}", f"approver_{tag}").call(
        "stock.picking", "action_isp_approve", [approved]
    )
    names = {
        picking["id"]: picking["name"]
        for picking in admin.call("stock.picking", "read", [approved, waiting], ["name"])
    }

    page = signed_in_page(browser, odoo_url, odoo_db, f"store_{tag}", device=DESKTOP)
    rows = {}
    for picking in (approved, waiting):
        page.goto(f"{odoo_url}/odoo/action-isp_inventory.stock_picking_action_isp_to_pick")
        page.locator(".o_list_view").wait_for(timeout=60_000)
        _search(page, names[picking])
        rows[picking] = page.locator(".o_data_row").all_inner_texts()
        if picking == approved:
            page.screenshot(path=str(OUTPUT / "screens-store-queue.png"))
    page.context.close()

    assert len(rows[approved]) == 1, rows
    assert names[approved] in rows[approved][0]
    for text in (f"Queue ONT {tag} × 1 Units", "Approved", f"Phone Tech {tag}"):
        assert text in rows[approved][0], (text, rows[approved][0])
    assert not rows[waiting], "a request waiting for approval is not in the queue yet"


def test_approver_list_shows_requester_items_value_and_age(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, _van, _receipt = new_phone_technician(admin, tag)
    _office_user(admin, f"approver_{tag}", "isp_inventory.group_isp_approver")
    ont = new_product(admin, f"Approve ONT {tag}", "cpe", tracking="serial", standard_price=45.0)
    picking = rpc(login, login).call(
        "isp.technician", "action_isp_request", [tech], [{"product_id": ont, "quantity": 2}]
    )
    name = admin.call("stock.picking", "read", [picking], ["name"])[0]["name"]
    company = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    currency = admin.call("res.company", "read", [company], ["currency_id"])[0]["currency_id"][0]
    symbol = admin.call("res.currency", "read", [currency], ["symbol"])[0]["symbol"]

    page = signed_in_page(browser, odoo_url, odoo_db, f"approver_{tag}", device=DESKTOP)
    page.goto(f"{odoo_url}/odoo/action-isp_inventory.stock_picking_action_isp_to_approve")
    page.locator(".o_list_view").wait_for(timeout=60_000)
    _search(page, name)
    headers = page.locator(".o_list_table thead th").all_inner_texts()
    row = page.locator(".o_data_row", has_text=name)
    cells = {
        column: row.locator(f"td[name={column}]").inner_text()
        for column in ("isp_requested_by_id", "isp_items", "isp_value", "create_date")
    }
    page.screenshot(path=str(OUTPUT / "screens-approver-list.png"))
    page.context.close()

    for column in ("Requester", "Technician", "Items", "Value", "Age", "Approval"):
        assert any(column in header for header in headers), (column, headers)
    assert cells["isp_requested_by_id"] == f"Phone Tech {tag}"
    assert cells["isp_items"] == f"Approve ONT {tag} × 2 Units"
    assert symbol in cells["isp_value"] and "90.00" in cells["isp_value"], cells
    assert cells["create_date"].strip() == "Today", cells


def test_technicians_kanban_flags_and_allowance(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt = new_phone_technician(admin, tag)
    _office_user(admin, f"store_{tag}", "isp_inventory.group_isp_storekeeper")
    cord = new_product(admin, f"Allowance Cord {tag}", "consumable")
    clip = new_product(admin, f"Allowance Clip {tag}", "consumable")
    receive(admin, receipt, van, [(cord, 10, False), (clip, 10, False)])
    template = admin.call(
        "isp.kit.template",
        "create",
        {
            "name": f"Kit {tag}",
            "line_ids": [
                (0, 0, {"product_id": cord, "quantity": 5, "monthly_allowance": 2}),
                (0, 0, {"product_id": clip, "quantity": 5, "monthly_allowance": 10}),
            ],
        },
    )
    admin.call("isp.technician", "write", [tech], {"kit_template_id": template})
    job = _job(admin, tech, f"Allowance job {tag}", [(cord, 3), (clip, 5)])
    rpc(login, login).call(
        "project.task",
        "action_isp_complete",
        [job],
        {"lines": [{"product_id": cord, "qty_used": 3}, {"product_id": clip, "qty_used": 5}]},
    )

    page = signed_in_page(browser, odoo_url, odoo_db, f"store_{tag}", device=DESKTOP)
    page.goto(f"{odoo_url}/odoo/action-isp_inventory.isp_technician_action")
    page.locator(".o_kanban_view").wait_for(timeout=60_000)
    _search(page, f"Phone Tech {tag}")
    card = page.locator(".o_kanban_record", has_text=f"Phone Tech {tag}")
    card.wait_for(timeout=30_000)
    flags = card.locator(".o_isp_technician_flags").inner_text()
    bars = {
        card.locator(".o_isp_allowance").nth(i).inner_text().split("\n")[0]: (
            card.locator(".o_isp_allowance .progress-bar").nth(i).get_attribute("class"),
            card.locator(".o_isp_allowance .progress-bar").nth(i).get_attribute("style"),
        )
        for i in range(card.locator(".o_isp_allowance").count())
    }
    page.screenshot(path=str(OUTPUT / "screens-technicians-kanban.png"))
    page.context.close()

    assert "Over allowance" in flags
    assert "bg-danger" in bars[f"Allowance Cord {tag}"][0]
    assert "width: 100%" in bars[f"Allowance Cord {tag}"][1]
    assert "bg-success" in bars[f"Allowance Clip {tag}"][0]
    assert "width: 50%" in bars[f"Allowance Clip {tag}"][1]
