from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestKpiDashboard(IspReportsCommon):
    """Each dashboard KPI moves by exactly what a flow did. The database may hold other
    (demo) activity, so figures are compared before and after the flow, in this month."""

    def _kpis(self, user=None, **period):
        return self.env["isp.kpi"].with_user(user or self.manager_user).get_kpis(**period)

    def _line(self, lines, key, record_id):
        return next((line for line in lines if line[key] == record_id), {})

    def _complete(self, job, **values):
        job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(job, **values)
        )

    def test_turnover_follows_consumption(self):
        """A job installs an ONT (45) and 2 patch cords (2 × 1.5): 48 consumed in the
        period, 48 less stock at its end, so half that off the average; the branch,
        region and item classes move by the same."""
        before = self._kpis()
        self._complete(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        after = self._kpis()
        self.assertAlmostEqual(after["consumed_value"] - before["consumed_value"], 48.0)
        self.assertAlmostEqual(after["average_stock_value"] - before["average_stock_value"], -24.0)
        self.assertAlmostEqual(
            after["inventory_turnover"], after["consumed_value"] / after["average_stock_value"]
        )
        days = (
            fields.Date.to_date(after["date_to"]) - fields.Date.to_date(after["date_from"])
        ).days + 1
        self.assertAlmostEqual(after["days_of_stock"], days / after["inventory_turnover"])
        for key, record_id, name in (
            ("turnover_by_branch", self.branch.id, "warehouse_id"),
            ("turnover_by_region", self.region.id, "region_id"),
        ):
            old = self._line(before[key], name, record_id)
            new = self._line(after[key], name, record_id)
            self.assertAlmostEqual(
                new["consumed_value"] - old.get("consumed_value", 0.0), 48.0, msg=key
            )
        classes = {
            item_class: self._line(after["turnover_by_item_class"], "item_class", item_class)[
                "consumed_value"
            ]
            - self._line(before["turnover_by_item_class"], "item_class", item_class).get(
                "consumed_value", 0.0
            )
            for item_class in ("cpe", "consumable")
        }
        self.assertEqual(classes, {"cpe": 45.0, "consumable": 3.0})
        # the drill-down rows of the period hold the job's two moves
        rows = self.env["isp.stock.month.report"].search(
            [("move_id.isp_task_id", "=", self.job.id), ("consumed", "=", True)]
        )
        self.assertEqual(sorted(rows.mapped("consumed_value")), [3.0, 45.0])
        self.assertEqual(sum(rows.mapped("stock_value")), -48.0)

    def test_stock_value_read_back_from_the_quants(self):
        """The stock value at an instant is the value on hand (the quants) less the
        flows since: at a later instant it is the value on hand; after a job consumed
        48 the value on hand is 48 less and the value an hour ago has not changed."""
        kpi = self.env["isp.kpi"].with_user(self.manager_user)
        region = self.env["isp.stock.region.report"]

        def values():
            earlier = fields.Datetime.now() - timedelta(hours=1)
            later = fields.Datetime.now() + timedelta(hours=1)
            then, now = kpi._isp_stock_value(
                ["warehouse_id"],
                [],
                kpi._isp_on_hand(),
                [("date", ">", earlier)],
                [("date", ">", later)],
            )
            return then, now

        then, now = values()
        on_hand = dict(region._read_group([], ["warehouse_id"], ["value:sum"]))
        self.assertEqual({key: now[(key,)] for key in on_hand}, on_hand)
        self._complete(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        then_after, now_after = values()
        self.assertAlmostEqual(now_after[(self.branch,)] - now[(self.branch,)], -48.0)
        self.assertAlmostEqual(then_after[(self.branch,)], then[(self.branch,)])
        self.assertAlmostEqual(sum(then_after.values()), sum(then.values()))

    def test_turnover_zero_without_consumption(self):
        """A period without moves: no turnover and 0 days of stock (not a division by 0)."""
        kpis = self._kpis(date_from="1990-01-01", date_to="1990-01-31")
        self.assertEqual(
            (kpis["consumed_value"], kpis["inventory_turnover"], kpis["days_of_stock"]),
            (0.0, 0.0, 0.0),
        )

    def test_first_time_fix(self):
        """A completed job without follow-up is fixed the first time; a follow-up job at
        the same customer 10 days later makes it a repeat visit with the default 14-day
        window, and not with a 7-day window; a job at another customer does not count."""
        self.assertEqual(self.env.company.isp_first_time_fix_days, 14)
        before = self._kpis()
        self._complete(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        done = self._kpis()
        self.assertEqual(done["first_time_fix_jobs"] - before["first_time_fix_jobs"], 1)
        self.assertEqual(done["first_time_fix_count"] - before["first_time_fix_count"], 1)
        self.assertEqual(done["first_time_fix_days"], 14)
        completed = self.job.isp_completed_date
        self._create_job(
            customer=self.other_customer, isp_scheduled_date=completed + timedelta(days=3)
        )
        followup = self._create_job(isp_scheduled_date=completed + timedelta(days=10))
        repeat = self._kpis()
        self.assertEqual(repeat["first_time_fix_jobs"], done["first_time_fix_jobs"])
        self.assertEqual(repeat["first_time_fix_count"], done["first_time_fix_count"] - 1)
        self.assertAlmostEqual(
            repeat["first_time_fix_rate"],
            100.0 * repeat["first_time_fix_count"] / repeat["first_time_fix_jobs"],
        )
        row = self.env["isp.first.time.fix.report"].search([("task_id", "=", self.job.id)])
        self.assertRecordValues(row, [{"first_time_fix": False, "followup_task_id": followup.id}])
        # a shorter window: the follow-up comes too late to count
        settings = self.env["res.config.settings"].create({"isp_first_time_fix_days": 7})
        settings.execute()
        self.assertEqual(self.env.company.isp_first_time_fix_days, 7)
        short = self._kpis()
        self.assertEqual(short["first_time_fix_days"], 7)
        self.assertEqual(short["first_time_fix_count"], done["first_time_fix_count"])
        row.invalidate_recordset()
        self.assertRecordValues(row, [{"first_time_fix": True, "followup_task_id": False}])

    def test_cpe_utilisation(self):
        """Installing a van ONT moves one unit from 'with technicians' to installed; a new
        ONT received in the branch adds one unit to the total."""
        before = self._kpis()
        self._complete(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        installed = self._kpis()
        self.assertEqual(installed["cpe_installed"] - before["cpe_installed"], 1)
        self.assertEqual(installed["cpe_total"], before["cpe_total"])
        old = self._line(before["cpe_utilisation_by_product"], "product_id", self.ont.id)
        new = self._line(installed["cpe_utilisation_by_product"], "product_id", self.ont.id)
        # the fixture's ONTs: 2 in the van and 3 in the branch
        self.assertEqual((old["installed"], old["total"]), (0, 5))
        self.assertEqual((new["installed"], new["total"], new["utilisation"]), (1, 5, 20.0))
        self._put_in_stock(self.ont, self.branch_stock, 1.0, lot_name="DASH-ONT-NEW")
        received = self._kpis()
        new = self._line(received["cpe_utilisation_by_product"], "product_id", self.ont.id)
        self.assertEqual((new["installed"], new["total"]), (1, 6))
        self.assertEqual(received["cpe_total"] - before["cpe_total"], 1)
        self.assertAlmostEqual(
            received["cpe_utilisation"], 100.0 * received["cpe_installed"] / received["cpe_total"]
        )
        # the dashboard sums groups of serials (isp_cpe_grouped): the same figures as the
        # report's rows, serial by serial, for the company, the branch, its region and the
        # main warehouse (the installed ONT counts in its installer's branch)
        report = self.env["isp.cpe.utilisation.report"].with_user(self.manager_user)
        board = self.env["isp.kpi"].with_user(self.manager_user)
        main = self.env.ref("stock.warehouse0")
        for filters, ont in (
            ({}, (1, 6)),
            ({"warehouse_id": self.branch.id}, (1, 6)),
            ({"region_id": self.region.id}, (1, 6)),
            ({"warehouse_id": main.id}, None),
        ):
            extra = [(name, "=", value) for name, value in filters.items()]
            per_serial = {
                product.id: (installed, total)
                for product, installed, total in report._read_group(
                    extra, ["product_id"], ["installed:sum", "__count"]
                )
            }
            grouped = report.with_context(isp_cpe_grouped=True)._read_group(
                extra, ["product_id"], ["installed:sum", "serial_count:sum"]
            )
            self.assertEqual({p.id: (i, t) for p, i, t in grouped}, per_serial)
            self.assertEqual(per_serial.get(self.ont.id), ont)
            lines = board.get_dashboard(**filters)["kpis"]["cpe_utilisation_by_product"]
            self.assertEqual(
                {line["product_id"]: (line["installed"], line["total"]) for line in lines},
                per_serial,
            )

    def test_forecast_mape(self):
        """Consumption of 3, 3 and 6 in the three months before May forecasts 4 for May;
        5 consumed in May is a 20 % error. June consumed nothing: left out."""
        product = self._create_product("Dashboard Drop Cable", "consumable", cost=2.0)
        self._put_in_stock(product, self.branch_stock, 100.0)
        for day, quantity in (
            ("2031-02-10", 3.0),
            ("2031-03-10", 3.0),
            ("2031-04-10", 6.0),
            ("2031-05-10", 5.0),
        ):
            picking = self.env["stock.picking"]._isp_create_done(
                self.branch.out_type_id,
                self.branch_stock,
                self.customer_location,
                [(product, quantity, self.env["stock.lot"])],
                partner_id=self.customer.id,
            )
            picking.move_ids.date = fields.Datetime.to_datetime(f"{day} 10:00:00")
        kpis = self._kpis(date_from="2031-05-01", date_to="2031-06-30")
        line = self._line(kpis["forecast_mape_by_product"], "product_id", product.id)
        self.assertEqual(line["months"], 1)
        self.assertAlmostEqual(line["mape"], 20.0)
        # April alone: forecast (0 + 3 + 3) / 3 = 2 against 6 consumed
        april = self._kpis(date_from="2031-04-01", date_to="2031-04-30")
        line = self._line(april["forecast_mape_by_product"], "product_id", product.id)
        self.assertAlmostEqual(line["mape"], 100.0 * 4 / 6)

    def test_stock_outs(self):
        """A job that needed 1 of its 2 planned patch cords, with 5 in the van, is no
        stock-out. A job planned with 10 patch cords, completed with the 4 left in the
        van, is completed short for lack of stock; a job of a technician with an empty
        van, past due, waits for stock. Each is one incident on the technicians' branch."""
        with freeze_time("2031-03-10 09:00:00"):
            before = self._kpis()
        with freeze_time("2031-03-10 10:00:00"):
            enough = self._create_job()
            self._complete(enough, patch_cords=1.0, lots=["VAN-ONT-2"])
            self.assertEqual(self._kpis()["stock_out_incidents"], before["stock_out_incidents"])
        with freeze_time("2031-03-10 11:00:00"):
            self._material(self.job, self.patch_cord).product_uom_qty = 10.0
            self._complete(self.job, patch_cords=4.0, lots=["VAN-ONT-1"])
            short = self._kpis()
        self.assertEqual(short["stock_out_incidents"] - before["stock_out_incidents"], 1)
        self.assertEqual(short["stock_out_lines"] - before["stock_out_lines"], 1)
        row = self.env["isp.stock.out.report"].search([("task_id", "=", self.job.id)])
        self.assertRecordValues(
            row,
            [
                {
                    "kind": "short",
                    "product_id": self.patch_cord.id,
                    "planned_qty": 10.0,
                    "used_qty": 4.0,
                    "held_qty": 4.0,
                    "missing_qty": 6.0,
                    "missing_value": 9.0,
                    "warehouse_id": self.branch.id,
                }
            ],
        )
        with freeze_time("2031-03-10 12:00:00"):
            waiting_job = self._create_job(
                technician=self.other_technician,
                isp_scheduled_date=fields.Datetime.now() - timedelta(hours=2),
            )
            waiting_job.action_isp_issue_materials()
            waiting = self._kpis()
            # past due: the report is read at the (frozen) time
            rows = self.env["isp.stock.out.report"].search([("task_id", "=", waiting_job.id)])
            self.assertEqual(set(rows.mapped("kind")), {"waiting"})
        self.assertEqual(waiting["stock_out_incidents"] - short["stock_out_incidents"], 1)
        self.assertEqual(waiting["stock_out_lines"] - short["stock_out_lines"], 2)
        old = self._line(before["stock_out_by_branch"], "warehouse_id", self.branch.id)
        new = self._line(waiting["stock_out_by_branch"], "warehouse_id", self.branch.id)
        self.assertEqual(new["incidents"] - old.get("incidents", 0), 2)

    def test_dashboard_filters_and_trend(self):
        """The dashboard filtered on the test branch shows only its figures; the trend
        has 12 months ending with this one, whose consumed value is the period's."""
        self._complete(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        kpi = self.env["isp.kpi"].with_user(self.manager_user)
        board = kpi.get_dashboard(warehouse_id=self.branch.id)
        self.assertEqual(board["kpis"]["consumed_value"], 48.0)
        self.assertEqual(board["kpis"]["first_time_fix_jobs"], 1)
        self.assertEqual(len(board["trend"]), 12)
        this_month = fields.Date.context_today(kpi).strftime("%Y-%m")
        self.assertEqual(board["trend"][-1]["month"], this_month)
        self.assertEqual(board["trend"][-1]["consumed_value"], 48.0)
        self.assertEqual(board["trend"][-1]["jobs"], 1)
        # the branch's stock this month: 48 less than at the end of the previous one
        self.assertAlmostEqual(
            board["trend"][-1]["stock_value"] - board["trend"][-2]["stock_value"], -48.0
        )
        drill = board["drilldown"]["first_time_fix"]
        rows = self.env[drill["res_model"]].with_user(self.manager_user).search(drill["domain"])
        self.assertEqual(rows.task_id, self.job)
        # days of stock: the branch's flows of the period, whose stock change is the
        # trend's change this month
        drill = board["drilldown"]["days_of_stock"]
        flows = self.env[drill["res_model"]].with_user(self.manager_user).search(drill["domain"])
        self.assertTrue(flows)
        self.assertEqual(flows.warehouse_id, self.branch)
        self.assertAlmostEqual(sum(flows.mapped("stock_value")), -48.0)
        region = kpi.get_dashboard(region_id=self.region.id)
        self.assertEqual(region["kpis"]["consumed_value"], 48.0)
        self.assertIn(self.branch.id, [branch["id"] for branch in board["branches"]])

    def test_technician_refused(self):
        with self.assertRaises(AccessError):
            self.env["isp.kpi"].with_user(self.technician_user).get_dashboard()
        with self.assertRaises(AccessError):
            self.env["isp.stock.month.report"].with_user(self.technician_user).search([])
