from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestStockAgingReport(IspReportsCommon):
    @classmethod
    def setUpClass(cls):
        """A branch of its own with stock that came in 10, 45, 120 and 400 days ago."""
        super().setUpClass()
        cls.aging_branch = cls.env["stock.warehouse"].create(
            {"name": "Aging Branch", "code": "AGB", "isp_region_id": cls.region.id}
        )
        cls.aging_tech = cls.env["isp.technician"].create(
            {
                "user_id": new_test_user(cls.env, login="isp_aging_tech").id,
                "warehouse_id": cls.aging_branch.id,
            }
        )
        cls.today = fields.Date.context_today(cls.env["isp.stock.aging.report"])
        store = cls.aging_branch.lot_stock_id
        cls._put_aged(cls.patch_cord, store, 40, days=10)
        cls._put_aged(cls.patch_cord, cls.aging_tech.vehicle_location_id, 6, days=45)
        cls.kit_lot = cls._put_aged(
            cls.ont, cls.aging_tech.kit_location_id, 1, days=120, lot_name="AGE-ONT-1"
        )
        cls.quarantine = cls.aging_branch._isp_get_quarantine_location()
        cls._put_aged(cls.ont, cls.quarantine, 1, days=400, lot_name="AGE-ONT-2")

    @classmethod
    def _put_aged(cls, product, location, quantity, days, lot_name=None):
        lot = (
            cls.env["stock.lot"].create({"name": lot_name, "product_id": product.id})
            if lot_name
            else cls.env["stock.lot"]
        )
        in_date = datetime.combine(cls.today - timedelta(days=days), time(12))
        cls.env["stock.quant"]._update_available_quantity(
            product, location, quantity, lot_id=lot or None, in_date=in_date
        )
        return lot

    def _rows(self):
        return self.env["isp.stock.aging.report"].search(
            [("warehouse_id", "=", self.aging_branch.id)], order="age_days"
        )

    def test_rows_ages_buckets_and_values(self):
        self.assertRecordValues(
            self._rows(),
            [
                {
                    "product_id": self.patch_cord.id,
                    "holder": "store",
                    "age_days": 10,
                    "age_bucket": "0_30",
                    "quantity": 40.0,
                    "value": 60.0,
                    "item_class": "consumable",
                    "technician_id": False,
                },
                {
                    "product_id": self.patch_cord.id,
                    "holder": "vehicle",
                    "age_days": 45,
                    "age_bucket": "31_90",
                    "quantity": 6.0,
                    "value": 9.0,
                    "item_class": "consumable",
                    "technician_id": self.aging_tech.id,
                },
                {
                    "product_id": self.ont.id,
                    "holder": "kit",
                    "age_days": 120,
                    "age_bucket": "91_180",
                    "quantity": 1.0,
                    "value": 45.0,
                    "item_class": "cpe",
                    "technician_id": self.aging_tech.id,
                },
                {
                    "product_id": self.ont.id,
                    "holder": "quarantine",
                    "age_days": 400,
                    "age_bucket": "over_180",
                    "quantity": 1.0,
                    "value": 45.0,
                    "item_class": "cpe",
                    "technician_id": False,
                },
            ],
        )
        self.assertEqual(self._rows()[2].lot_id, self.kit_lot)
        self.assertEqual(set(self._rows().mapped("region_id")), {self.region})

    def test_bucket_totals_match_the_quants(self):
        Report = self.env["isp.stock.aging.report"]
        domain = [("warehouse_id", "=", self.aging_branch.id)]
        totals = dict(
            (bucket, value)
            for bucket, value in Report._read_group(domain, ["age_bucket"], ["value:sum"])
        )
        self.assertEqual(totals, {"0_30": 60.0, "31_90": 9.0, "91_180": 45.0, "over_180": 45.0})
        quants = self.env["stock.quant"].search(
            [
                ("isp_warehouse_id", "=", self.aging_branch.id),
                ("location_id.usage", "=", "internal"),
            ]
        )
        self.assertEqual(
            sum(Report.search(domain).mapped("quantity")), sum(quants.mapped("quantity"))
        )

    def test_issued_stock_leaves_the_store_row(self):
        """Moving 4 of the store's cords to the van: the store row drops to 36."""
        self._issue_to_technician(self.patch_cord, 4, technician=self.aging_tech)
        store_row = self._rows().filtered(lambda r: r.holder == "store")
        self.assertEqual(store_row.quantity, 36.0)
        van_qty = sum(self._rows().filtered(lambda r: r.holder == "vehicle").mapped("quantity"))
        self.assertEqual(van_qty, 10.0)

    def test_technicians_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.env["isp.stock.aging.report"].with_user(self.technician_user).search([])

    def test_storekeeper_and_approver_read_it(self):
        for user in (self.storekeeper_user, self.approver_user):
            rows = (
                self.env["isp.stock.aging.report"]
                .with_user(user)
                .search([("warehouse_id", "=", self.aging_branch.id)])
            )
            self.assertEqual(len(rows), 4)

    @freeze_time("2031-06-10 22:30:00")
    def test_age_counts_days_in_the_users_time_zone(self):
        """At 01:30 on 11 June in Nairobi (22:30 UTC on the 10th), stock that came in at
        00:30 Nairobi time came in today and stock of 23:30 the evening before is one
        day old; for a user on UTC both came in today."""
        branch = self.env["stock.warehouse"].create(
            {"name": "Time Zone Branch", "code": "TZB", "isp_region_id": self.region.id}
        )
        Quant = self.env["stock.quant"]
        for hour, name in ((21, "TZ-ONT-1"), (20, "TZ-ONT-2")):
            Quant._update_available_quantity(
                self.ont,
                branch.lot_stock_id,
                1,
                lot_id=self.env["stock.lot"].create({"name": name, "product_id": self.ont.id}),
                in_date=datetime(2031, 6, 10, hour, 30),
            )
        Report = self.env["isp.stock.aging.report"].with_user(self.manager_user)
        for tz, ages in (("Africa/Nairobi", [0, 1]), ("UTC", [0, 0])):
            self.env.invalidate_all()  # each read as in its own request
            rows = Report.with_context(tz=tz).search(
                [("warehouse_id", "=", branch.id)], order="in_date desc"
            )
            self.assertEqual(rows.lot_id.mapped("name"), ["TZ-ONT-1", "TZ-ONT-2"], tz)
            self.assertEqual(rows.mapped("age_days"), ages, tz)
