from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import IspReportsCommon

# Mid-month, so the job three hours before and the delivery at that time share a month.
NOW = "2031-03-15 12:00:00"
EARLIER = "2031-03-15 09:00:00"


def rounded(value):
    """Floats rounded to 6 places in nested dicts and lists."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


@tagged("post_install", "-at_install")
class TestStockFlowMonthReport(IspReportsCommon):
    """The monthly stock flows read the summary for the months before its watermark and
    the moves after it; either way they are the stock value flows summed by month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_user.tz = "UTC"
        cls.env.cr.execute(SQL("UPDATE isp_stock_flow_summary_state SET tz = 'UTC'"))
        cls.env.company.partner_id.tz = False
        cls.flows = cls.env["isp.stock.flow.month.report"]
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 50.0)

    def _by_month(self, model, domain=()):
        """{(month, branch, product, consumed): (quantity, stock value, consumed value)}."""
        model = self.env[model].with_context(tz="UTC")
        return {
            (month.strftime("%Y-%m"), branch.id, product.id, consumed): (
                round(quantity, 4),
                round(value, 2),
                round(consumed_value, 2),
            )
            for month, branch, product, consumed, quantity, value, consumed_value in (
                model._read_group(
                    list(domain),
                    ["date:month", "warehouse_id", "product_id", "consumed"],
                    ["quantity:sum", "stock_value:sum", "consumed_value:sum"],
                )
            )
            if quantity or value or consumed_value
        }

    def _assert_same_as_the_moves(self):
        self.flows.invalidate_model()
        self.assertEqual(
            self._by_month("isp.stock.flow.month.report"),
            self._by_month("isp.stock.month.report"),
        )

    def _state(self):
        return self.flows._isp_summary_state()

    def _summarised(self, branch=None):
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM isp_stock_flow_summary WHERE warehouse_id = %s",
                (branch or self.branch).id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _deliver(self, quantity):
        """A done delivery of patch cords (1.5 each) from the branch to the customer."""
        return self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.branch_stock,
            self.customer_location,
            [(self.patch_cord, quantity, self.env["stock.lot"])],
            partner_id=self.customer.id,
        )

    def _branch_month(self, month):
        [[consumed, change]] = self.flows._read_group(
            [("warehouse_id", "=", self.branch.id), ("date", "=", month)],
            [],
            ["consumed_value:sum", "stock_value:sum"],
        )
        return consumed or 0.0, change or 0.0

    def test_summary_and_live_moves_read_as_the_flows(self):
        """A job completed three hours ago is summed into the summary; a delivery made
        now is read live on top of it: the month holds both, as the moves do."""
        self._assert_same_as_the_moves()
        with freeze_time(EARLIER):
            self._complete(self.job)
        with freeze_time(NOW):
            watermark = self.flows._isp_refresh_flow_summary()
            self.assertEqual(self._state(), (watermark, "UTC"))
            self.assertEqual(str(watermark), "2031-03-15 11:00:00")
            self.assertTrue(self._summarised())
            self._deliver(5.0)
        # the delivery is younger than the watermark: nothing summed for it
        self.assertEqual(self._state()[0], watermark)
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-03-01"), (48.0 + 7.5, -48.0 - 7.5))
        # an hourly refresh sums the watermark's month again: the same figures
        with freeze_time("2031-03-15 13:30:00"):
            self.flows._isp_refresh_flow_summary()
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-03-01"), (48.0 + 7.5, -48.0 - 7.5))

    def _complete(self, job):
        job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(job, patch_cords=2.0, lots=["VAN-ONT-1"])
        )

    def _summary_rows(self):
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM isp_stock_flow_summary"))
        return self.env.cr.fetchone()[0]

    def test_a_correction_keeps_the_summary_exact(self):
        """An Inventory Administrator dates a summarised done move two months back,
        then corrects its line's quantity, then the move's: the summary follows each
        change at once (its flows taken out before and put back after), with the same
        watermark."""
        with freeze_time(EARLIER):
            self._deliver(4.0)
        with freeze_time(NOW):
            watermark = self.flows._isp_refresh_flow_summary()
        move = self.env["stock.move"].search(
            [("product_id", "=", self.patch_cord.id), ("location_dest_id.usage", "=", "customer")],
            order="id desc",
            limit=1,
        )
        self.assertEqual(self._branch_month("2031-03-01"), (6.0, -6.0))
        with freeze_time(NOW):
            move.with_user(self.manager_user).action_isp_edit_done(
                {"date": "2031-01-15 09:00:00"}, "Delivered two months ago"
            )
        self.assertEqual(self._state()[0], watermark)
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-03-01"), (0.0, 0.0))
        self.assertEqual(self._branch_month("2031-01-01"), (6.0, -6.0))
        with freeze_time(NOW):
            move.move_line_ids.with_user(self.manager_user).action_isp_edit_done(
                {"quantity": 3.0}, "Only 3 cords left the store"
            )
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-01-01"), (4.5, -4.5))
        # on the move itself: Odoo writes the quantity onto its line, inside the move's
        # change, which alone takes the flows out and back (not twice)
        with freeze_time(NOW):
            move.with_user(self.manager_user).action_isp_edit_done(
                {"quantity": 2.0}, "Two cords, in fact"
            )
        self.assertEqual(move.move_line_ids.quantity, 2.0)
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-01-01"), (3.0, -3.0))
        # a server-side write adding a line to the move: the line's creation is inside
        # the move's change, which alone takes the flows out and back (not twice)
        with freeze_time(NOW):
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": self.patch_cord.id,
                                "quantity": 1.0,
                                "location_id": self.branch_stock.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                    ]
                }
            )
        self.assertEqual(move.quantity, 3.0)
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-01-01"), (4.5, -4.5))
        # the cron's next run sums the watermark's month again: the same figures
        cron = self.env.ref("isp_reports.ir_cron_isp_flow_summary")
        with freeze_time("2031-03-15 14:00:00"):
            cron.ir_actions_server_id.run()
        self.assertEqual(str(self._state()[0]), "2031-03-15 13:00:00")
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-01-01"), (4.5, -4.5))

    def test_reclassified_location_keeps_the_summary_exact(self):
        """3 cords written off from the branch stock into a Losses location are no
        consumption; once that location is no longer a Losses location, the same move
        is 4.5 consumed: the summary follows. Writing what a location already is leaves
        the summary alone."""
        bin_ = self.env["stock.location"].create(
            {
                "name": "Damaged cords",
                "usage": "inventory",
                "isp_role": "loss",
                "location_id": self.branch.view_location_id.id,
            }
        )
        with freeze_time(EARLIER):
            self.env["stock.picking"]._isp_create_done(
                self.branch.int_type_id,
                self.branch_stock,
                bin_,
                [(self.patch_cord, 3.0, self.env["stock.lot"])],
            )
        with freeze_time(NOW):
            watermark = self.flows._isp_refresh_flow_summary()
        self.assertEqual(self._branch_month("2031-03-01"), (0.0, -4.5))
        rows = self._summary_rows()
        bin_.write({"isp_role": "loss", "name": "Damaged patch cords"})
        self.assertEqual(self._summary_rows(), rows)
        bin_.write({"isp_role": False})
        self.assertEqual(self._state()[0], watermark)
        self._assert_same_as_the_moves()
        self.assertEqual(self._branch_month("2031-03-01"), (4.5, -4.5))

    def test_dashboard_same_from_the_summary_and_from_the_moves(self):
        """The dashboard reads the summary when its months are the user's: its trend,
        turnover and forecast error are those it computes move by move otherwise."""
        with freeze_time(EARLIER):
            self._complete(self.job)
        with freeze_time(NOW):
            self._deliver(3.0)
            self.flows._isp_refresh_flow_summary()
            kpi = self.env["isp.kpi"].with_user(self.manager_user)
            self.assertEqual(kpi._isp_monthly_flows(), self.flows)
            self.assertIsNone(kpi.with_context(tz="Europe/Brussels")._isp_monthly_flows())
            boards = []
            for summary_tz in ("UTC", "Asia/Tokyo"):  # Tokyo: not the user's: move by move
                self.env.cr.execute(
                    SQL("UPDATE isp_stock_flow_summary_state SET tz = %s", summary_tz)
                )
                self.assertEqual(kpi._isp_monthly_flows() is not None, summary_tz == "UTC")
                boards.append(
                    [
                        kpi.get_dashboard(),
                        kpi.get_dashboard(warehouse_id=self.branch.id),
                        kpi.get_kpis("2031-03-01", "2031-03-31"),
                        kpi.get_kpis("2031-01-01", "2031-02-28"),
                    ]
                )
            # nothing summarised yet (no watermark): move by move
            self.env.cr.execute(
                SQL("UPDATE isp_stock_flow_summary_state SET tz = 'UTC', until = NULL")
            )
            self.assertIsNone(kpi._isp_monthly_flows())
        summary, moves = rounded(boards)
        self.assertEqual(summary[1]["trend"][-1]["month"], "2031-03")
        self.assertEqual(summary[1]["trend"][-1]["consumed_value"], 48.0 + 4.5)
        self.assertEqual(summary[1]["kpis"]["consumed_value"], 48.0 + 4.5)
        self.assertEqual(summary[2]["turnover_by_branch"], moves[2]["turnover_by_branch"])
        for from_summary, from_moves in zip(summary, moves, strict=True):
            board = "kpis" in from_summary
            kpis = from_summary["kpis"] if board else from_summary
            kpis_moves = from_moves["kpis"] if board else from_moves
            for key in (
                "consumed_value",
                "average_stock_value",
                "inventory_turnover",
                "turnover_by_region",
                "turnover_by_branch",
                "turnover_by_item_class",
                "forecast_mape",
                "forecast_mape_by_product",
            ):
                self.assertEqual(kpis[key], kpis_moves[key], key)
            if board:
                self.assertEqual(from_summary["trend"], from_moves["trend"])

    def test_month_start_in_the_summary_time_zone(self):
        """22:00 UTC on 30 November is already December in Nairobi (UTC+3), whose
        December starts at 21:00 UTC; in UTC it is still November."""
        instant = fields.Datetime.to_datetime("2026-11-30 22:00:00")
        month, start = self.flows._isp_month_start(instant, "Africa/Nairobi")
        self.assertEqual((str(month), str(start)), ("2026-12-01", "2026-11-30 21:00:00"))
        month, start = self.flows._isp_month_start(instant, "UTC")
        self.assertEqual((str(month), str(start)), ("2026-11-01", "2026-11-01 00:00:00"))
