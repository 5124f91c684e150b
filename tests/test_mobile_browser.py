"""A technician completes a job on a 390 px phone in the standard web client."""

import uuid

from conftest import OUTPUT, new_phone_technician, new_product, receive, signed_in_page
from test_field_service_xmlrpc import _qty


def test_technician_completes_a_job_on_the_phone(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt_type = new_phone_technician(admin, tag)
    cord = new_product(admin, f"Phone Cord {tag}", "consumable")
    ont = new_product(admin, f"Phone ONT {tag}", "cpe", tracking="serial")
    lot_name = f"PHONE-ONT-{tag}"
    lot = admin.call("stock.lot", "create", {"name": lot_name, "product_id": ont})
    receive(admin, receipt_type, van, [(cord, 4, False), (ont, 1, lot)])
    customer = admin.call(
        "res.partner",
        "create",
        {"name": f"Phone Customer {tag}", "street": "Ngong Road 12", "city": "Nairobi"},
    )
    job_name = f"Phone job {tag}"
    job = admin.call(
        "project.task",
        "create",
        {
            "name": job_name,
            "project_id": admin.ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": tech,
            "partner_id": customer,
            "isp_material_ids": [
                (0, 0, {"product_id": cord, "product_uom_qty": 1}),
                (0, 0, {"product_id": ont, "product_uom_qty": 1}),
            ],
        },
    )

    page = signed_in_page(browser, odoo_url, odoo_db, login)
    page.goto(f"{odoo_url}/odoo/action-isp_field_service.project_task_action_my_isp_jobs")
    card = page.locator(".o_kanban_record", has_text=job_name)
    card.wait_for(timeout=60_000)
    page.screenshot(path=str(OUTPUT / "mobile-my-jobs.png"))
    card.locator("button[name=action_isp_open_complete_wizard]").click()
    lots_input = page.locator(".modal div[name=installed_lot_ids] input")
    lots_input.wait_for(timeout=60_000)
    # On a phone the tags field opens a search dialog listing the serials in the van.
    lots_input.click()
    page.locator(".modal .o_kanban_record, .modal .o_data_row", has_text=lot_name).first.click()
    page.locator(".modal .o_tag", has_text=lot_name).wait_for(timeout=30_000)
    page.screenshot(path=str(OUTPUT / "mobile-complete-job.png"))
    page.click(".modal button[name=action_confirm]")
    page.locator(".modal").wait_for(state="detached", timeout=60_000)
    page.screenshot(path=str(OUTPUT / "mobile-job-done.png"))
    page.context.close()

    assert (
        admin.call("project.task", "read", [job], ["isp_job_state"])[0]["isp_job_state"] == "done"
    )
    assert _qty(admin, cord, van) == 3.0
    lot_data = admin.call(
        "stock.lot", "read", [lot], ["isp_state", "isp_customer_id", "isp_task_id"]
    )[0]
    assert lot_data["isp_state"] == "installed"
    assert lot_data["isp_customer_id"][0] == customer
    assert lot_data["isp_task_id"][0] == job
