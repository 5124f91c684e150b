"""A technician plans the materials of his job in the web client: the lines are the
job's stock moves, which he may not create himself; the job's form does it for him."""

import uuid

from conftest import DESKTOP, OUTPUT, new_phone_technician, new_product, receive, signed_in_page


def test_technician_adds_a_material_line_in_the_job_form(rpc, browser, odoo_url, odoo_db):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    login, tech, van, receipt_type = new_phone_technician(admin, tag)
    cord = new_product(admin, f"Form Cord {tag}", "consumable")
    receive(admin, receipt_type, van, [(cord, 4, False)])
    customer = admin.call("res.partner", "create", {"name": f"Form Customer {tag}"})
    job = admin.call(
        "project.task",
        "create",
        {
            "name": f"Form job {tag}",
            "project_id": admin.ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": tech,
            "partner_id": customer,
        },
    )

    page = signed_in_page(browser, odoo_url, odoo_db, login, device=DESKTOP)
    page.goto(f"{odoo_url}/odoo/action-isp_field_service.project_task_action_my_isp_jobs/{job}")
    page.locator(".o_form_view").wait_for(timeout=60_000)
    page.screenshot(path=str(OUTPUT / "job-materials-form-open.png"))
    page.locator(".o_notebook .nav-link", has_text="Materials").click()
    materials = page.locator("div[name=isp_material_ids]")
    materials.locator(".o_field_x2many_list_row_add a").click()
    product = materials.locator(".o_data_row div[name=product_id] input")
    product.fill(f"Form Cord {tag}")
    page.locator(".o-autocomplete--dropdown-item", has_text=f"Form Cord {tag}").first.click()
    quantity = materials.locator(".o_data_row div[name=product_uom_qty] input")
    quantity.fill("3")
    page.locator(".o_form_button_save").click()
    page.locator(".o_form_saved").wait_for(timeout=60_000)
    page.screenshot(path=str(OUTPUT / "job-materials-form.png"))
    page.context.close()

    lines = admin.call(
        "stock.move",
        "search_read",
        [("isp_task_id", "=", job)],
        ["product_id", "product_uom_qty", "state", "location_id", "picking_id"],
    )
    assert [(m["product_id"][0], m["product_uom_qty"], m["state"]) for m in lines] == [
        (cord, 3.0, "draft")
    ]
    assert lines[0]["location_id"][0] == van
    operation = admin.call("project.task", "read", [job], ["isp_operation_id"])[0]
    assert lines[0]["picking_id"][0] == operation["isp_operation_id"][0]
