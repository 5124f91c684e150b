from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user


class IspSecondCompanyMixin:
    """A second company with its own region, branch, technician (van holding a serial of
    a product of that company), kit template, stock count and loss report, and its own
    storekeeper, approver and manager. For the isolation tests of the three addons: mix
    it into the addon's common test base and call `_setup_second_company()` in
    `setUpClass`; its records are in `cls.c2` (a dict)."""

    @classmethod
    def _setup_second_company(cls):
        company = cls.env["res.company"].create({"name": "Second ISP Company"})
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        c2 = {"company": company}

        def user(login, group):
            return new_test_user(
                env,
                login=login,
                groups=group,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        c2["technician_user"] = user("isp_c2_tech", "isp_inventory.group_isp_technician")
        c2["storekeeper_user"] = user("isp_c2_store", "isp_inventory.group_isp_storekeeper")
        c2["approver_user"] = user("isp_c2_approver", "isp_inventory.group_isp_approver")
        c2["manager_user"] = user("isp_c2_manager", "isp_inventory.group_isp_manager")
        c2["region"] = env["isp.region"].create({"name": "Second Region", "code": "C2R"})
        c2["warehouse"] = env["stock.warehouse"].create(
            {"name": "Second Branch", "code": "C2B", "isp_region_id": c2["region"].id}
        )
        c2["technician"] = env["isp.technician"].create(
            {"user_id": c2["technician_user"].id, "warehouse_id": c2["warehouse"].id}
        )
        c2["product"] = env["product.product"].create(
            {
                "name": "Second Company ONT",
                "categ_id": cls.env.ref("isp_inventory.product_category_cpe").id,
                "tracking": "serial",
                "company_id": company.id,
            }
        )
        c2["product"].standard_price = 70.0
        c2["lot"] = env["stock.lot"].create(
            {"name": "C2-SERIAL-0001", "product_id": c2["product"].id, "company_id": company.id}
        )
        van = c2["technician"].vehicle_location_id
        env["stock.quant"]._update_available_quantity(c2["product"], van, 1.0, lot_id=c2["lot"])
        c2["kit_template"] = env["isp.kit.template"].create(
            {
                "name": "Second Company Kit",
                "line_ids": [Command.create({"product_id": c2["product"].id, "quantity": 1.0})],
            }
        )
        c2["count"] = (
            env["isp.stock.count"]
            .with_user(c2["storekeeper_user"])
            .create({"technician_id": c2["technician"].id})
        )
        c2["count"].action_start()
        c2["loss_report"] = env["isp.loss.report"].create(
            {
                "technician_id": c2["technician"].id,
                "description": "Second company loss",
                "line_ids": [
                    Command.create(
                        {"product_id": c2["product"].id, "lot_id": c2["lot"].id, "quantity": 1}
                    )
                ],
            }
        )
        cls.c2 = {key: value.with_env(cls.env) for key, value in c2.items()}

    def assertHiddenFrom(self, user, records):
        """`user` cannot read, search, name_search, group or export any of `records`
        (each at least once visible to the superuser, so the test can fail). The user
        gets the export right first: the export must be refused by the company rule."""
        user.group_ids = [Command.link(self.env.ref("base.group_allow_export").id)]
        for record in records:
            self.assertTrue(record.exists(), f"{record} is not a record")
            model = self.env[record._name].with_user(user)
            if not model.has_access("read"):
                with self.assertRaises(AccessError):
                    model.search([("id", "=", record.id)])
                continue
            label = f"{record._name} {record.display_name} for {user.login}"
            self.assertFalse(model.search([("id", "=", record.id)]), label)
            self.assertNotIn(record.id, model.search([]).ids, label)
            found = model.name_search(record.display_name, limit=None)
            self.assertNotIn(record.id, [record_id for record_id, _name in found], label)
            groups = model.formatted_read_group([], ["company_id"], ["__count"])
            self.assertNotIn(
                record.company_id.id,
                [group["company_id"][0] for group in groups if group["company_id"]],
                label,
            )
            with self.assertRaises(AccessError, msg=label):
                model.browse(record.id).read(["display_name"])
            with self.assertRaises(AccessError, msg=label):
                model.browse(record.id).export_data(["display_name"])
