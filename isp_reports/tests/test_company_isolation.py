import base64
import io

import openpyxl

from odoo import fields
from odoo.addons.isp_inventory.tests.common_company import IspSecondCompanyMixin
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import IspReportsCommon

REPORT_MODELS = (
    "isp.stock.region.report",
    "isp.stock.aging.report",
    "isp.technician.consumption.report",
    "isp.loss.variance.report",
    "isp.product.movement.report",
    "isp.installation.cost.report",
    "isp.refurbishment.report",
    "isp.stock.month.report",
    "isp.stock.flow.month.report",
    "isp.first.time.fix.report",
    "isp.stock.out.report",
    "isp.cpe.utilisation.report",
)


@tagged("post_install", "-at_install")
class TestReportsCompanyIsolation(IspSecondCompanyMixin, IspReportsCommon):
    """The second company has stock in its branch and van and a posted loss: none of
    its figures reach the first company's reports, KPIs or exports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_company()
        c2 = cls.c2
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=c2["company"].ids))
        env["stock.quant"]._update_available_quantity(
            c2["product"].with_env(env),
            c2["warehouse"].with_env(env).lot_stock_id,
            1.0,
            lot_id=env["stock.lot"].create(
                {"name": "C2-SERIAL-0002", "product_id": c2["product"].id}
            ),
        )
        report = c2["loss_report"].with_env(env)
        report.action_submit()
        report.with_user(c2["approver_user"]).action_approve()

    def _rows(self, model, user):
        return self.env[model].with_user(user).search([])

    def test_reports_hold_only_own_company_rows(self):
        c2_company = self.c2["company"]
        self.assertEqual(self.c2["loss_report"].state, "done")
        c2_rows = {model: self._rows(model, self.c2["manager_user"]) for model in REPORT_MODELS}
        # the second company's own office sees its stock and its loss
        for model in ("isp.stock.region.report", "isp.stock.aging.report"):
            self.assertIn(c2_company, c2_rows[model].sudo().company_id, model)
        self.assertIn("loss", c2_rows["isp.loss.variance.report"].mapped("kind"))
        self.assertEqual(c2_rows["isp.stock.aging.report"].sudo().company_id, c2_company)
        for user in (self.storekeeper_user, self.approver_user, self.manager_user):
            for model in REPORT_MODELS:
                with self.subTest(user=user.login, model=model):
                    rows = self._rows(model, user)
                    self.assertNotIn(c2_company, rows.sudo().company_id)
                    self.assertFalse(set(rows.ids) & set(c2_rows[model].ids))
                    groups = (
                        self.env[model]
                        .with_user(user)
                        .formatted_read_group([], ["company_id"], ["__count"])
                    )
                    self.assertNotIn(
                        c2_company.id,
                        [group["company_id"][0] for group in groups if group["company_id"]],
                    )
        for model in ("isp.technician.consumption.report", "isp.loss.variance.report"):
            self.assertFalse(
                self._rows(model, self.technician_user).sudo().company_id & c2_company, model
            )

    def test_kpis_count_only_own_company(self):
        """Today the second company posted a loss of 70: it is in the second company's
        KPIs and not in the first company's, which hold exactly the first company's
        losses of the day (the database may hold others, e.g. of the external tests)."""
        kpi = self.env["isp.kpi"].with_user(self.manager_user)
        c2_kpi = self.env["isp.kpi"].with_user(self.c2["manager_user"])
        # "today" is each manager's own day, in his timezone
        kpis = kpi.get_kpis(fields.Date.context_today(kpi), fields.Date.context_today(kpi))
        c2_kpis = c2_kpi.get_kpis(
            fields.Date.context_today(c2_kpi), fields.Date.context_today(c2_kpi)
        )
        self.assertEqual((c2_kpis["loss_count"], c2_kpis["loss_value"]), (1, -70.0))
        own_losses = self.env["isp.loss.variance.report"].search(
            [
                ("kind", "=", "loss"),
                ("company_id", "=", self.env.company.id),
                ("date", ">=", kpi._isp_period_bounds(fields.Date.context_today(kpi), None)[0]),
            ]
        )
        self.assertEqual(
            (kpis["loss_count"], kpis["loss_value"]),
            (len(own_losses.loss_report_id), sum(own_losses.mapped("value"))),
        )
        c2_regions = [line["region_id"] for line in c2_kpis["stock_value_by_region"]]
        self.assertEqual(c2_regions, self.c2["region"].ids)
        self.assertGreater(c2_kpis["stock_value"], 0.0)
        self.assertNotIn(
            self.c2["region"].id, [line["region_id"] for line in kpis["stock_value_by_region"]]
        )

    def _exported_text(self, user, report):
        wizard = self.env["isp.report.export.wizard"].with_user(user).create({"report": report})
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        return " ".join(
            str(value)
            for row in book.active.iter_rows(values_only=True)
            for value in row
            if value is not None
        )

    def test_exports_hold_only_own_company_rows(self):
        for report in ("aging", "region", "loss_variance"):
            for marker in ("Second Company ONT", "Second Branch"):
                self.assertIn(marker, self._exported_text(self.c2["manager_user"], report))
                self.assertNotIn(marker, self._exported_text(self.manager_user, report))
        self.assertIn("C2-SERIAL-0002", self._exported_text(self.c2["manager_user"], "aging"))
        self.assertNotIn("C2-SERIAL", self._exported_text(self.manager_user, "aging"))

    def test_export_wizard_refuses_another_company_branch(self):
        wizards = self.env["isp.report.export.wizard"].search_count([])
        with self.assertRaises(UserError):
            self.env["isp.report.export.wizard"].create(
                {"report": "aging", "warehouse_id": self.c2["warehouse"].id}
            )
        self.assertEqual(self.env["isp.report.export.wizard"].search_count([]), wizards)

    def test_dashboard_counts_only_own_company(self):
        """The second company's stock flows (its approved loss) are in its own dashboard
        and nowhere in the first company's: not its branch, not its region, not its
        CPE."""
        today = fields.Date.context_today(self.env["isp.kpi"].with_user(self.manager_user))
        c2_board = (
            self.env["isp.kpi"].with_user(self.c2["manager_user"]).get_dashboard(today, today)
        )
        board = self.env["isp.kpi"].with_user(self.manager_user).get_dashboard(today, today)
        c2_branch = self.c2["warehouse"].id
        self.assertIn(
            c2_branch, [b["warehouse_id"] for b in c2_board["kpis"]["turnover_by_branch"]]
        )
        self.assertNotIn(
            c2_branch, [b["warehouse_id"] for b in board["kpis"]["turnover_by_branch"]]
        )
        self.assertNotIn(
            self.c2["region"].id, [r["region_id"] for r in board["kpis"]["turnover_by_region"]]
        )
        self.assertNotIn(c2_branch, [b["id"] for b in board["branches"]])
        c2_products = self.c2["product"].ids
        self.assertFalse(
            [
                p
                for p in board["kpis"]["cpe_utilisation_by_product"]
                if p["product_id"] in c2_products
            ]
        )
        # ... and in its own, counted from the groups of serials as from the serials
        [c2_line] = [
            p
            for p in c2_board["kpis"]["cpe_utilisation_by_product"]
            if p["product_id"] in c2_products
        ]
        c2_serials = (
            self.env["isp.cpe.utilisation.report"]
            .with_user(self.c2["manager_user"])
            .search_count([("product_id", "in", c2_products)])
        )
        self.assertEqual((c2_line["installed"], c2_line["total"]), (0, c2_serials))
        self.assertGreater(c2_serials, 0)
        # filtering on the other company's branch shows nothing of it
        foreign = (
            self.env["isp.kpi"]
            .with_user(self.manager_user)
            .get_dashboard(today, today, warehouse_id=c2_branch)
        )
        self.assertEqual(foreign["kpis"]["turnover_by_branch"], [])
        self.assertEqual(foreign["trend"][-1]["stock_value"], 0.0)
