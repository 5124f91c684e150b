from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestProductMovementReport(IspReportsCommon):
    def setUp(self):
        """The branch issues 10 cords and then 3 cords to technicians, and delivers serial
        BR-ONT-1 to a customer; an older issue of 4 cords happened 60 days ago. The van's
        own use at a customer is not an issue of the store."""
        super().setUp()
        self._issue_to_technician(self.patch_cord, 10)
        self._issue_to_technician(self.patch_cord, 3, technician=self.other_technician)
        self.br_ont = self.env["stock.lot"].search(
            [("name", "=", "BR-ONT-1"), ("product_id", "=", self.ont.id)]
        )
        self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.branch_stock,
            self.customer.property_stock_customer,
            [(self.ont, 1.0, self.br_ont)],
            partner_id=self.customer.id,
        )
        old = self._issue_to_technician(self.patch_cord, 4)
        old.move_ids.write({"date": fields.Datetime.now() - timedelta(days=60)})
        self.env["stock.picking"]._isp_create_done(
            self.branch.out_type_id,
            self.van,
            self.customer.property_stock_customer,
            [(self.patch_cord, 2.0, self.env["stock.lot"])],
        )

    def _domain(self, *extra):
        return [("warehouse_id", "=", self.branch.id), *extra]

    def _filter_domain(self, name):
        """The domain of a filter of the report's search view, as the web client would
        evaluate it today."""
        action = self.env.ref("isp_reports.isp_product_movement_report_action")
        view = self.env["isp.product.movement.report"].get_view(action.search_view_id.id, "search")
        node = etree.fromstring(view["arch"]).find(f".//filter[@name='{name}']")
        return safe_eval(
            node.get("domain"),
            {"context_today": lambda: date.today(), "relativedelta": relativedelta},
        )

    def test_rows_are_store_issues(self):
        rows = self.env["isp.product.movement.report"].search(self._domain())
        self.assertRecordValues(
            rows,
            [
                {
                    "product_id": self.patch_cord.id,
                    "quantity": 10.0,
                    "value": 15.0,
                    "destination": "technician",
                    "technician_id": self.technician.id,
                },
                {
                    "product_id": self.patch_cord.id,
                    "quantity": 4.0,
                    "value": 6.0,
                    "destination": "technician",
                    "technician_id": self.technician.id,
                },
                {
                    "product_id": self.patch_cord.id,
                    "quantity": 3.0,
                    "value": 4.5,
                    "destination": "technician",
                    "technician_id": self.other_technician.id,
                },
                {
                    "product_id": self.ont.id,
                    "quantity": 1.0,
                    "value": 45.0,
                    "destination": "customer",
                    "technician_id": False,
                },
            ],
        )
        self.assertEqual(set(rows.mapped("location_id")), {self.branch_stock})
        self.assertEqual(set(rows.mapped("region_id")), {self.region})

    def test_grouped_by_product_ranks_fast_movers_first(self):
        Report = self.env["isp.product.movement.report"]
        ranking = Report._read_group(
            self._domain(), ["product_id"], ["quantity:sum"], order="quantity:sum desc"
        )
        self.assertEqual(ranking, [(self.patch_cord, 17.0), (self.ont, 1.0)])

    def test_last_30_and_90_days_filters(self):
        Report = self.env["isp.product.movement.report"]
        last_30 = Report._read_group(
            self._domain(*self._filter_domain("last_30_days")), ["product_id"], ["quantity:sum"]
        )
        self.assertEqual(dict(last_30), {self.patch_cord: 13.0, self.ont: 1.0})
        last_90 = Report._read_group(
            self._domain(*self._filter_domain("last_90_days")), ["product_id"], ["quantity:sum"]
        )
        self.assertEqual(dict(last_90), {self.patch_cord: 17.0, self.ont: 1.0})

    def test_technicians_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.env["isp.product.movement.report"].with_user(self.technician_user).search([])
