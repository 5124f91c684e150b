"""A technician completes a job that used cable from a spool on a 390 px phone: the
completion screen shows the Spool column, set to the van's spool."""

import uuid

from conftest import OUTPUT, new_phone_technician, receive, signed_in_page
from test_field_service_xmlrpc import _qty


def test_technician_uses_spool_metres_on_the_phone(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt_type = new_phone_technician(admin, tag)
    cable = admin.call(
        "product.product",
        "create",
        {
            "name": f"Phone Drop Cable {tag}",
            "categ_id": admin.ref("isp_inventory.product_category_consumable"),
            "uom_id": admin.ref("uom.product_uom_meter"),
            "tracking": "lot",
            "isp_is_spool": True,
        },
    )
    spool_name = f"PHONE-SPOOL-{tag}"
    spool = admin.call("stock.lot", "create", {"name": spool_name, "product_id": cable})
    receive(admin, receipt_type, van, [(cable, 100, spool)])
    customer = admin.call("res.partner", "create", {"name": f"Spool Customer {tag}"})
    job_name = f"Spool job {tag}"
    job = admin.call(
        "project.task",
        "create",
        {
            "name": job_name,
            "project_id": admin.ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": tech,
            "partner_id": customer,
            "isp_material_ids": [(0, 0, {"product_id": cable, "product_uom_qty": 30})],
        },
    )

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.goto(f"{odoo_url}/odoo/action-isp_field_service.project_task_action_my_isp_jobs")
    card = page.locator(".o_kanban_record", has_text=job_name)
    card.wait_for(timeout=60_000)
    card.locator("button[name=action_isp_open_complete_wizard]").click()
    spool_cell = page.locator(".modal div[name=line_ids] [name=lot_id]", has_text=spool_name)
    spool_cell.first.wait_for(timeout=60_000)
    assert spool_cell.first.is_visible()
    # The column fits the phone: the dialog does not scroll sideways.
    width = page.evaluate("document.querySelector('.modal .modal-content').scrollWidth")
    assert width <= 390
    page.screenshot(path=str(OUTPUT / "mobile-spool-complete-job.png"))
    page.click(".modal button[name=action_confirm]")
    page.locator(".modal").wait_for(state="detached", timeout=60_000)
    page.context.close()

    assert (
        admin.call("project.task", "read", [job], ["isp_job_state"])[0]["isp_job_state"] == "done"
    )
    assert _qty(admin, cable, van, spool) == 70.0
    lot = admin.call("stock.lot", "read", [spool], ["isp_cut_task_ids", "isp_cut_qty"])[0]
    assert (lot["isp_cut_task_ids"], lot["isp_cut_qty"]) == ([job], 30.0)
