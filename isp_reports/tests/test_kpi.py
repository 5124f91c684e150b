from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestKpi(IspReportsCommon):
    def _kpis(self, user=None, **period):
        return self.env["isp.kpi"].with_user(user or self.manager_user).get_kpis(**period)

    def _region_value(self, kpis):
        [line] = [
            line for line in kpis["stock_value_by_region"] if line["region_id"] == self.region.id
        ]
        return line["value"]

    @freeze_time("2031-03-10 10:00:00")
    def test_stock_accuracy_and_issue_fill_rate(self):
        """A count with one difference among its lines; a request of 10 issued short
        with 6 and no backorder. The period holds nothing else."""
        count = self._count(self.patch_cord, self.van, 4.0)
        lines = len(count.line_ids)
        self.assertGreater(lines, 1)
        request = self.technician._isp_create_request([(self.patch_cord, 10)])
        request.action_confirm()
        request.move_ids.quantity = 6
        request.move_ids.picked = True
        # validated short with "No backorder": 4 of the 10 asked for never come
        request.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=request.ids
        ).button_validate()
        self.assertRecordValues(
            request.move_ids, [{"state": "done", "product_uom_qty": 10.0, "quantity": 6.0}]
        )
        kpis = self._kpis(date_from="2031-03-01", date_to="2031-03-31")
        self.assertEqual(kpis["counts_done"], 1)
        self.assertAlmostEqual(kpis["count_accuracy"], 100.0 * (lines - 1) / lines)
        self.assertAlmostEqual(kpis["issue_fill_rate"], 60.0)
        empty = self._kpis(date_from="2031-04-01", date_to="2031-04-30")
        self.assertEqual(
            (empty["counts_done"], empty["count_accuracy"], empty["issue_fill_rate"]),
            (0, 0.0, 0.0),
        )

    @freeze_time("2031-05-10 10:00:00")
    def test_issue_fill_rate_converts_units(self):
        """Asked for in packs of 6 and issued in part: the rate compares units (one pack
        of the two asked for is half), also next to a request in the product's unit."""
        packs = self.technician._isp_create_request([(self.patch_cord, 2)])
        packs.move_ids.product_uom = self.env.ref("uom.product_uom_pack_6")
        units = self.technician._isp_create_request([(self.patch_cord, 4)])
        for request, issued in ((packs, 1), (units, 4)):
            request.action_confirm()
            request.move_ids.quantity = issued
            request.move_ids.picked = True
            request.with_context(
                skip_backorder=True, picking_ids_not_to_backorder=request.ids
            ).button_validate()
        self.assertRecordValues(
            (packs | units).move_ids,
            [
                {"state": "done", "product_qty": 12.0, "quantity": 1.0},
                {"state": "done", "product_qty": 4.0, "quantity": 4.0},
            ],
        )
        kpis = self._kpis(date_from="2031-05-01", date_to="2031-05-31")
        # (6 + 4) units issued of (12 + 4) asked for
        self.assertAlmostEqual(kpis["issue_fill_rate"], 100.0 * 10 / 16)

    def test_figures_follow_the_stock_flows(self):
        """Complete a job, report a loss, count the van, quarantine an ONT: each KPI
        moves by exactly what the flow did."""
        before = self._kpis()
        # branch: 20 cords (30) + 3 ONTs (135); van: 5 cords (7.5) + 2 ONTs (90)
        self.assertEqual(self._region_value(before), 262.5)
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        )
        self._report_loss(self.technician, [(self.patch_cord, 1.0, self.env["stock.lot"])])
        self._count(self.patch_cord, self.van, 4.0)  # 2 left in the van: 2 found extra
        self._put_in_stock(self.ont, self.branch._isp_get_quarantine_location(), 1, "KPI-Q-1")
        after = self._kpis()
        self.assertEqual(self._region_value(after), 262.5 - 48.0 - 1.5 + 3.0 + 45.0)
        self.assertAlmostEqual(
            after["stock_value"] - before["stock_value"], -48.0 - 1.5 + 3.0 + 45.0
        )
        self.assertAlmostEqual(
            after["technician_stock_value"] - before["technician_stock_value"], -48.0 - 1.5 + 3.0
        )
        # a loss is negative, as in the loss and variance report
        self.assertAlmostEqual(after["loss_value"] - before["loss_value"], -1.5)
        self.assertEqual(after["loss_count"] - before["loss_count"], 1)
        self.assertAlmostEqual(after["count_variance_value"] - before["count_variance_value"], 3.0)
        self.assertEqual(after["jobs_completed"] - before["jobs_completed"], 1)
        self.assertAlmostEqual(
            after["average_material_cost"],
            (before["average_material_cost"] * before["jobs_completed"] + 48.0)
            / after["jobs_completed"],
        )
        self.assertEqual(after["serials_installed"] - before["serials_installed"], 1)
        self.assertEqual(after["quarantine_quantity"] - before["quarantine_quantity"], 1.0)
        self.assertAlmostEqual(after["quarantine_value"] - before["quarantine_value"], 45.0)
        self.assertEqual(
            after["date_to"],
            fields.Date.to_string(
                fields.Date.context_today(self.env["isp.kpi"].with_user(self.manager_user))
            ),
        )

    @freeze_time("2031-03-10 22:30:00")
    def test_period_is_the_users_days(self):
        """At 22:30 UTC it is already the 11th in Nairobi: a job completed then is one
        of the 11th for a Nairobi manager and one of the 10th for a manager on UTC."""
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, lots=["VAN-ONT-1"])
        )
        jobs, today = {}, {}
        for tz in ("Africa/Nairobi", "UTC"):
            # the timezone comes with the call's context, as the web client sends it
            kpi = self.env["isp.kpi"].with_user(self.manager_user).with_context(tz=tz)
            jobs[tz] = {
                day: kpi.get_kpis(day, day)["jobs_completed"]
                for day in ("2031-03-10", "2031-03-11")
            }
            today[tz] = kpi.get_kpis()["date_to"]
        self.assertEqual(jobs["Africa/Nairobi"], {"2031-03-10": 0, "2031-03-11": 1})
        self.assertEqual(jobs["UTC"], {"2031-03-10": 1, "2031-03-11": 0})
        self.assertEqual(today, {"Africa/Nairobi": "2031-03-11", "UTC": "2031-03-10"})

    def test_period_excludes_other_days(self):
        """A period in the past sees none of today's losses, counts and jobs."""
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, lots=["VAN-ONT-1"])
        )
        kpis = self._kpis(date_from="2001-01-01", date_to="2001-12-31")
        self.assertEqual(
            {
                k: kpis[k]
                for k in (
                    "loss_value",
                    "count_variance_value",
                    "jobs_completed",
                    "serials_installed",
                )
            },
            {
                "loss_value": 0.0,
                "count_variance_value": 0.0,
                "jobs_completed": 0,
                "serials_installed": 0,
            },
        )
        self.assertEqual(kpis["average_material_cost"], 0.0)

    def test_bad_period_refused(self):
        with self.assertRaises(UserError):
            self._kpis(date_from="2030-02-01", date_to="2030-01-01")
        with self.assertRaises(UserError):
            self._kpis(date_from="not a date")

    def test_technicians_get_no_kpis(self):
        with self.assertRaises(AccessError):
            self._kpis(user=self.technician_user)
        for user in (self.storekeeper_user, self.approver_user):
            self.assertIn("stock_value", self._kpis(user=user))

    def test_wizard_shows_and_prints_the_kpis(self):
        self._report_loss(self.technician, [(self.patch_cord, 1.0, self.env["stock.lot"])])
        wizard = self.env["isp.kpi.wizard"].with_user(self.manager_user).create({})
        kpis = self._kpis()
        self.assertRecordValues(
            wizard,
            [
                {
                    "stock_value": kpis["stock_value"],
                    "loss_value": kpis["loss_value"],
                    "jobs_completed": kpis["jobs_completed"],
                    "quarantine_quantity": kpis["quarantine_quantity"],
                }
            ],
        )
        self.assertIn("Test Region", wizard.region_summary)
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.manager_user)
            ._render_qweb_html("isp_reports.isp_kpi_report_action", wizard.ids)
        )
        html = html.decode()
        self.assertIn("ISP Inventory KPIs", html)
        self.assertIn("Test Region", html)
        self.assertEqual(wizard.action_print_pdf()["report_name"], "isp_reports.report_isp_kpis")
