from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestModuleChain(TransactionCase):
    def test_reports_sit_on_top_of_the_chain(self):
        """isp_reports → isp_field_service → isp_inventory, all installed together."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["isp_inventory", "isp_field_service", "isp_reports"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        reports = modules.filtered(lambda m: m.name == "isp_reports")
        self.assertIn("isp_field_service", reports.dependencies_id.mapped("name"))
